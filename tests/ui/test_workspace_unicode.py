"""UTF-16 vs code points at the UI boundary, RTL paragraphs, and overlapping highlights."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor

from annotator.model import AttributionRecord, Span, new_id
from annotator.services.attributions import create_attribution, list_attributions
from tests.ui.workspace_helpers import open_workspace

MIXED = (
    "Crowds cheered 😀🎉 in the square, 𝐀 bold claim.\n\n"
    "قال المتحدث إن الاتفاق سيُوقَّع غدًا في القاهرة.\n\n"
    "Café owners said\u00a0the new tax would close many small shops."
)


@pytest.fixture
def ws(qtbot, db):
    return open_workspace(qtbot, db, MIXED, "Mixed scripts")


def test_offsets_after_emoji_and_arabic_are_code_points(qtbot, ws) -> None:
    words = "the new tax would close many small shops"
    start = ws.text.index(words)
    # select with Qt's own (UTF-16) positions, as a mouse drag would
    utf16_start = len(ws.text[:start].encode("utf-16-le")) // 2
    assert utf16_start > start  # the emoji and U+1D400 before it take two units each
    cursor = QTextCursor(ws.view.document())
    cursor.setPosition(utf16_start)
    cursor.setPosition(utf16_start + len(words), QTextCursor.MoveMode.KeepAnchor)
    ws.view.setTextCursor(cursor)
    assert cursor.selectedText() == words
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    [rec] = list_attributions(ws.db, ws.document_id, ws.annotator_id)
    span = rec.content[0]
    assert (span.start, span.end) == (start, start + len(words))
    assert ws.text[span.start : span.end] == words


def test_arabic_selection_is_stored_exactly(qtbot, ws) -> None:
    words = "الاتفاق سيُوقَّع غدًا"  # with combining marks
    start = ws.text.index(words)
    ws.view.select_cp(start, start + len(words))
    assert ws.view.textCursor().selectedText() == words
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    [rec] = list_attributions(ws.db, ws.document_id, ws.annotator_id)
    assert rec.content_text(ws.text) == words


def test_emoji_selection_never_cut_in_half(qtbot, ws) -> None:
    start = ws.text.index("cheered")
    cursor = QTextCursor(ws.view.document())
    cursor.setPosition(ws.view.offsets.to_utf16(start))
    # end inside the surrogate pair of the first emoji
    cursor.setPosition(
        ws.view.offsets.to_utf16(start + len("cheered ")) + 1, QTextCursor.MoveMode.KeepAnchor
    )
    ws.view.setTextCursor(cursor)
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    [rec] = list_attributions(ws.db, ws.document_id, ws.annotator_id)
    assert rec.content_text(ws.text) == "cheered 😀"


def test_rtl_paragraph_is_laid_out_right_to_left(ws) -> None:
    doc = ws.view.document()
    assert (
        doc.findBlockByNumber(2).blockFormat().layoutDirection() == Qt.LayoutDirection.RightToLeft
    )
    assert (
        doc.findBlockByNumber(0).blockFormat().layoutDirection() != Qt.LayoutDirection.RightToLeft
    )
    assert doc.findBlockByNumber(2).textDirection() == Qt.LayoutDirection.RightToLeft
    ws.view.viewport().repaint()
    # the last line of the Arabic paragraph ends at the right edge, the English one's does not
    width = ws.view.viewport().width() - 2 * doc.documentMargin()

    def last_line(number: int):
        layout = doc.findBlockByNumber(number).layout()
        return layout.lineAt(layout.lineCount() - 1).naturalTextRect()

    assert last_line(2).right() > width * 0.9
    assert last_line(4).left() < doc.documentMargin() + 2


def _formats_by_char(block) -> dict[int, object]:
    out = {}
    for r in block.layout().formats():
        fmt = QTextCharFormat(r.format)  # a copy: the range's own dies with the list
        for i in range(r.start, r.start + r.length):
            out[i] = fmt
    return out


def test_overlapping_and_nested_spans_are_all_visible(qtbot, ws, db) -> None:
    text = ws.text
    outer = text.index("Café owners said")
    inner_s = text.index("the new tax")
    inner_e = inner_s + len("the new tax would close")
    outer_e = len(text) - 1  # up to "shops", period excluded
    for content in ([Span(inner_s, outer_e)], [Span(inner_s, inner_e)]):
        create_attribution(
            db,
            AttributionRecord(
                id=new_id(),
                document_id=ws.document_id,
                annotator_id=ws.annotator_id,
                content=tuple(content),
                mention=Span(outer, outer + len("Café owners")),
                cue=Span(outer + len("Café owners "), outer + len("Café owners said")),
            ),
        )
    ws.load_document(ws.document_id)
    ws.view.viewport().repaint()  # highlights are formatted for the blocks being painted
    block = ws.view.document().findBlockByNumber(4)
    base = block.position()
    fmt = _formats_by_char(block)
    o16 = ws.view.offsets.to_utf16

    def at(cp: int):
        return fmt.get(o16(cp) - base)

    only_outer = at(outer_e - 2)
    both = at(inner_s + 2)
    mention = at(outer + 1)
    cue = at(outer + len("Café owners ") + 1)
    assert only_outer is not None and both is not None
    # nested: the overlap is tinted deeper than the outer-only part
    assert both.background().color().alpha() > only_outer.background().color().alpha()
    assert mention.background().color() != only_outer.background().color()  # mention distinct
    assert cue.fontUnderline() and not only_outer.fontUnderline()  # cue underlined
    # selecting the inner one emphasizes only its segment
    inner_id = next(r.id for r in ws.ordered() if r.end == inner_e)
    ws.select(inner_id)
    fmt = _formats_by_char(block)
    selected = fmt[o16(inner_s + 2) - base]
    assert selected.background().color() != both.background().color()
    assert fmt[o16(outer_e - 2) - base].background().color() == only_outer.background().color()


def test_margin_and_tooltip_describe_speaker_and_stance(qtbot, ws, db) -> None:
    from annotator.services.registries import create_actor, create_target

    actor = create_actor(db, ws.project_id, "Cafe Owners Association")
    target = create_target(db, ws.project_id, "New tax on small shops")
    start = ws.text.index("the new tax")
    create_attribution(
        db,
        AttributionRecord(
            id=new_id(),
            document_id=ws.document_id,
            annotator_id=ws.annotator_id,
            content=(Span(start, start + 20),),
            speaker_id=actor.id,
            target_id=target.id,
            polarity="oppose",  # type: ignore[arg-type]
        ),
    )
    ws.load_document(ws.document_id)
    [rec] = ws.ordered()
    assert ws.describe(rec.id) == ("Cafe Owners Association", "oppose", "New tax on small shops")
    # the margin indexes the label at the block where the content starts
    assert ws.view.index.starts_in(4)[0][1] == rec.id
    image = ws.view.margin.grab().toImage()
    # a reddish (oppose) bar beside the quote's lines
    assert any(
        image.pixelColor(4, y).red() > image.pixelColor(4, y).green() + 50
        for y in range(image.height())
    )
