"""The main window: menus, toolbar, project switcher, document list, workspace, status bar.

It owns the single QUndoStack (it survives document switches) and the user's settings. Every
edit goes through an undo command calling a service, so "All changes saved" in the status bar
is simply true after each one. Team and export dialogs are imported lazily, when first opened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QWidget,
)

from annotator.model import AnnotatorRecord, WorkStatus
from annotator.services import documents, projects
from annotator.storage.engine import Database
from annotator.ui.document_list import STATUS_LABEL, DocumentListPanel
from annotator.ui.menus import build_menus
from annotator.ui.settings import MAX_FONT_SIZE, MIN_FONT_SIZE, Settings
from annotator.ui.shell_support import (
    BareKeyGuard,
    SetStatusCommand,
    build_toolbar,
    open_tool,
    show_about,
)
from annotator.ui.theme import apply_theme

WorkspaceFactory = Callable[[Database, QUndoStack, QWidget], QWidget]


def _default_workspace(db: Database, stack: QUndoStack, parent: QWidget) -> QWidget:
    from annotator.ui.workspace import Workspace

    return Workspace(db, stack, parent)


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        settings: Settings,
        annotator: AnnotatorRecord,
        workspace_factory: WorkspaceFactory | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.settings = settings
        self.annotator = annotator
        self.project_id: str | None = None
        self.setObjectName("MainWindow")
        self.setWindowTitle("Annotator")
        self.undo_stack = QUndoStack(self)
        self.workspace = (workspace_factory or _default_workspace)(db, self.undo_stack, self)
        self.setCentralWidget(self.workspace)
        self.doc_panel = DocumentListPanel(db, self)
        self.doc_panel.restore_order(self.settings.document_order)
        self.doc_dock = QDockWidget("Documents", self)
        self.doc_dock.setObjectName("documents_dock")
        self.doc_dock.setWidget(self.doc_panel)
        self.doc_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.doc_dock)
        self.registry_dock: QDockWidget | None = None
        self.project_combo = QComboBox()
        self.project_combo.setMinimumContentsLength(16)
        self.project_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.saved_label = QLabel("All changes saved")
        self.saved_label.setObjectName("saved")
        self.who_label = QLabel()
        self.who_label.setObjectName("hint")
        self.shell_shortcuts: list[tuple[str, list[tuple[str, str]]]] = []
        build_menus(self)
        self._build_toolbar()
        self.statusBar().addPermanentWidget(self.who_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self._update_who()

        # Registry panel refreshes are batched: one reload after a burst of edits.
        self._registry_timer = QTimer(self)
        self._registry_timer.setSingleShot(True)
        self._registry_timer.setInterval(400)
        self._registry_timer.timeout.connect(self._refresh_registries)
        self.doc_panel.document_activated.connect(self.open_document)
        self.statusBar().messageChanged.connect(self._on_status_message)
        self.undo_stack.indexChanged.connect(self._on_stored)
        self.project_combo.currentIndexChanged.connect(self._on_project_chosen)
        self.workspace.status_message.connect(lambda m: self.statusBar().showMessage(m, 6000))
        warning = getattr(self.workspace, "warning", None)
        if warning is not None:
            warning.connect(self.show_warning)
        self.workspace.attributions_changed.connect(self._on_attributions_changed)
        self.workspace.registries_touched.connect(self._registry_timer.start)
        self.workspace.document_switched.connect(self._document_shown)
        # Single-key shortcuts (N, P, ?) must not fire while typing in a field: see eventFilter.
        self._bare_key_guard = BareKeyGuard(self)
        QApplication.instance().installEventFilter(self._bare_key_guard)  # type: ignore[union-attr]

        self.workspace.set_font_point_size(settings.font_size)
        self.workspace.set_dark(settings.dark)
        self._restore_layout()
        self.reload_projects(select=settings.last_project)
        # Start with the keyboard in the article (not the search box): Q, J/K, N/P work at once.
        focus = getattr(self.workspace, "focus_article", self.workspace.setFocus)
        focus()

    # -- construction ----------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        self.toolbar = build_toolbar(self)

    # -- projects & documents ----------------------------------------------------------------
    def reload_projects(self, select: str = "") -> None:
        records = projects.list_projects(self.db)
        current = select or self.project_combo.currentText()
        self.project_combo.blockSignals(True)
        self.project_combo.clear()
        for p in records:
            self.project_combo.addItem(p.name, p.id)
        index = self.project_combo.findText(current) if current else -1
        self.project_combo.setCurrentIndex(max(index, 0) if records else -1)
        self.project_combo.blockSignals(False)
        self._on_project_chosen(self.project_combo.currentIndex())

    def _on_project_chosen(self, _index: int) -> None:
        self.set_project(self.project_combo.currentData())

    def set_project(self, project_id: str | None) -> None:
        if project_id == self.project_id and project_id is not None:
            return
        self.project_id = project_id
        # Undo history is per project: undoing an edit in a project no longer shown would be
        # an invisible change.
        self.undo_stack.clear()
        if project_id is not None:
            self.workspace.set_context(project_id, self.annotator.id)
            self.settings.last_project = self.project_combo.currentText()
        self.doc_panel.set_context(project_id, self.annotator.id)
        self._refresh_registries()
        last = self.settings.last_document(project_id) if project_id else ""
        if last and not self.doc_panel.select_document(last, emit=False, fetch=False):
            # Beyond the first page (or gone): open it directly rather than page the list to it.
            try:
                if documents.get_document(self.db, last).project_id != project_id:
                    last = ""
            except KeyError:
                last = ""
        if not last:
            last = self.doc_panel.step(0) or ""
        self.open_document(last or None)

    def open_document(self, document_id: str | None) -> None:
        if document_id is not None and document_id == self.workspace.current_document_id():
            return
        self.workspace.load_document(document_id)
        self._document_shown(document_id)

    def _document_shown(self, document_id: str | None) -> None:
        """The workspace shows `document_id` (opened here, or switched to by an undo): remember
        it, select it in the list (or nothing, if a filter hides it) and name it in the title."""
        if document_id and self.project_id:
            self.settings.set_last_document(self.project_id, document_id)
            self.doc_panel.select_document(document_id, emit=False)
        title = documents.get_document(self.db, document_id).title if document_id else ""
        self.setWindowTitle(f"{title} — Annotator" if title else "Annotator")

    def step_document(self, delta: int) -> None:
        document_id = self.doc_panel.step(delta)
        if document_id is None:
            self.statusBar().showMessage(
                "Last document of the list" if delta > 0 else "First document of the list", 3000
            )

    def mark(self, status: WorkStatus) -> None:
        document_id = self.workspace.current_document_id()
        if document_id is None:
            return
        self.undo_stack.push(SetStatusCommand(self, document_id, self.annotator.id, status))

    def status_changed(self, document_id: str, status: WorkStatus) -> None:
        """Called by SetStatusCommand after the status is stored."""
        self.doc_panel.model.refresh_row(document_id)
        title = documents.get_document(self.db, document_id).title or "Document"
        self.statusBar().showMessage(f"“{title}” marked {STATUS_LABEL[status]}", 5000)

    def after_review_change(self, change: object, message: str) -> None:
        """A review decision was undone or redone from this window's stack after the review
        window closed: show the stored state and say what happened."""
        self.statusBar().showMessage(message, 6000)
        document_id = getattr(change, "document_id", None)
        if document_id is not None:
            self.doc_panel.model.refresh_row(document_id)
        current = self.workspace.current_document_id()
        if current is not None and current == document_id:
            self.workspace.load_document(current)

    def _refresh_registries(self) -> None:
        """Keep an open registries panel on the current project and in step with edits."""
        if self.registry_dock is not None and self.registry_dock.isVisible():
            panel = self.registry_dock.widget()
            if panel.project_id != self.project_id:  # type: ignore[attr-defined]
                panel.set_project(self.project_id)  # type: ignore[attr-defined]
            else:
                panel.reload()  # type: ignore[attr-defined]

    def _on_attributions_changed(self, document_id: str, _count: int) -> None:
        self.doc_panel.model.refresh_row(document_id)
        # An undo may have switched the workspace to another document: follow it in the list.
        if self.doc_panel.current_document_id() != self.workspace.current_document_id():
            current = self.workspace.current_document_id()
            if current:
                self.doc_panel.select_document(current, emit=False)

    def show_warning(self, message: str) -> None:
        """A warning stays longer than a status message, marked so it is not missed."""
        bar = self.statusBar()
        bar.setStyleSheet("QStatusBar { background: #fff1c2; color: #5a4300; }")
        bar.showMessage(f"⚠  {message}", 12000)

    def _on_status_message(self, message: str) -> None:
        if not message.startswith("⚠"):  # the warning timed out or gave way to a message
            self.statusBar().setStyleSheet("")

    def _on_stored(self, _index: int) -> None:
        self.saved_label.setText(f"✓ All changes saved  {datetime.now():%H:%M:%S}")

    def focus_search(self) -> None:
        self.doc_dock.show()
        self.doc_panel.search.setFocus()
        self.doc_panel.search.selectAll()

    def set_annotator(self, annotator: AnnotatorRecord) -> None:
        self.annotator = annotator
        self._update_who()
        current = self.workspace.current_document_id()
        self.undo_stack.clear()
        if self.project_id:
            self.workspace.set_context(self.project_id, annotator.id)
        self.doc_panel.set_context(self.project_id, annotator.id)
        self.workspace.load_document(None)
        self.open_document(current)

    def _update_who(self) -> None:
        self.who_label.setText(f"Annotator: {self.annotator.name}")

    # -- view ------------------------------------------------------------------------------
    def change_font(self, delta: int) -> None:
        size = max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, self.settings.font_size + delta))
        self.settings.font_size = size
        self.workspace.set_font_point_size(size)
        self.statusBar().showMessage(f"Text size {size} pt", 2000)

    def toggle_dark(self) -> None:
        self.set_dark(not self.settings.dark)

    def set_dark(self, dark: bool) -> None:
        self.settings.dark = dark
        apply_theme(QApplication.instance(), dark)  # type: ignore[arg-type]
        self.workspace.set_dark(dark)
        # A new application stylesheet re-polishes widgets and drops fonts set with setFont.
        self.workspace.set_font_point_size(self.settings.font_size)
        self.dark_action.setChecked(dark)

    def toggle_registries(self) -> None:
        if self.registry_dock is None:
            from annotator.ui.registry_panel import RegistryPanel

            panel = RegistryPanel(self.db, self.undo_stack, self)
            panel.registry_changed.connect(self._on_registry_changed)
            panel.open_document.connect(self.open_document)
            panel.message.connect(lambda m: self.statusBar().showMessage(m, 10000))
            self.registry_dock = QDockWidget("Registries", self)
            self.registry_dock.setObjectName("registries_dock")
            self.registry_dock.setWidget(panel)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.registry_dock)
            self.registry_dock.hide()
        panel = self.registry_dock.widget()
        if self.registry_dock.isVisible():
            self.registry_dock.hide()
            return
        panel.set_project(self.project_id)  # type: ignore[attr-defined]
        self.registry_dock.show()
        self.registry_dock.raise_()

    def _on_registry_changed(self) -> None:
        refresh = getattr(self.workspace, "on_registry_changed", None)
        if callable(refresh):
            refresh()
        self.doc_panel.reload_choices()

    # -- dialogs ---------------------------------------------------------------------------
    def show_cheatsheet(self) -> None:
        from annotator.ui.cheatsheet import CheatSheet

        dialog = CheatSheet(self.all_shortcuts(), self.settings.dark, self)
        dialog.exec()

    def all_shortcuts(self) -> list[tuple[str, list[tuple[str, str]]]]:
        sections: list[tuple[str, list[tuple[str, str]]]] = [
            ("Attributions", list(self.workspace.shortcuts()))
        ]
        for menu in ("Document", "Edit", "View", "File", "Help"):
            if rows := self._shortcut_rows.get(menu):
                sections.append((menu if menu != "Document" else "Documents", rows))
        return sections

    def show_about(self) -> None:
        show_about(self)

    def open_settings(self) -> None:
        from annotator.ui.settings import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        if not dialog.exec():
            return
        name, size, dark = dialog.values()
        if size != self.settings.font_size:
            self.change_font(size - self.settings.font_size)
        if dark != self.settings.dark:
            self.set_dark(dark)
        if name != self.settings.annotator_name:
            self.settings.annotator_name = name
            self.set_annotator(projects.get_or_create_annotator(self.db, name))

    def new_project(self, name: str | None = None) -> None:
        """Create (or switch to) a project by name; imports then go into it."""
        if name is None:
            from PySide6.QtWidgets import QInputDialog

            name, ok = QInputDialog.getText(self, "New project", "Project name:")
            if not ok:
                return
        name = name.strip()
        if name:
            record = projects.get_or_create_project(self.db, name)
            self.reload_projects(select=record.name)  # "default" may be the existing "Default"

    def import_files(self) -> None:
        from annotator.ui.import_dialog import choose_and_import

        choose_and_import(self, folder=False)

    def import_folder(self) -> None:
        from annotator.ui.import_dialog import choose_and_import

        choose_and_import(self, folder=True)

    def after_import(self) -> None:
        """Refresh what an import may have changed (projects, documents, registries)."""
        self.reload_projects(select=self.project_combo.currentText())
        self.doc_panel.reload_choices()
        self.doc_panel.apply_filter()
        self._refresh_registries()

    def open_tool(self, name: str) -> None:
        open_tool(self, name)

    # -- events ----------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        if (geometry := self.settings.layout("geometry")) is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1600, 960)
            # Dock sizes only stick once the window is laid out.
            QTimer.singleShot(
                0, lambda: self.resizeDocks([self.doc_dock], [490], Qt.Orientation.Horizontal)
            )
        if (state := self.settings.layout("state")) is not None:
            self.restoreState(state)
        if self.settings.flag("registries_open"):
            QTimer.singleShot(0, self.toggle_registries)

    def save_layout(self) -> None:
        self.settings.set_layout("geometry", self.saveGeometry())
        self.settings.set_layout("state", self.saveState())
        # The registries dock is built on first use, so restoreState cannot reopen it alone.
        registries_open = self.registry_dock is not None and self.registry_dock.isVisible()
        self.settings.set_flag("registries_open", registries_open)
        self.settings.document_order = self.doc_panel.order_key()
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        QApplication.instance().removeEventFilter(self._bare_key_guard)  # type: ignore[union-attr]
        super().closeEvent(event)
