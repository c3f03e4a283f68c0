"""The review queue (left pane): documents with submitted work, loaded off the GUI thread."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from annotator.storage.engine import Database
from annotator.team import review
from annotator.team.review_models import QueueItem
from annotator.ui.review.colors import colors
from annotator.ui.workers import Task


class QueuePanel(QWidget):
    document_chosen = Signal(str)
    loaded = Signal()  # the list was (re)filled from the database

    def __init__(self, db: Database, project_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.project_id = db, project_id
        self.ready = False  # True once a background load filled the list
        self._task: Task | None = None
        self._current_id: str | None = None
        self.list = QListWidget()
        self.list.setMinimumWidth(220)
        self.list.setSpacing(2)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setStyleSheet(
            "QListWidget::item { padding: 6px 4px; border-bottom: 1px solid palette(mid); }"
            "QListWidget::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        self.list.currentItemChanged.connect(self._changed)
        self.status = QLabel()
        self.status.setStyleSheet("padding:4px 6px;")
        self.status.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.status)
        box.addWidget(self.list)

    def load(self, current_id: str | None = None) -> None:
        """Reload the whole queue off the GUI thread (a project may hold thousands of
        documents: 1.7 s for 10,000 in bench/review_bench.py); `loaded` fires when filled."""
        self.ready = False
        self.status.setText("Loading the review queue…")
        db, project_id = self.db, self.project_id
        # no parent: the task may outlive a closed window; its signals then go nowhere
        task = Task(lambda _progress, _cancelled: review.review_queue(db, project_id))
        self._current_id = current_id
        # bound methods (not lambdas): Qt drops the connection when this panel is deleted
        task.finished.connect(self._fill)
        task.failed.connect(self.status.setText)
        self._task = task
        task.start()

    def _fill(self, items: list[QueueItem]) -> None:
        if not shiboken6.isValid(self.list):  # closed while loading
            return
        current_id = self._current_id
        self.list.blockSignals(True)
        self.list.clear()
        current = None
        for item in items:
            entry = QListWidgetItem()
            entry.setData(Qt.ItemDataRole.UserRole, item.document_id)
            # room for a title wrapped on two lines plus the two status lines
            entry.setSizeHint(QSize(0, self.list.fontMetrics().lineSpacing() * 4 + 16))
            _describe(entry, item)
            self.list.addItem(entry)
            if item.document_id == current_id:
                current = entry
        self.list.blockSignals(False)
        noun = "document" if len(items) == 1 else "documents"
        self.status.setText(f"{len(items)} {noun} with submitted work")
        if current is not None:
            self.list.setCurrentItem(current)
        elif self.list.count():
            self.list.setCurrentRow(0)
        self.ready = True
        self.loaded.emit()

    def refresh_entry(self, document_id: str) -> None:
        """After a decision: update that document's entry only (one small query, ~1 ms)."""
        items = review.review_queue(self.db, self.project_id, [document_id])
        for row in range(self.list.count()):
            entry = self.list.item(row)
            if entry.data(Qt.ItemDataRole.UserRole) == document_id and items:
                _describe(entry, items[0])

    def _changed(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self.document_chosen.emit(item.data(Qt.ItemDataRole.UserRole))


def _describe(entry: QListWidgetItem, item: QueueItem) -> None:
    counts = " · ".join(f"{n} {item.counts[n]}" for n in item.annotators)
    done = item.pending == 0 and item.has_gold
    status = "✓ reviewed" if done else f"{item.pending} to review"
    gold = f" · ★ {item.gold_count}" if item.has_gold else ""
    entry.setText(f"{item.title}\n{counts}\n{status}{gold}")
    entry.setForeground(QColor(colors()["good"]) if done else QBrush())
