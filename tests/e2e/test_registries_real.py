"""View > Registries in a real window: edit an actor, add an alias, merge two actors through
the "Merge into…" button and its dialogs, undo; the usage count of a much-used actor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QWidget

from annotator.services import attributions as attr
from annotator.services import registries as reg
from tests.e2e import seed
from tests.e2e.real_app import RealApp


def _row_of(panel: object, entry_id: str) -> int:
    entries = panel.entry_list  # type: ignore[attr-defined]
    for row in range(entries.count()):
        if entries.item(row).data(0, Qt.ItemDataRole.UserRole) == entry_id:
            return row
    raise AssertionError(f"{entry_id} is not listed")


def _click_entry(app: RealApp, panel: object, entry_id: str) -> None:
    entries = panel.entry_list  # type: ignore[attr-defined]
    item = entries.item(_row_of(panel, entry_id))
    entries.scrollToItem(item)
    app.click(entries.viewport(), entries.visualItemRect(item).center())
    assert panel.current_id() == entry_id  # type: ignore[attr-defined]


def test_registries_edit_alias_merge_and_undo(app: RealApp) -> None:
    e = seed.registry_project(app.home, app.db_path)
    main = app.launch()
    project_id = reg.get_actor(app.db(), e["keep"]).project_id
    app.press("Ctrl+R")  # View > Registries
    dock = main.registry_dock
    assert dock is not None and dock.isVisible()
    panel = dock.widget()
    app.wait_until(lambda: panel.entry_list.count() == 3)
    app.check_window(main)
    # The details fit the dock: nothing to scroll sideways to, the merge button whole.
    viewport = panel.details_scroll.viewport()
    assert panel.details.width() <= viewport.width()
    right = panel.merge_button.mapTo(viewport, panel.merge_button.rect().topRight()).x()
    assert panel.merge_button.isVisible() and right <= viewport.width()

    # The much-used actor: its count is the real one, not the length of the listed usages.
    _click_entry(app, panel, e["irna"])
    assert panel.entry_list.currentItem().text(2) == str(seed.WIRE_QUOTES)
    assert panel.usage_label.text().startswith(f"Used in {seed.WIRE_QUOTES} attributions")
    assert panel.usage_list.count() <= seed.WIRE_QUOTES

    # Edit a field and add an alias by typing, as the user does.
    _click_entry(app, panel, e["dupe"])
    app.click(panel.field_edits["role"])
    app.type_text("Foreign minister")
    app.press("Return")
    assert reg.get_actor(app.db(), e["dupe"]).role == "Foreign minister"
    app.click(panel.alias_edit)
    app.type_text("Ahmadiyan")
    app.press("Return")
    assert reg.get_actor(app.db(), e["dupe"]).aliases == ("Ahmadiyan",)

    # Merge "Ahmadiyyan" into "Ali Akbar Ahmadian" through the button and its two dialogs.
    def choose(dialog: QWidget) -> None:
        combo = dialog.findChild(QComboBox)
        assert combo is not None and combo.hasFocus()
        app.type_text("Ali")  # keyboard search in the list of actors
        assert combo.currentText() == "Ali Akbar Ahmadian"
        app.press("Return")

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and "Ali Akbar Ahmadian" in box.text()
        app.screenshot(main, "registry_merge_real", with_dialogs=True)
        app.click(box.button(QMessageBox.StandardButton.Yes))

    app.run_modal(lambda: app.click(panel.merge_button), ("Merge", choose), ("Merge", confirm))
    assert attr.get_attribution(app.db(), e["a2"]).speaker_id == e["keep"]
    names = {a.name for a in reg.list_actors(app.db(), project_id)}
    assert names == {"Ali Akbar Ahmadian", "IRNA"}
    assert {"Ahmadiyyan", "Ahmadiyan"} <= set(reg.get_actor(app.db(), e["keep"]).aliases)
    app.wait_until(lambda: panel.entry_list.count() == 2)
    assert panel.current_id() == e["keep"]
    assert panel.usage_label.text().startswith("Used in 2 attributions")
    app.check_window(main)

    app.press("Ctrl+Z")  # Edit > Undo: the merge
    assert attr.get_attribution(app.db(), e["a2"]).speaker_id == e["dupe"]
    assert {a.name for a in reg.list_actors(app.db(), project_id)} == {
        "Ali Akbar Ahmadian", "Ahmadiyyan", "IRNA",
    }  # fmt: skip
    assert reg.get_actor(app.db(), e["keep"]).aliases == ("Ahmadian",)
    app.wait_until(lambda: panel.entry_list.count() == 3)
    app.quit()
