"""Pieces of the main window kept apart to keep it small: the status undo command, the guard
that lets bare-key shortcuts type into text fields, and the lazy opener of other teams' dialogs."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QToolBar,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from annotator.model import WorkStatus
from annotator.services import documents
from annotator.ui.document_list import STATUS_LABEL

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

# menu entry -> (module, dialog class taking (db, project_id, parent)); imported when opened
TOOLS: dict[str, tuple[str, str]] = {
    "export": ("annotator.ui.export_dialog", "ExportDialog"),
    "bundle_import": ("annotator.ui.bundle_dialog", "BundleImportDialog"),
    "bundle_export": ("annotator.ui.bundle_dialog", "BundleExportDialog"),
    "review": ("annotator.ui.review", "ReviewDialog"),
    "review_outcomes": ("annotator.ui.review_outcomes", "ReviewOutcomesDialog"),
    "agreement": ("annotator.ui.agreement_view", "AgreementDialog"),
    "progress": ("annotator.ui.agreement_view", "DashboardDialog"),
}


class SetStatusCommand(QUndoCommand):
    """Mark a document new / in progress / done for the current annotator (undoable)."""

    def __init__(
        self, window: MainWindow, document_id: str, annotator_id: str, status: WorkStatus
    ) -> None:
        super().__init__(f"mark {STATUS_LABEL[status]}")
        self.window, self.document_id, self.annotator_id = window, document_id, annotator_id
        self.new = status
        self.old = documents.get_work_status(window.db, document_id, annotator_id)

        self._ran = False

    def redo(self) -> None:
        if not self._apply(self.new) and not self._ran:
            self.setObsolete(True)  # nothing was stored: QUndoStack drops the command
        self._ran = True

    def undo(self) -> None:
        self._apply(self.old)

    def _apply(self, status: WorkStatus) -> bool:
        try:
            documents.set_work_status(self.window.db, self.document_id, self.annotator_id, status)
        except SQLAlchemyError as exc:  # e.g. the database stayed locked past the busy timeout
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            self.window.statusBar().showMessage(f"Not saved: {self.text()} ({first})", 10000)
            return False
        self.window.status_changed(self.document_id, status)
        return True


def open_tool(window: MainWindow, name: str) -> None:
    """Open another team's dialog, imported only now (fast start-up, optional modules)."""
    module_name, class_name = TOOLS[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            window.statusBar().showMessage(f"Not available in this build ({module_name})", 6000)
            return
        raise
    if window.project_id is None:
        window.statusBar().showMessage("Choose or import a project first", 6000)
        return
    dialog = getattr(module, class_name)(window.db, window.project_id, window)
    dialog.exec()
    # Bundles, review and imports change what the list and the workspace show.
    window.after_import()
    current = window.workspace.current_document_id()
    window.workspace.load_document(current)


def is_text_input(widget: QWidget | None) -> bool:
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return True
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return False


class BareKeyGuard(QObject):
    """A bare-key shortcut (N, P, ?) must type into a focused text field instead of firing."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ShortcutOverride and is_text_input(
            QApplication.focusWidget()
        ):
            key_text = event.text()  # type: ignore[attr-defined]
            mods = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier  # type: ignore[attr-defined]
            if key_text and key_text.isprintable() and mods == Qt.KeyboardModifier.NoModifier:
                event.accept()
                return True
        return False


def build_toolbar(window: MainWindow) -> QToolBar:
    """Project switcher, previous / next / done, and undo / redo with fixed labels."""
    bar = QToolBar("Main", window)
    bar.setObjectName("main_toolbar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    bar.addWidget(QLabel("Project"))
    bar.addWidget(window.project_combo)
    bar.addSeparator()
    for act in (window.prev_action, window.next_action, window.done_action):
        bar.addAction(act)
    bar.addSeparator()
    # Fixed labels on the toolbar (the menu's actions name the edit and would make the
    # toolbar jump with every edit); the tooltip says what will be undone.
    stack = window.undo_stack
    for label, run, can, text, changed in (
        ("↶ Undo", stack.undo, stack.canUndo, stack.undoText, stack.canUndoChanged),
        ("↷ Redo", stack.redo, stack.canRedo, stack.redoText, stack.canRedoChanged),
    ):
        act = QAction(label, window)
        act.triggered.connect(lambda _c=False, run=run: run())
        act.setEnabled(can())

        def update(_v: object = None, act: QAction = act, can=can, text=text) -> None:
            try:
                act.setEnabled(can())
                act.setToolTip(f"{act.text()[2:]} {text()}".strip())
            except RuntimeError:  # the window is being destroyed: stack or action gone
                pass

        changed.connect(update)
        stack.indexChanged.connect(update)
        bar.addAction(act)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    for act, label in ((window.prev_action, "‹ Prev  P"), (window.next_action, "Next  N ›")):
        bar.widgetForAction(act).setText(label)  # type: ignore[union-attr]
    bar.widgetForAction(window.done_action).setText("✓ Done  Ctrl+D")  # type: ignore[union-attr]
    return bar


def show_about(window: MainWindow) -> None:
    from annotator import __version__

    QMessageBox.about(
        window,
        "About Annotator",
        f"<b>Annotator {__version__}</b><p>Who said what, and for or against what, in news."
        f"<p>Database: {window.db.url.render_as_string(hide_password=True)}"
        f"<br>Settings: {window.settings.path}",
    )
