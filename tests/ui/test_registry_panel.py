"""Registries panel: merge re-points attributions, aliases added/removed by typing, undoable edits,
each actor's attributions listed with document title and excerpt."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.model import Polarity, Span
from annotator.services import attributions as attr
from annotator.services import registries as reg
from annotator.services.documents import DocumentDraft, add_document
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.ui.registry_panel import RegistryPanel

TEXT = "Ali Akbar Ahmadian said Iran opposes the plan. Ahmadiyyan added that talks go on."


def _setup(qtbot, db):
    project = get_or_create_project(db, "P")
    ann = get_or_create_annotator(db, "ana")
    with db.session() as s:
        row, _ = add_document(s, project.id, DocumentDraft(text=TEXT, title="Tehran talks"))
        doc = row.id
    keep = reg.create_actor(db, project.id, "Ali Akbar Ahmadian", aliases=("Ahmadian",))
    dupe = reg.create_actor(db, project.id, "Ahmadiyyan")
    irna = reg.create_actor(db, project.id, "IRNA")
    target = reg.create_target(db, project.id, "Regional geopolitics")
    a1 = attr.new_attribution(db, doc, ann.id, [Span(24, 45)], speaker_id=keep.id)
    a2 = attr.new_attribution(
        db, doc, ann.id, [Span(64, 79)], speaker_id=dupe.id, via_id=dupe.id,
        target_id=target.id, polarity=Polarity.SUPPORT,
    )  # fmt: skip
    stack = QUndoStack()
    panel = RegistryPanel(db, stack)
    qtbot.addWidget(panel)
    panel.resize(420, 760)
    panel.show()
    panel.set_project(project.id)
    # the form's fields are rebuilt per tab and shown on the next event loop turn
    qtbot.waitUntil(lambda: all(e.isVisible() for e in panel.field_edits.values()))
    return panel, stack, {"keep": keep, "dupe": dupe, "irna": irna, "target": target}, (a1, a2)


def _select(panel: RegistryPanel, entry_id: str) -> None:
    for i in range(panel.entry_list.count()):
        if panel.entry_list.item(i).data(0, Qt.ItemDataRole.UserRole) == entry_id:
            panel.entry_list.setCurrentRow(i)
            return
    raise AssertionError(f"{entry_id} not listed")


def test_lists_actors_with_counts_and_usages(qtbot, db) -> None:
    panel, _stack, e, _ = _setup(qtbot, db)
    rows = [
        tuple(panel.entry_list.item(i).text(c) for c in range(4))
        for i in range(panel.entry_list.count())
    ]
    assert rows == [
        ("Ahmadiyyan", "person", "1", ""),  # speaker and via of one attribution
        ("Ali Akbar Ahmadian", "person", "1", "1"),
        ("IRNA", "person", "–", ""),
    ]
    _select(panel, e["keep"].id)
    assert panel.heading.text() == "Ali Akbar Ahmadian"
    assert [panel.alias_list.item(i).text() for i in range(panel.alias_list.count())] == [
        "Ahmadian"
    ]
    [usage] = [panel.usage_list.item(i).text() for i in range(panel.usage_list.count())]
    assert usage.startswith("Tehran talks") and "“Iran opposes the plan”" in usage
    # Typing in the filter narrows by name or alias, diacritic-insensitively.
    qtbot.keyClicks(panel.filter_edit, "ahmadian")  # the alias of the first, not the second
    assert panel.entry_list.count() == 1
    # QTest cannot type non-ASCII keys: set the text as an input method would.
    panel.filter_edit.setText("AHMADÍAN")
    assert panel.entry_list.count() == 1
    assert panel.current_id() == e["keep"].id


def test_merge_via_panel_repoints_attributions_and_undoes(qtbot, db) -> None:
    panel, stack, e, (a1, a2) = _setup(qtbot, db)
    _select(panel, e["dupe"].id)

    def answer() -> None:  # the confirmation box: press Yes like a user would
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and "Undo reverses it" in box.text()
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(50, answer)
    moved = panel.merge_current(e["keep"].id)
    assert moved == 2  # speaker and via of a2
    merged = attr.get_attribution(db, a2.id)
    assert merged.speaker_id == e["keep"].id and merged.via_id == e["keep"].id
    assert attr.get_attribution(db, a1.id).speaker_id == e["keep"].id
    names = {a.name for a in reg.list_actors(db, e["keep"].project_id)}
    assert names == {"Ali Akbar Ahmadian", "IRNA"}
    assert "Ahmadiyyan" in reg.get_actor(db, e["keep"].id).aliases
    assert panel.current_id() == e["keep"].id
    assert panel.usage_list.count() == 2
    # Undo: the merged actor is back, with its attributions and without the aliases it lent.
    stack.undo()
    undone = attr.get_attribution(db, a2.id)
    assert undone.speaker_id == e["dupe"].id and undone.via_id == e["dupe"].id
    assert attr.get_attribution(db, a1.id).speaker_id == e["keep"].id
    names = {a.name for a in reg.list_actors(db, e["keep"].project_id)}
    assert names == {"Ali Akbar Ahmadian", "Ahmadiyyan", "IRNA"}
    assert reg.get_actor(db, e["keep"].id).aliases == ("Ahmadian",)
    assert panel.entry_list.count() == 3
    stack.redo()
    assert attr.get_attribution(db, a2.id).speaker_id == e["keep"].id
    assert {a.name for a in reg.list_actors(db, e["keep"].project_id)} == {
        "Ali Akbar Ahmadian",
        "IRNA",
    }


def test_alias_add_remove_by_keyboard_and_undo(qtbot, db) -> None:
    panel, stack, e, _ = _setup(qtbot, db)
    _select(panel, e["irna"].id)
    panel.alias_edit.setFocus()
    qtbot.keyClicks(panel.alias_edit, "Irna news agency")
    qtbot.keyClick(panel.alias_edit, Qt.Key.Key_Return)
    assert reg.get_actor(db, e["irna"].id).aliases == ("Irna news agency",)
    assert panel.alias_list.count() == 1 and panel.alias_edit.text() == ""
    # A folded duplicate of the name is refused (nothing stored, nothing on the stack).
    qtbot.keyClicks(panel.alias_edit, "irna")
    qtbot.keyClick(panel.alias_edit, Qt.Key.Key_Return)
    assert stack.count() == 1
    panel.alias_list.setCurrentRow(0)
    panel.alias_remove.click()
    assert reg.get_actor(db, e["irna"].id).aliases == ()
    stack.undo()
    assert reg.get_actor(db, e["irna"].id).aliases == ("Irna news agency",)
    stack.undo()
    assert reg.get_actor(db, e["irna"].id).aliases == ()
    # Found by the registry's fuzzy matcher after a redo.
    stack.redo()
    found = reg.find_actors(db, e["irna"].project_id, "irna news")
    assert found and found[0].entry_id == e["irna"].id


def test_rename_and_type_edits_are_undoable(qtbot, db) -> None:
    panel, stack, e, _ = _setup(qtbot, db)
    _select(panel, e["irna"].id)
    name = panel.field_edits["role"]
    name.setFocus()
    qtbot.keyClicks(name, "state news agency")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert reg.get_actor(db, e["irna"].id).role == "state news agency"
    panel.type_combo.setCurrentText("media")
    panel.type_combo.activated.emit(panel.type_combo.currentIndex())
    assert reg.get_actor(db, e["irna"].id).type.value == "media"
    stack.undo()
    stack.undo()
    actor = reg.get_actor(db, e["irna"].id)
    assert (actor.role, actor.type.value) == ("", "person")


def test_targets_tab(qtbot, db) -> None:
    panel, stack, e, (_a1, a2) = _setup(qtbot, db)
    panel.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: all(e.isVisible() for e in panel.field_edits.values()))
    assert panel.entry_list.count() == 1
    assert panel.entry_list.item(0).text(2) == "1"
    assert panel.usage_list.count() == 1
    edit = panel.field_edits["name"]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Geopolitics of the region")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert reg.get_target(db, e["target"].id).name == "Geopolitics of the region"
    stack.undo()
    assert reg.get_target(db, e["target"].id).name == "Regional geopolitics"


def test_a_refused_edit_is_reported_and_not_recorded(qtbot, db) -> None:
    panel, stack, e, _ = _setup(qtbot, db)
    _select(panel, e["irna"].id)
    messages: list[str] = []
    panel.message.connect(messages.append)
    # Simulate a refused write: the row this panel shows is no longer there (KeyError).
    from annotator.storage import schema

    with db.session() as s:
        s.delete(s.get(schema.Actor, e["irna"].id))
    panel.alias_edit.setText("Islamic Republic News Agency")
    qtbot.keyClick(panel.alias_edit, Qt.Key.Key_Return)
    assert stack.count() == 0
    assert messages and messages[0].startswith("Not saved: add alias")
