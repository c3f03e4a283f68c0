"""Workspace editing driven by real key presses on the article view, checked in the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QUndoStack

from annotator.model import Kind, Polarity, WorkStatus
from annotator.services.attributions import get_attribution, list_attributions
from annotator.services.documents import get_work_status
from annotator.ui.commands import UpdateAttribution
from annotator.ui.workspace import Workspace
from tests.ui.workspace_helpers import add_text, make_project

ARTICLE = (
    "Minister Ali Hemmati said on Monday that the talks will continue next week.\n\n"
    '"We are not leaving the table," he told reporters in the capital.\n\n'
    "The opposition leader Sara Demir argued that the deal would harm farmers."
)


@pytest.fixture
def ws(qtbot, db):
    project_id, annotator_id = make_project(db)
    doc_a = add_text(db, project_id, ARTICLE, title="Talks continue", source="Wire")
    doc_b = add_text(db, project_id, "Second article. The mayor said the bridge will open.")
    stack = QUndoStack()
    workspace = Workspace(db, stack)
    workspace.set_context(project_id, annotator_id)
    workspace.resize(1200, 800)
    qtbot.addWidget(workspace)
    workspace.show()
    qtbot.waitExposed(workspace)
    workspace.load_document(doc_a)
    workspace.view.setFocus()
    workspace.test_docs = (doc_a, doc_b)  # type: ignore[attr-defined]
    workspace.test_stack = stack  # type: ignore[attr-defined]
    return workspace


def select_words(ws: Workspace, words: str, occurrence: int = 0) -> tuple[int, int]:
    """Select `words` in the view with a real QTextCursor selection (UTF-16 positions)."""
    start = -1
    for _ in range(occurrence + 1):
        start = ws.text.index(words, start + 1)
    ws.view.select_cp(start, start + len(words))
    ws.view.setFocus()
    return start, start + len(words)


def live(ws: Workspace) -> list:
    return list_attributions(ws.db, ws.document_id, ws.annotator_id)


def test_q_creates_attribution_stored_and_highlighted(qtbot, ws) -> None:
    messages: list[str] = []
    counts: list[tuple[str, int]] = []
    ws.status_message.connect(messages.append)
    ws.attributions_changed.connect(lambda d, n: counts.append((d, n)))
    select_words(ws, "the talks will continue next week")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    [rec] = live(ws)
    assert rec.content_text(ws.text) == "the talks will continue next week"
    assert rec.kind == Kind.INDIRECT
    assert messages[-1] == "Saved: attribution created"
    assert counts[-1] == (ws.document_id, 1)
    assert ws.table_model.rowCount() == 1
    assert ws.selected_id == rec.id
    block = ws.view.document().findBlockByNumber(0)
    ranges = block.layout().formats()
    assert any(r.format.background().color().alpha() > 0 for r in ranges)
    assert get_work_status(ws.db, ws.document_id, ws.annotator_id) == WorkStatus.IN_PROGRESS


def test_selection_snaps_to_words_and_trims_spaces(qtbot, ws) -> None:
    start = ws.text.index("talks will")
    ws.view.select_cp(start + 2, start + 9)  # "lks wil"
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    assert live(ws)[0].content_text(ws.text) == "talks will"
    start = ws.text.index(" Sara Demir ")
    ws.view.select_cp(start, start + len(" Sara Demir "))
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    assert {r.content_text(ws.text) for r in live(ws)} == {"talks will", "Sara Demir"}


def test_keyboard_selection_with_shift_arrows(qtbot, ws) -> None:
    cursor = ws.view.textCursor()
    cursor.setPosition(ws.text.index("the deal"))
    ws.view.setTextCursor(cursor)
    for _ in range(3):  # three word steps: "the deal would "
        qtbot.keyClick(
            ws.view,
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    assert live(ws)[0].content_text(ws.text) == "the deal would"


def test_direct_quote_kind_cue_mention_polarity_and_kind_cycle(qtbot, ws) -> None:
    select_words(ws, '"We are not leaving the table,"')
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    [rec] = live(ws)
    assert rec.kind == Kind.DIRECT
    select_words(ws, "told")
    qtbot.keyClick(ws.view, Qt.Key.Key_C)
    select_words(ws, "he", occurrence=0)
    he = ws.text.index(" he told") + 1
    ws.view.select_cp(he, he + 2)
    qtbot.keyClick(ws.view, Qt.Key.Key_M)
    qtbot.keyClick(ws.view, Qt.Key.Key_2)
    qtbot.keyClick(ws.view, Qt.Key.Key_D)  # direct -> indirect
    rec = get_attribution(ws.db, rec.id)
    assert rec.cue is not None and rec.cue.text(ws.text) == "told"
    assert rec.mention is not None and rec.mention.text(ws.text) == "he"
    assert rec.polarity == Polarity.OPPOSE
    assert rec.kind == Kind.INDIRECT
    # undo the last three edits one by one, checking the database each time
    stack = ws.test_stack
    stack.undo()
    assert get_attribution(ws.db, rec.id).kind == Kind.DIRECT
    stack.undo()
    assert get_attribution(ws.db, rec.id).polarity is None
    stack.undo()
    assert get_attribution(ws.db, rec.id).mention is None
    stack.redo()
    assert get_attribution(ws.db, rec.id).mention.text(ws.text) == "he"


def test_a_adds_a_second_content_segment(qtbot, ws) -> None:
    select_words(ws, "the talks will continue")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    select_words(ws, "next week")
    qtbot.keyClick(ws.view, Qt.Key.Key_A)
    [rec] = live(ws)
    assert [s.text(ws.text) for s in rec.content] == ["the talks will continue", "next week"]


def test_delete_tombstones_and_undo_restores(qtbot, ws) -> None:
    select_words(ws, "the deal would harm farmers")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    [rec] = live(ws)
    qtbot.keyClick(ws.view, Qt.Key.Key_Delete)
    assert live(ws) == []
    assert ws.table_model.rowCount() == 0
    assert ws.view.document().findBlockByNumber(4).layout().formats() == []
    with ws.db.session() as s:  # the row stays as a tombstone
        from annotator.storage import schema

        assert s.get(schema.Attribution, rec.id).deleted_at is not None
    ws.test_stack.undo()
    assert [r.id for r in live(ws)] == [rec.id]
    assert ws.table_model.rowCount() == 1


def test_undo_redo_across_two_documents_switches_back(qtbot, ws) -> None:
    doc_a, doc_b = ws.test_docs
    select_words(ws, "the talks will continue next week")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    ws.load_document(doc_b)
    select_words(ws, "the bridge will open")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    assert len(list_attributions(ws.db, doc_b, ws.annotator_id)) == 1
    ws.test_stack.undo()  # the edit on B
    assert list_attributions(ws.db, doc_b, ws.annotator_id) == []
    ws.test_stack.undo()  # the edit on A: the workspace goes back to A
    assert ws.current_document_id() == doc_a
    assert list_attributions(ws.db, doc_a, ws.annotator_id) == []
    assert ws.table_model.rowCount() == 0
    ws.test_stack.redo()
    assert ws.current_document_id() == doc_a
    assert len(list_attributions(ws.db, doc_a, ws.annotator_id)) == 1
    ws.test_stack.redo()
    assert ws.current_document_id() == doc_b
    assert ws.table_model.rowCount() == 1


def test_j_k_walk_attributions_and_table_follows(qtbot, ws) -> None:
    for words in ("talks will continue", "not leaving the table", "harm farmers"):
        select_words(ws, words)
        qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    qtbot.keyClick(ws.view, Qt.Key.Key_Escape)
    assert ws.selected_id is None
    cursor = ws.view.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    ws.view.setTextCursor(cursor)
    seen = []
    for _ in range(3):
        qtbot.keyClick(ws.view, Qt.Key.Key_J)
        seen.append(ws.records[ws.selected_id].content_text(ws.text))
        assert ws.table.currentIndex().row() == len(seen) - 1
    assert seen == ["talks will continue", "not leaving the table", "harm farmers"]
    qtbot.keyClick(ws.view, Qt.Key.Key_K)
    assert ws.records[ws.selected_id].content_text(ws.text) == "not leaving the table"


def test_table_selection_selects_in_view_and_inspector(qtbot, ws) -> None:
    for words in ("talks will continue", "harm farmers"):
        select_words(ws, words)
        qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    ws.table.setFocus()
    ws.table.selectRow(0)
    first = ws.table_model.record_at(0)
    assert ws.selected_id == first.id
    assert ws.view.highlighter.selected == first.id
    assert "talks will continue" in ws.inspector.excerpt.text()
    # keys work with the table focused too
    qtbot.keyClick(ws.table, Qt.Key.Key_1)
    assert get_attribution(ws.db, first.id).polarity == Polarity.SUPPORT


def test_click_on_highlight_selects_its_row(qtbot, ws) -> None:
    select_words(ws, "the deal would harm farmers")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    qtbot.keyClick(ws.view, Qt.Key.Key_Escape)
    assert ws.table.currentIndex().row() == -1 or ws.selected_id is None
    pos = ws.text.index("harm")
    cursor = QTextCursor(ws.view.document())
    cursor.setPosition(ws.view.offsets.to_utf16(pos + 1))
    point = ws.view.cursorRect(cursor).center()
    qtbot.mouseClick(ws.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert ws.selected_id == live(ws)[0].id
    assert ws.table.currentIndex().row() == 0


def test_inspector_fields_are_undoable_commands(qtbot, ws) -> None:
    select_words(ws, "the talks will continue next week")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    rec_id = ws.selected_id
    ws.inspector.proposition.setFocus()
    qtbot.keyClicks(ws.inspector.proposition, "Talks go on")
    assert get_attribution(ws.db, rec_id).polarity is None  # typing '1'-like keys did nothing
    qtbot.keyClick(ws.inspector.proposition, Qt.Key.Key_Return)
    assert get_attribution(ws.db, rec_id).proposition == "Talks go on"
    ws.inspector.note.setFocus()
    qtbot.keyClicks(ws.inspector.note, "q1 check")  # single-letter keys must not fire here
    qtbot.keyClick(ws.inspector.note, Qt.Key.Key_Return)
    rec = get_attribution(ws.db, rec_id)
    assert rec.note == "q1 check" and rec.polarity is None
    assert len(live(ws)) == 1
    ws.test_stack.undo()
    assert get_attribution(ws.db, rec_id).note == ""
    ws.test_stack.undo()
    assert get_attribution(ws.db, rec_id).proposition == ""


def test_menu_and_toolbar_paths(qtbot, ws) -> None:
    select_words(ws, "the talks will continue")
    ws.actions_by_name["create"].trigger()  # the context menu holds this same action
    assert ws.actions_by_name["create"] in ws.view.menu_actions
    select_words(ws, "harm farmers")
    button = ws.toolbar.widgetForAction(ws.actions_by_name["create"])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert {r.content_text(ws.text) for r in live(ws)} == {
        "the talks will continue",
        "harm farmers",
    }


def test_without_selection_q_says_what_to_do(qtbot, ws) -> None:
    messages: list[str] = []
    ws.status_message.connect(messages.append)
    ws.view.clear_selection()
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    assert live(ws) == [] and "Select" in messages[-1]


def test_keys_work_from_inspector_widgets_but_not_inside_text_fields(qtbot, ws) -> None:
    select_words(ws, "the talks will continue next week")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    rec_id = ws.selected_id
    ws.inspector.kind.setFocus()  # a combo box: single keys act on the attribution
    qtbot.keyClick(ws.inspector.kind, Qt.Key.Key_2)
    assert get_attribution(ws.db, rec_id).polarity == Polarity.OPPOSE
    ws.inspector.proposition.setFocus()  # a text field: keys are text
    qtbot.keyClicks(ws.inspector.proposition, "J 3 Q")
    qtbot.keyClick(ws.inspector.proposition, Qt.Key.Key_Delete)  # edits the text only
    assert get_attribution(ws.db, rec_id).polarity == Polarity.OPPOSE
    assert ws.selected_id == rec_id and len(live(ws)) == 1
    # Escape leaves the field, which stores it, and keeps the attribution selected
    qtbot.keyClick(ws.inspector.proposition, Qt.Key.Key_Escape)
    assert get_attribution(ws.db, rec_id).proposition == "J 3 Q"
    assert ws.selected_id == rec_id
    assert ws.view.hasFocus()


def test_escape_and_enter_in_chooser_belong_to_the_chooser(qtbot, ws) -> None:
    select_words(ws, "the talks will continue next week")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    rec_id = ws.selected_id
    qtbot.keyClick(ws.view, Qt.Key.Key_T)
    chooser = ws.chooser()
    assert chooser.isVisible() and chooser.edit.hasFocus()
    qtbot.keyClicks(chooser.edit, "Talks")
    qtbot.keyClick(chooser.edit, Qt.Key.Key_Escape)
    assert not chooser.isVisible()
    assert ws.selected_id == rec_id  # Escape closed the chooser only
    assert get_attribution(ws.db, rec_id).target_id is None
    assert ws.view.hasFocus()


def test_context_menu_offers_the_actions_and_creates(qtbot, ws) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    select_words(ws, "harm farmers")
    seen: list[str] = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        seen.extend(a.text() for a in menu.actions() if not a.isSeparator())
        [create] = [a for a in menu.actions() if a.text().startswith("New attribution")]
        create.trigger()
        menu.close()

    QTimer.singleShot(50, pick)
    point = ws.view.viewport().rect().center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, ws.view.viewport().mapToGlobal(point)
    )
    QApplication.sendEvent(ws.view.viewport(), event)
    assert "Set cue from selection" in seen and "Polarity: oppose" in seen
    assert [r.content_text(ws.text) for r in live(ws)] == ["harm farmers"]


def test_tooltip_names_speaker_and_stance(qtbot, ws) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from annotator.services.registries import create_actor, create_target

    actor = create_actor(ws.db, ws.project_id, "Sara Demir")
    target = create_target(ws.db, ws.project_id, "Trade deal")
    select_words(ws, "the deal would harm farmers")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    rec = ws.records[ws.selected_id]
    # an actor and target made outside the workspace (e.g. the registry panel)
    ws.undo_stack.push(
        UpdateAttribution(
            ws,
            rec,
            "set stance",
            speaker_id=actor.id,
            target_id=target.id,
            polarity=Polarity.OPPOSE,
        )
    )
    cursor = QTextCursor(ws.view.document())
    cursor.setPosition(ws.view.offsets.to_utf16(ws.text.index("harm") + 1))
    point = ws.view.cursorRect(cursor).center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, ws.view.viewport().mapToGlobal(point))
    QApplication.sendEvent(ws.view.viewport(), event)
    assert "Sara Demir" in QToolTip.text() and "oppose — Trade deal" in QToolTip.text()


def test_refused_edit_is_reported_not_recorded(qtbot, ws, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    from annotator.services import attributions as att_service

    messages: list[str] = []
    ws.status_message.connect(messages.append)
    select_words(ws, "the talks will continue")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    rec_id = ws.selected_id
    count = ws.test_stack.count()

    def locked(*_args, **_kwargs):
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    monkeypatch.setattr(att_service, "update_attribution", locked)
    qtbot.keyClick(ws.view, Qt.Key.Key_2)
    assert messages[-1].startswith("Not saved: set polarity oppose")
    assert ws.test_stack.count() == count  # nothing to undo: the edit never happened
    assert ws.records[rec_id].polarity is None
    assert get_attribution(ws.db, rec_id).polarity is None
    monkeypatch.undo()
    qtbot.keyClick(ws.view, Qt.Key.Key_2)
    assert get_attribution(ws.db, rec_id).polarity == Polarity.OPPOSE


def test_a_record_deleted_elsewhere_cannot_be_edited(qtbot, ws) -> None:
    from annotator.services.attributions import delete_attribution

    messages: list[str] = []
    ws.status_message.connect(messages.append)
    select_words(ws, "the talks will continue")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    rec_id = ws.selected_id
    delete_attribution(ws.db, rec_id)  # e.g. by a bundle merge in another window
    count = ws.test_stack.count()
    qtbot.keyClick(ws.view, Qt.Key.Key_1)
    assert messages[-1].startswith("Not saved")
    assert ws.test_stack.count() == count


def test_e_types_a_proposition_and_enter_returns_to_the_article(qtbot, ws) -> None:
    select_words(ws, "the talks will continue next week")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    rec_id = ws.selected_id
    qtbot.keyClick(ws.view, Qt.Key.Key_E)
    assert ws.inspector.proposition.hasFocus()
    qtbot.keyClicks(ws.inspector.proposition, "Talks continue")
    qtbot.keyClick(ws.inspector.proposition, Qt.Key.Key_Return)
    assert get_attribution(ws.db, rec_id).proposition == "Talks continue"
    assert ws.view.hasFocus()
    qtbot.keyClick(ws.view, Qt.Key.Key_1)  # the keys work again at once
    assert get_attribution(ws.db, rec_id).polarity == Polarity.SUPPORT


def test_mouse_drag_selection_snaps_to_words(qtbot, ws) -> None:
    def point(cp: int):
        cursor = QTextCursor(ws.view.document())
        cursor.setPosition(ws.view.offsets.to_utf16(cp))
        return ws.view.cursorRect(cursor).center()

    start = ws.text.index("talks will continue") + 2  # inside "talks"
    end = ws.text.index("continue next") + 4  # inside "continue"
    viewport = ws.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=point(start))
    qtbot.mouseMove(viewport, point(end))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=point(end))
    assert ws.view.textCursor().selectedText() == "talks will continue"  # snapped on release
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    assert live(ws)[0].content_text(ws.text) == "talks will continue"
