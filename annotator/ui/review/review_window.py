"""The team lead's review window: queue | document text over the side-by-side table.

Keys in the table: Up/Down quote, Left/Right version, 1-9 accept that analyst's version into
gold, A accept the agreed version, R reject the current version (comment bar), E edit the gold,
G next disagreement, Ctrl+Z / Ctrl+Shift+Z undo / redo. Every decision is a ReviewCommand on
the undo stack calling annotator.team.review; widgets never touch the database directly.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
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

from annotator.services.registries import list_actors, list_targets
from annotator.storage.engine import Database
from annotator.team import review
from annotator.team.review_models import ComparisonGroup, ReviewChange
from annotator.ui.review.colors import colors
from annotator.ui.review.commands import ReviewCommand
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


class ReviewWindow(QMainWindow):
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

    # --- decisions ---------------------------------------------------------------------------
    def _push(self, text: str, perform: Callable[[], ReviewChange]) -> None:
        self.undo_stack.push(
            ReviewCommand(self.db, self.reviewer_id, text, perform, self._done, self._error)
        )

    def accept_version(self, column: int) -> None:
        group = self.current_group()
        ann_id = self.model.annotator_at(column)
        if group is None or ann_id is None:
            self._error(f"there is no analyst {column}")
            return
        record = group.members.get(ann_id)
        name = self.model.comparison.annotator_names.get(ann_id, ann_id)  # type: ignore[union-attr]
        if record is None:
            self._error(f"{name} did not mark quote {group.index + 1}")
            return
        self._push(
            f"Accept {name}'s version of quote {group.index + 1}",
            lambda: review.accept(self.db, record.id, self.reviewer_id),
        )

    def _accept_current(self) -> None:
        self.accept_version(self.table.currentIndex().column())

    def accept_agreed(self) -> None:
        group = self.current_group()
        if group is None:
            return
        if not group.agreed:
            what = ", ".join(sorted(group.differences)) or "not every analyst marked it"
            self._error(f"versions differ ({what}): choose one with 1–9")
            return
        record = next(iter(group.members.values()))
        self._push(
            f"Accept agreed quote {group.index + 1}",
            lambda: review.accept(self.db, record.id, self.reviewer_id),
        )

    def accept_all_agreed(self) -> None:
        """Shift+A: every quote all analysts marked identically and without gold yet, as one
        undoable step (the routine part of a document, so the lead can focus on the rest)."""
        cmp = self.model.comparison
        if cmp is None:
            return
        todo = [next(iter(g.members.values())).id for g in cmp.groups if g.agreed and not g.gold]
        if not todo:
            self._error("no agreed quotes without gold in this document")
            return
        self.undo_stack.beginMacro(f"Accept {len(todo)} agreed quotes")
        for att_id in todo:
            self._push(
                "Accept agreed quote",
                lambda att_id=att_id: review.accept(self.db, att_id, self.reviewer_id),
            )
        self.undo_stack.endMacro()
        self.next_disagreement()
        self.statusBar().showMessage(f"Accepted {len(todo)} agreed quotes into gold", 5000)

    def start_reject(self) -> None:
        group = self.current_group()
        if group is None:
            return
        ann_id = self.model.annotator_at(self.table.currentIndex().column())
        if ann_id is None and len(group.members) == 1:
            ann_id = next(iter(group.members))
        record = group.members.get(ann_id or "")
        if record is None:
            self._error("move to an analyst's version with ←/→ to reject it")
            return
        name = self.model.comparison.annotator_names.get(ann_id or "", "")  # type: ignore[union-attr]
        self._reject_target = record.id
        self.reject_label.setText(f"Reject <b>{name}</b>'s version of quote {group.index + 1}:")
        self.reject_edit.clear()
        self.reject_bar.show()
        self.reject_edit.setFocus()
        self.table.schedule_relayout()  # the bar took room: keep the quote in view

    def finish_reject(self) -> None:
        target, comment = self._reject_target, self.reject_edit.text().strip()
        if target is None:
            return
        if not comment:
            self.statusBar().showMessage("a rejection needs a comment for the analyst", 5000)
            return
        self.cancel_reject()
        self._push(
            "Reject version", lambda: review.reject(self.db, target, self.reviewer_id, comment)
        )

    def cancel_reject(self) -> None:
        self._reject_target = None
        self.reject_bar.hide()
        self.table.setFocus()

    def edit_gold(self) -> None:
        group, cmp = self.current_group(), self.model.comparison
        if group is None or cmp is None:
            return
        base = group.gold
        if base is None:  # build the gold from the current (or first) version, then edit
            ann_id = self.model.annotator_at(self.table.currentIndex().column())
            base = group.members.get(ann_id or "") or next(iter(group.members.values()), None)
        if base is None:
            return
        editor = GoldEditor(
            base,
            cmp.text,
            list_actors(self.db, self.project_id),
            list_targets(self.db, self.project_id),
            self.text_view.selected_span(),
            self,
        )
        editor.accepted.connect(lambda: self._apply_edit(group, base, editor.changes()))
        self.gold_editor = editor
        editor.open()

    def _apply_edit(self, group: ComparisonGroup, base: object, changes: dict) -> None:
        if not changes and group.gold is not None:
            return
        n = group.index + 1
        if group.gold is not None:
            gold_id = group.gold.id
            self._push(
                f"Edit gold of quote {n}",
                lambda: review.edit_gold(self.db, gold_id, self.reviewer_id, **changes),
            )
            return
        source_id = base.id  # type: ignore[attr-defined]
        holder: dict[str, str] = {}

        def create() -> ReviewChange:
            change = review.accept(self.db, source_id, self.reviewer_id)
            holder["gold"] = change.gold_id or ""
            return change

        self.undo_stack.beginMacro(f"Edit gold of quote {n}")
        self._push(f"Accept version of quote {n}", create)
        if changes and holder.get("gold"):
            self._push(
                "Edit gold",
                lambda: review.edit_gold(self.db, holder["gold"], self.reviewer_id, **changes),
            )
        self.undo_stack.endMacro()

    def next_disagreement(self) -> None:
        cmp = self.model.comparison
        if cmp is None or not cmp.groups:
            return
        row = self.table.currentIndex().row()
        order = [*cmp.groups[row + 1 :], *cmp.groups[: row + 1]]
        target = next((g for g in order if not g.agreed and g.gold is None), None)
        target = target or next((g for g in order if not g.agreed), None)
        if target is None:
            self.statusBar().showMessage("no disagreements in this document", 4000)
            return
        self.table.setCurrentIndex(
            self.model.index(target.index, max(self.table.currentIndex().column(), 1))
        )

    # --- after a command ---------------------------------------------------------------------
    def _done(self, change: ReviewChange, first: bool) -> None:
        if not shiboken6.isValid(self.table):  # the window is being torn down
            return
        current = self.table.currentIndex()
        row, column = current.row(), max(current.column(), 1)
        if change.document_id != self.document_id:
            self.document_id = change.document_id
        self._load(row, column)
        if first:  # a fresh decision: on to the next quote
            if row + 1 < self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(row + 1, column))
        else:  # undo/redo: show the quote it touched
            cmp = self.model.comparison
            touched = next((cmp.group_of(i) for i in change.after if cmp and cmp.group_of(i)), None)
            if touched is not None:
                self.table.setCurrentIndex(self.model.index(touched.index, column))
        self.queue_panel.refresh_entry(change.document_id)
        self.statusBar().showMessage(f"Saved: {change.action}", 3000)

    def _error(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)
