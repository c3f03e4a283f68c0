"""The main window's menus: File, Edit, View, Document, Team, Help, with their shortcuts.

Each action with keys is also recorded for the cheat sheet (`window._shortcut_rows`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from annotator.model import WorkStatus

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def _add_action(
    window: MainWindow,
    menu_path: str,
    text: str,
    slot: Callable[[], object],
    keys: str = "",
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts([QKeySequence(k.strip()) for k in keys.split(" / ")])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setToolTip(f"{tip or text.replace('&', '').rstrip('…')}  ({keys})" if keys else tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.menus[menu_path].addAction(action)
    window.addAction(action)
    if keys:
        window._shortcut_rows.setdefault(menu_path, []).append(
            (keys, text.replace("&", "").rstrip("…"))
        )
    return action


def build_menus(window: MainWindow) -> None:
    """The menu bar's actions with their shortcuts (also listed in the cheat sheet)."""
    bar = window.menuBar()
    window.menus = {name: bar.addMenu(f"&{name}") for name in ("File", "Edit", "View")}
    window.menus |= {name: bar.addMenu(f"&{name}") for name in ("Document", "Team", "Help")}
    window._shortcut_rows: dict[str, list[tuple[str, str]]] = {}
    a = partial(_add_action, window)
    a("File", "&New project…", window.new_project)
    window.import_action = a("File", "&Import files…", window.import_files, "Ctrl+I")
    a("File", "Import &folder…", window.import_folder, "Ctrl+Shift+I")
    window.menus["File"].addSeparator()
    a("File", "&Export training set…", lambda: window.open_tool("export"), "Ctrl+E")
    a("File", "Import &bundle…", lambda: window.open_tool("bundle_import"))
    a("File", "Export b&undle…", lambda: window.open_tool("bundle_export"))
    window.menus["File"].addSeparator()
    a("File", "&Settings…", window.open_settings, "Ctrl+,")
    a("File", "&Quit", window.close, "Ctrl+Q")

    window.undo_action = window.undo_stack.createUndoAction(window, "&Undo")
    window.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
    window.redo_action = window.undo_stack.createRedoAction(window, "&Redo")
    window.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    for act in (window.undo_action, window.redo_action):
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.menus["Edit"].addAction(act)
        window.addAction(act)
    window._shortcut_rows["Edit"] = [
        ("Ctrl+Z", "Undo the last edit (any document)"),
        ("Ctrl+Shift+Z / Ctrl+Y", "Redo"),
    ]
    window.menus["Edit"].addSeparator()
    a("Edit", "&Search all articles", window.focus_search, "Ctrl+F")

    window.menus["View"].addAction(window.doc_dock.toggleViewAction())
    a("View", "&Registries (actors, targets)", window.toggle_registries, "Ctrl+R")
    window.menus["View"].addSeparator()
    a("View", "&Larger text", lambda: window.change_font(+1), "Ctrl++ / Ctrl+=")
    a("View", "&Smaller text", lambda: window.change_font(-1), "Ctrl+-")
    window.dark_action = a("View", "&Dark theme", window.toggle_dark, "Ctrl+Shift+D")
    window.dark_action.setCheckable(True)
    window.dark_action.setChecked(window.settings.dark)

    window.next_action = a("Document", "&Next document", lambda: window.step_document(1), "N")
    window.prev_action = a("Document", "&Previous document", lambda: window.step_document(-1), "P")
    window.menus["Document"].addSeparator()
    window.done_action = a("Document", "Mark &done", lambda: window.mark(WorkStatus.DONE), "Ctrl+D")
    a("Document", "Mark &in progress", lambda: window.mark(WorkStatus.IN_PROGRESS))
    a("Document", "Mark &new (reopen)", lambda: window.mark(WorkStatus.NEW))

    a("Team", "&Review queue…", lambda: window.open_tool("review"))
    a("Team", "My review &outcomes…", lambda: window.open_tool("review_outcomes"))
    a("Team", "&Agreement…", lambda: window.open_tool("agreement"))
    a("Team", "&Progress dashboard…", lambda: window.open_tool("progress"))

    a("Help", "&Keyboard shortcuts", window.show_cheatsheet, "F1 / ?")
    a("Help", "&About Annotator", window.show_about)
