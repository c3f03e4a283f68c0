"""The API the main window codes against: context, loading, font, theme, shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QUndoStack

from annotator.ui.highlighter import Palette
from annotator.ui.workspace import Workspace
from tests.ui.workspace_helpers import add_text, make_project


def make(qtbot, db) -> tuple[Workspace, str]:
    project_id, annotator_id = make_project(db)
    doc = add_text(db, project_id, "The mayor said the bridge will open in May.", title="Bridge")
    ws = Workspace(db, QUndoStack())
    ws.set_context(project_id, annotator_id)
    ws.resize(1000, 700)
    qtbot.addWidget(ws)
    with qtbot.waitActive(ws):
        ws.show()
        ws.activateWindow()
    return ws, doc


def test_load_and_clear(qtbot, db) -> None:
    ws, doc = make(qtbot, db)
    assert ws.current_document_id() is None and not ws.toolbar.isEnabled()
    ws.load_document(doc)
    assert ws.current_document_id() == doc and ws.toolbar.isEnabled()
    assert ws.view.toPlainText() == "The mayor said the bridge will open in May."
    assert "Bridge" in ws.header.text()
    ws.load_document(None)
    assert ws.current_document_id() is None
    assert ws.view.toPlainText() == "" and ws.table_model.rowCount() == 0


def test_font_size_and_dark_palette(qtbot, db) -> None:
    ws, doc = make(qtbot, db)
    ws.load_document(doc)
    ws.set_font_point_size(17)
    assert ws.view.font().pointSize() == 17
    start = ws.text.index("the bridge")
    ws.view.select_cp(start, start + 10)
    ws.view.setFocus()
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    qtbot.keyClick(ws.view, Qt.Key.Key_Escape)

    assert len(ws.records) == 1

    def tint() -> object:
        [r] = ws.view.document().firstBlock().layout().formats()
        color = QTextCharFormat(r.format).background().color()
        return color.name(), color.alpha()

    light = tint()
    ws.set_dark(True)
    ws.view.viewport().repaint()  # highlights are (re)formatted for the blocks being painted
    dark = tint()
    assert dark != light
    assert dark == (Palette.dark().content.name(), Palette.dark().content.alpha())


def test_shortcuts_list_every_key(qtbot, db) -> None:
    ws, _doc = make(qtbot, db)
    keys = {k for k, _desc in ws.shortcuts()}
    for key in ("Q", "C", "M", "A", "S", "V", "T", "D", "1", "2", "3", "4", "J", "K", "Del", "Esc"):
        assert key in keys, key
    assert all(desc for _k, desc in ws.shortcuts())


def test_layout_state_round_trips(qtbot, db) -> None:
    ws, doc = make(qtbot, db)
    ws.resize(1200, 800)
    ws.load_document(doc)
    ws.restore_layout_state([500, 200, 850, 340])
    saved = ws.layout_state()
    assert saved[1] > 150 and saved[3] > 300  # table and inspector sizes were applied
    ws.restore_layout_state([650, 50, 900, 290])
    assert ws.layout_state() != saved
    ws.restore_layout_state(saved)
    assert ws.layout_state() == saved
    ws.restore_layout_state(["junk"])  # type: ignore[list-item]  # ignored, no crash
    assert ws.layout_state() == saved
