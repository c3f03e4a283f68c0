"""Undo commands of the review window: each wraps one review service call.

The first redo() performs the action (the service commits before the UI is told); later
undo()/redo() call `revert_change` / `reapply_change`, which restore the exact records.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.services.attributions import SpanError
from annotator.storage.engine import Database
from annotator.team import review
from annotator.team.review_models import ReviewChange, ReviewError, StaleChangeError

# Errors a lead can cause (stale undo, empty comment, bad span): reported, never a crash.
EXPECTED = (ReviewError, StaleChangeError, SpanError, KeyError)


class ReviewCommand(QUndoCommand):
    """`perform` does the action once; `on_done(change, first_time)` refreshes the window."""

    def __init__(
        self,
        db: Database,
        reviewer_id: str,
        text: str,
        perform: Callable[[], ReviewChange],
        on_done: Callable[[ReviewChange, bool], None],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__(text)
        self.db = db
        self.reviewer_id = reviewer_id
        self.perform = perform
        self.on_done = on_done
        self.on_error = on_error
        self.change: ReviewChange | None = None

    def redo(self) -> None:
        first = self.change is None
        try:
            if self.change is None:
                self.change = self.perform()
            else:
                review.reapply_change(self.db, self.change, self.reviewer_id)
        except EXPECTED as exc:
            self.on_error(_message(exc))
            self.setObsolete(True)  # dropped from the stack: nothing was changed
            return
        self.on_done(self.change, first)

    def undo(self) -> None:
        if self.change is None:
            return
        try:
            review.revert_change(self.db, self.change, self.reviewer_id)
        except EXPECTED as exc:
            self.on_error(_message(exc))
            self.setObsolete(True)
            return
        self.on_done(self.change, False)


def _message(exc: Exception) -> str:
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
