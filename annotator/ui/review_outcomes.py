"""What an analyst sees after review: per document, each quote's state, reviewer and comment."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.model import ReviewState
from annotator.storage.engine import Database
from annotator.team.review import outcomes_for, reviewed_documents
from annotator.ui.review.colors import colors

# state -> (label, text tone, background tone) in annotator.ui.review.colors
_STATE_STYLE = {
    ReviewState.ACCEPTED: ("✓ accepted", "good", "gold_bg"),
    ReviewState.REJECTED: ("✗ rejected", "bad", "missing_bg"),
    ReviewState.SUBMITTED: ("… awaiting review", "muted", None),
    ReviewState.DRAFT: ("draft", "muted", None),
}
COLUMNS = ("Quote", "Outcome", "Reviewer", "Comment")


class ReviewOutcomesPanel(QWidget):
    """Lists the analyst's reviewed documents; shows the outcomes of the chosen one.

    Double-click (or Enter) on a row emits `open_requested(document_id, attribution_id)` so the
    host can show that quote in the workspace for fixing.
    """

    open_requested = Signal(str, str)

    def __init__(
        self,
        db: Database,
        annotator_id: str,
        parent: QWidget | None = None,
        *,
        project_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.annotator_id, self.project_id = db, annotator_id, project_id
        self._done: dict[str, bool] = {}  # document id -> marked done by the analyst
        self.setWindowTitle("Review outcomes")
        self.documents = QComboBox()
        self.documents.currentIndexChanged.connect(lambda _i: self._show())
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setStyleSheet("padding:2px;")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.activated.connect(self._activated)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(QLabel("Document"))
        top.addWidget(self.documents, 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.resize(900, 480)
        self.refresh()

    def refresh(self) -> None:
        """Reload the documents (keeping the chosen one) and their outcomes."""
        chosen = self.documents.currentData()
        self.documents.blockSignals(True)
        self.documents.clear()
        self._done.clear()
        for doc in reviewed_documents(self.db, self.annotator_id, self.project_id):
            rejected = doc.counts.get(str(ReviewState.REJECTED), 0)
            flag = f"  —  {rejected} rejected" if rejected else ""
            self.documents.addItem(f"{doc.title}{flag}", doc.document_id)
            self._done[doc.document_id] = doc.done
        index = self.documents.findData(chosen)
        self.documents.setCurrentIndex(index if index >= 0 else 0)
        self.documents.blockSignals(False)
        self._show()

    def _show(self) -> None:
        doc_id = self.documents.currentData()
        outcomes = outcomes_for(self.db, doc_id, self.annotator_id) if doc_id else []
        self.table.setRowCount(len(outcomes))
        counts: dict[ReviewState, int] = {}
        palette = colors()
        for row, outcome in enumerate(outcomes):
            state = outcome.state
            if state is ReviewState.DRAFT and self._done.get(doc_id):
                state = ReviewState.SUBMITTED  # the document was marked done: handed in
            label, tone, background = _STATE_STYLE[state]
            counts[state] = counts.get(state, 0) + 1
            if outcome.in_gold:
                label += " ★ gold"
            cells = (f"“{outcome.excerpt}”", label, outcome.reviewer, outcome.comment)
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, outcome.attribution.id)
                if col == 1:
                    item.setForeground(QColor(palette[tone]))
                if background:
                    item.setBackground(QColor(palette[background]))
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        parts = [f"{n} {_STATE_STYLE[s][0].split(' ', 1)[-1]}" for s, n in counts.items()]
        self.summary.setText(", ".join(parts) if parts else "No reviewed work yet.")

    def _activated(self, index: object) -> None:
        item = self.table.item(index.row(), 0)  # type: ignore[attr-defined]
        doc_id = self.documents.currentData()
        if item is not None and doc_id:
            self.open_requested.emit(doc_id, item.data(Qt.ItemDataRole.UserRole))

    def comments(self) -> list[str]:
        """The reviewers' comments shown (non-empty), top to bottom."""
        out = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 3)
            if item is not None and item.text():
                out.append(item.text())
        return out


class ReviewOutcomesDialog(QDialog):
    """The panel with the main window's tool signature (db, project_id, parent): the analyst is
    the parent's current annotator (`parent.annotator`)."""

    def __init__(self, db: Database, project_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        annotator = getattr(parent, "annotator", None)
        if annotator is None:
            raise ValueError("ReviewOutcomesDialog needs parent.annotator")
        self.setWindowTitle(f"Review outcomes — {annotator.name}")
        self.panel = ReviewOutcomesPanel(db, annotator.id, self, project_id=project_id)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.resize(900, 520)
