"""Undo commands of the review window: each wraps one review service call.

The first redo() performs the action (the service commits before the UI is told); later
undo()/redo() call `revert_change` / `reapply_change`, which restore the exact records.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from annotator.services.attributions import SpanError
from annotator.storage.engine import Database
from annotator.team import review
from annotator.team.review_models import ReviewChange, ReviewError, StaleChangeError

log = logging.getLogger(__name__)

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
        fallback: Callable[[ReviewChange | None, str], None] | None = None,
    ) -> None:
        super().__init__(text)
        self.db = db
        self.reviewer_id = reviewer_id
        self.perform = perform
        self.on_done = on_done
        self.on_error = on_error
        # Told instead when the review window is gone (an undo from the main window's stack),
        # so the main window can refresh what it shows and say what was undone.
        self.fallback = fallback
        self.change: ReviewChange | None = None

    def _tell(self, callback: Callable[..., None], args: tuple[Any, ...], said: str) -> None:
        owner = getattr(callback, "__self__", None)
        gone = isinstance(owner, QObject) and not shiboken6.isValid(owner)
        if gone or (isinstance(owner, QWidget) and not owner.isVisible()):
            # The review window was closed (or deleted): the main window shows the change.
            if self.fallback is not None:
                _notify(self.fallback, self.change, said)
            return
        _notify(callback, *args)

    def redo(self) -> None:
        first = self.change is None
        try:
            if self.change is None:
                self.change = self.perform()
            else:
                review.reapply_change(self.db, self.change, self.reviewer_id)
        except EXPECTED as exc:
            self._tell(self.on_error, (_message(exc),), f"Not redone: {_message(exc)}")
            self.setObsolete(True)  # dropped from the stack: nothing was changed
            return
        self._tell(self.on_done, (self.change, first), f"Redone: {self.text()}")

    def undo(self) -> None:
        if self.change is None:
            return
        try:
            review.revert_change(self.db, self.change, self.reviewer_id)
        except EXPECTED as exc:
            self._tell(self.on_error, (_message(exc),), f"Not undone: {_message(exc)}")
            self.setObsolete(True)
            return
        self._tell(self.on_done, (self.change, False), f"Undone: {self.text()}")


def _message(exc: Exception) -> str:
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)


def _notify(callback: Callable[..., None], *args: Any) -> None:
    """Tell the window, if it still exists: the command outlives it on a shared undo stack (the
    main window's), and an exception escaping into Qt from undo()/redo() would crash PySide."""
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, QObject) and not shiboken6.isValid(owner):
        return
    try:
        callback(*args)
    except Exception:  # noqa: BLE001 - the change is stored; only the refresh failed
        log.exception("review window refresh failed")
