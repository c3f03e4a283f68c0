"""The team lead's review window: queue | document text over the side-by-side table.

Keys in the table: Up/Down quote, Left/Right version, 1-9 accept that analyst's version into
gold, A accept the agreed version, R reject the current version (comment bar), E edit the gold,
G next disagreement, Ctrl+Z / Ctrl+Shift+Z undo / redo. Every decision is a ReviewCommand on
the undo stack calling annotator.team.review; widgets never touch the database directly.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QKeyEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.storage.engine import Database
from annotator.team import review
from annotator.team.review_models import ComparisonGroup, ReviewChange
from annotator.ui.review.colors import colors
from annotator.ui.review.decisions import DecisionsMixin
from annotator.ui.review.gold_editor import GoldEditor
from annotator.ui.review.group_table import GroupTable, GroupTableModel
from annotator.ui.review.queue_panel import QueuePanel
from annotator.ui.review.quote_text import QuoteText

LEGEND = (
    "<b>↑↓</b> quote &nbsp; <b>←→</b> version &nbsp; <b>1–9</b> accept version into gold &nbsp; "
    "<b>A</b> accept agreed &nbsp; <b>Shift+A</b> all agreed &nbsp; "
    "<b>R</b> reject with comment &nbsp; <b>E</b> edit gold &nbsp; "
    "<b>G</b> next disagreement &nbsp; <b>Ctrl+Z</b> undo"
)


class CommentEdit(QLineEdit):
    """The rejection comment field: Enter rejects (returnPressed), Esc cancels."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class ReviewWindow(DecisionsMixin, QMainWindow):
    queue_loaded = Signal()  # the queue list was (re)filled from the database

    def __init__(
        self,
        db: Database,
        project_id: str,
        reviewer_id: str,
        undo_stack: QUndoStack | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.project_id, self.reviewer_id = db, project_id, reviewer_id
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.document_id: str | None = None
        self.gold_editor: GoldEditor | None = None
        self._reject_target: str | None = None
        # Set by ReviewDialog: the main window's refresh, for undos after this window closed.
        self.host_refresh: Callable[[ReviewChange | None, str], None] | None = None
        self.setWindowTitle("Review and adjudication")
        self._build()
        self.refresh_queue()

    # --- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.queue_panel = QueuePanel(self.db, self.project_id)
        self.queue_panel.document_chosen.connect(self.open_document)
        self.queue_panel.loaded.connect(self.queue_loaded)
        self.queue, self.queue_status = self.queue_panel.list, self.queue_panel.status
        self.text_view = QuoteText()
        self.model = GroupTableModel(self)
        self.table = GroupTable()
        self.table.setModel(self.model)
        self.table.key_handler = self.handle_key
        self.table.selectionModel().currentChanged.connect(lambda *_: self._highlight())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(90)
        self.model.modelReset.connect(self._fix_status_column)
        self.reject_bar, self.reject_label, self.reject_edit = self._build_reject_bar()
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)  # never forces the window wider than a small laptop screen
        legend.setStyleSheet("padding:4px 6px; background: palette(alternate-base);")
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-size:13pt; font-weight:600; padding:4px 2px;")
        bottom = QWidget()
        box = QVBoxLayout(bottom)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table)
        box.addWidget(self.reject_bar)
        box.addWidget(legend)
        right = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_box = QVBoxLayout(top)
        top_box.setContentsMargins(0, 0, 0, 0)
        top_box.addWidget(self.title_label)
        top_box.addWidget(self.text_view)
        right.addWidget(top)
        right.addWidget(bottom)
        right.setSizes([300, 520])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.queue_panel)
        split.addWidget(right)
        split.setSizes([250, 1100])
        self.setCentralWidget(split)
        self._build_actions()
        self.resize(1360, 860)

    def _build_reject_bar(self) -> tuple[QFrame, QLabel, CommentEdit]:
        bar = QFrame()
        bar.setStyleSheet(
            f"QFrame {{ background:{colors()['missing_bg']}; border-top:1px solid #E57373; }}"
        )
        label = QLabel()
        edit = CommentEdit()
        edit.escaped.connect(self.cancel_reject)
        edit.setPlaceholderText("Why is this version wrong? (Enter rejects, Esc cancels)")
        edit.returnPressed.connect(self.finish_reject)
        row = QHBoxLayout(bar)
        row.addWidget(label)
        row.addWidget(edit, 1)
        bar.hide()
        return bar, label, edit

    def _build_actions(self) -> None:
        bar = self.addToolBar("Review")
        bar.setMovable(False)

        def add(text: str, tip: str, slot: Callable[[], object]) -> None:
            action = QAction(text, self)
            action.setToolTip(tip)
            action.triggered.connect(slot)
            bar.addAction(action)

        add("Accept agreed  [A]", "Accept the version all analysts agree on", self.accept_agreed)
        add(
            "All agreed  [Shift+A]",
            "Accept every quote the analysts agree on that has no gold yet",
            self.accept_all_agreed,
        )
        add("Accept version  [1–9]", "Accept the current column's version", self._accept_current)
        add("Reject…  [R]", "Reject the current version with a comment", self.start_reject)
        add("Edit gold…  [E]", "Edit the gold record of this quote", self.edit_gold)
        add(
            "Next disagreement  [G]",
            "Jump to the next quote the analysts disagree on",
            self.next_disagreement,
        )
        add("Refresh  [F5]", "Reload the queue and this document", self.reload)
        bar.addSeparator()
        undo = self.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        bar.addAction(undo)
        bar.addAction(redo)

    # --- loading -----------------------------------------------------------------------------
    def refresh_queue(self) -> None:
        """Reload the queue off the GUI thread; `queue_loaded` fires when it is filled."""
        self.queue_panel.load(self.document_id)

    def reload(self) -> None:
        """F5: show what others changed meanwhile (a merged bundle, another lead)."""
        current = self.table.currentIndex()
        if self.document_id is not None:
            self._load(current.row(), max(current.column(), 1))
        self.refresh_queue()

    @property
    def queue_ready(self) -> bool:
        return self.queue_panel.ready

    def open_document(self, document_id: str) -> None:
        self.document_id = document_id
        self._load(0, 1)
        self.table.setFocus()

    def _load(self, row: int, column: int) -> None:
        assert self.document_id is not None
        cmp = review.comparison(self.db, self.document_id)
        self.title_label.setText(cmp.title)
        self.model.set_comparison(cmp)
        self.table.resizeRowsToContents()
        if self.model.rowCount():
            row = min(max(row, 0), self.model.rowCount() - 1)
            column = min(max(column, 0), self.model.columnCount() - 1)
            self.table.setCurrentIndex(self.model.index(row, column))
        self.table.schedule_relayout()
        self._highlight()

    def _fix_status_column(self) -> None:
        if self.model.columnCount():
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(0, 112)

    def current_group(self) -> ComparisonGroup | None:
        return self.model.group(self.table.currentIndex().row())

    def _highlight(self) -> None:
        if self.model.comparison is not None:
            self.text_view.show_comparison(self.model.comparison, self.current_group())

    # --- keys --------------------------------------------------------------------------------
    def handle_key(self, event: QKeyEvent) -> bool:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_stack.undo()
            return True
        if event.matches(QKeySequence.StandardKey.Redo):
            self.undo_stack.redo()
            return True
        if (
            event.modifiers()
            & ~Qt.KeyboardModifier.KeypadModifier
            & ~Qt.KeyboardModifier.ShiftModifier
        ):
            return False
        key = event.key()
        if key == Qt.Key.Key_A and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.accept_all_agreed()
            return True
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.accept_version(key - Qt.Key.Key_0)
            return True
        handlers = {
            Qt.Key.Key_F5: self.reload,
            Qt.Key.Key_A: self.accept_agreed,
            Qt.Key.Key_R: self.start_reject,
            Qt.Key.Key_E: self.edit_gold,
            Qt.Key.Key_G: self.next_disagreement,
        }
        if key in handlers:
            handlers[key]()
            return True
        return False
