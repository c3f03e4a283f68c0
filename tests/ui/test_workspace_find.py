"""Find in the article: `/`, Enter / Shift+Enter, Esc; the match is selected, ready for Q."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from annotator.services.attributions import list_attributions
from annotator.ui.find_bar import find_matches
from annotator.ui.workspace import Workspace
from tests.ui.workspace_helpers import add_text, open_workspace

TEXT = (
    "Crowds cheered 😀🎉 in the square.\n\n"
    "قال المتحدث إن الاتفاق سيوقع غدا.\n\n"
    "The minister SAID talks would resume. Officials said nothing.\n\n"
    "Later she said the deal was Said to be close."
)


@pytest.fixture
def ws(qtbot, db):
    return open_workspace(qtbot, db, TEXT, "Find me")


def _selected(ws: Workspace) -> tuple[int, int]:
    cursor = ws.view.textCursor()
    return ws.view.offsets.span_to_cp(cursor.selectionStart(), cursor.selectionEnd())


def test_find_steps_through_matches_and_q_makes_a_quote(qtbot, ws) -> None:
    said = [i for i in range(len(TEXT)) if TEXT[i : i + 4].lower() == "said"]
    assert len(said) == 4
    qtbot.keyClick(ws.view, Qt.Key.Key_Slash)
    bar = ws.find_bar
    assert bar.isVisible() and bar.edit.hasFocus()
    qtbot.keyClicks(bar.edit, "said")  # typed into the field: no workspace shortcut fires
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)  # searches what was typed, selects the first
    assert _selected(ws) == (said[0], said[0] + 4)
    assert bar.count.text() == "1 of 4"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert _selected(ws) == (said[1], said[1] + 4) and bar.count.text() == "2 of 4"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert _selected(ws) == (said[0], said[0] + 4)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # wraps
    assert _selected(ws) == (said[3], said[3] + 4) and bar.count.text() == "4 of 4"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible() and ws.view.hasFocus()
    assert _selected(ws) == (said[3], said[3] + 4)  # the match stays selected
    qtbot.keyClick(ws.view, Qt.Key.Key_F3)  # F3 goes on from the article too: wraps to first
    assert _selected(ws) == (said[0], said[0] + 4)
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    [rec] = list_attributions(ws.db, ws.document_id, ws.annotator_id)
    assert rec.content_text(ws.text) == "SAID"
    assert (rec.content[0].start, rec.content[0].end) == (said[0], said[0] + 4)


def test_arabic_after_emoji_is_found_at_code_points(qtbot, ws) -> None:
    words = "الاتفاق سيوقع"
    qtbot.keyClick(ws.view, Qt.Key.Key_Slash)
    ws.find_bar.edit.setText(words)
    qtbot.keyClick(ws.find_bar.edit, Qt.Key.Key_Return)
    start = TEXT.index(words)
    assert _selected(ws) == (start, start + len(words))
    assert ws.view.textCursor().selectedText() == words


def test_no_match_and_a_selection_prefills_the_query(qtbot, ws) -> None:
    start = TEXT.index("minister")
    ws.view.select_cp(start, start + len("minister"))
    qtbot.keyClick(ws.view, Qt.Key.Key_Slash)
    bar = ws.find_bar
    assert bar.edit.text() == "minister" and bar.count.text() == "1 of 1"
    bar.edit.setText("xylophone")
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.count.text() == "No match"
    assert _selected(ws) == (start, start + len("minister"))  # nothing moved


@given(
    text=st.text(alphabet=st.sampled_from("aAbB😀é\u0301 \nق"), max_size=40),
    query=st.text(alphabet=st.sampled_from("aAbB😀"), min_size=1, max_size=3),
)
def test_find_matches_are_exact_code_point_spans(text: str, query: str) -> None:
    found = find_matches(text, query)
    assert all(text[s:e].lower() == query.lower() for s, e in found)
    naive = [i for i in range(len(text)) if text[i : i + len(query)].lower() == query.lower()]
    # non-overlapping, left to right: a greedy scan of the naive positions
    greedy, last_end = [], -1
    for i in naive:
        if i >= last_end:
            greedy.append(i)
            last_end = i + len(query)
    assert [s for s, _e in found] == greedy


def test_switching_article_with_the_bar_open_starts_at_the_first_match(qtbot, ws, db) -> None:
    qtbot.keyClick(ws.view, Qt.Key.Key_Slash)
    ws.find_bar.edit.setText("said")
    qtbot.keyClick(ws.find_bar.edit, Qt.Key.Key_Return)
    other_text = "Nobody said a thing. Then she said more, and he said less."
    other = add_text(db, ws.project_id, other_text, title="Other")
    ws.load_document(other)
    assert ws.find_bar.isVisible() and ws.find_bar.count.text() == "3 found"
    qtbot.keyClick(ws.find_bar.edit, Qt.Key.Key_Return)
    first = other_text.index("said")
    assert _selected(ws) == (first, first + 4) and ws.find_bar.count.text() == "1 of 3"
    ws.load_document(other)
    qtbot.keyClick(ws.find_bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    last = other_text.rindex("said")
    assert _selected(ws) == (last, last + 4) and ws.find_bar.count.text() == "3 of 3"


def test_esc_right_after_typing_still_finds_and_selects(qtbot, ws) -> None:
    qtbot.keyClick(ws.view, Qt.Key.Key_Slash)
    qtbot.keyClicks(ws.find_bar.edit, "minister")  # Esc comes before the typing pause ends
    qtbot.keyClick(ws.find_bar.edit, Qt.Key.Key_Escape)
    start = TEXT.index("minister")
    assert _selected(ws) == (start, start + len("minister"))
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    [rec] = list_attributions(ws.db, ws.document_id, ws.annotator_id)
    assert rec.content_text(ws.text) == "minister"


def test_enter_after_a_pause_in_typing_still_selects_the_first_match(qtbot, ws) -> None:
    """The search runs when typing pauses; Enter then skipped to the second match, so what
    Enter selected depended on how fast one typed."""
    said = [i for i in range(len(TEXT)) if TEXT[i : i + 4].lower() == "said"]
    qtbot.keyClick(ws.view, Qt.Key.Key_Slash)
    bar = ws.find_bar
    qtbot.keyClicks(bar.edit, "said")
    qtbot.waitUntil(lambda: bar.count.text() == "1 of 4")  # the pause searched
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert _selected(ws) == (said[0], said[0] + 4) and bar.count.text() == "1 of 4"
    qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
    assert _selected(ws) == (said[1], said[1] + 4)
    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
    qtbot.keyClick(ws.view, Qt.Key.Key_F3)  # from the article, F3 goes on from the match
    assert _selected(ws) == (said[2], said[2] + 4)
