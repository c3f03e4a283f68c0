"""The review window as a dialog with the main window's tool signature (db, project_id, parent).

The reviewer is the parent's current annotator (`parent.annotator`), and decisions go on the
parent's undo stack when it has one, so they stay undoable after the dialog closes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from annotator.storage.engine import Database
from annotator.ui.review.review_window import ReviewWindow


class ReviewDialog(QDialog):
    def __init__(
        self,
        db: Database,
        project_id: str,
        parent: QWidget | None = None,
        *,
        reviewer_id: str | None = None,
        undo_stack: QUndoStack | None = None,
    ) -> None:
        super().__init__(parent)
        reviewer_id = reviewer_id or getattr(getattr(parent, "annotator", None), "id", None)
        if reviewer_id is None:
            raise ValueError("ReviewDialog needs a reviewer (reviewer_id or parent.annotator)")
        stack = undo_stack if undo_stack is not None else getattr(parent, "undo_stack", None)
        self.setWindowTitle("Review and adjudication")
        self.window_ = ReviewWindow(
            db, project_id, reviewer_id, stack if isinstance(stack, QUndoStack) else None, self
        )
        # A QMainWindow is a window of its own even with a parent: made a plain child widget,
        # it is shown inside this dialog (else the dialog stays blank and it stays hidden).
        self.window_.setWindowFlags(Qt.WindowType.Widget)
        self.window_.host_refresh = getattr(parent, "after_review_change", None)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.window_)
        self.resize(1360, 860)
