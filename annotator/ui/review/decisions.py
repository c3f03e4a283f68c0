"""The review window's decisions: accept, accept agreed, reject with a comment, edit the gold,
next disagreement; each one a ReviewCommand on the undo stack (annotator/ui/review/commands.py)
calling annotator.team.review. Mixed into ReviewWindow, whose widgets it drives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6

from annotator.services.registries import list_actors, list_targets
from annotator.team import review
from annotator.team.review_models import ComparisonGroup, ReviewChange
from annotator.ui.review.commands import ReviewCommand
from annotator.ui.review.gold_editor import GoldEditor

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QFrame, QLabel, QStatusBar

    from annotator.storage.engine import Database
    from annotator.ui.review.group_table import GroupTable, GroupTableModel
    from annotator.ui.review.queue_panel import QueuePanel
    from annotator.ui.review.quote_text import QuoteText


class DecisionsMixin:
    """Decision methods of ReviewWindow (which provides these attributes)."""

    db: Database
    reviewer_id: str
    project_id: str
    document_id: str | None
    undo_stack: QUndoStack
    model: GroupTableModel
    table: GroupTable
    text_view: QuoteText
    queue_panel: QueuePanel
    reject_bar: QFrame
    reject_label: QLabel
    reject_edit: Any
    gold_editor: GoldEditor | None
    _reject_target: str | None
    host_refresh: Callable[[ReviewChange | None, str], None] | None

    if TYPE_CHECKING:  # provided by ReviewWindow / QMainWindow; stubs here would shadow them

        def statusBar(self) -> QStatusBar: ...  # noqa: N802
        def current_group(self) -> ComparisonGroup | None: ...
        def _load(self, row: int, column: int) -> None: ...

    def _push(self, text: str, perform: Callable[[], ReviewChange]) -> None:
        self.undo_stack.push(
            ReviewCommand(
                self.db, self.reviewer_id, text, perform, self._done, self._error, self.host_refresh
            )
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
