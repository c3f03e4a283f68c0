"""A dialog that computes in a worker thread and reports back on the GUI thread.

The worker (a QThread) runs a service function with progress and cancel callbacks and posts its
result by queued signals; the dialog shows progress with a Cancel button and never touches the
database itself. Shared by the agreement dialog and the progress dashboard.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.storage.engine import Database
from annotator.team.agreement_service import AgreementCancelled


class Worker(QThread):
    """Runs `fn(progress, cancelled)` off the GUI thread; reports by queued signals."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled_ = Signal()

    def __init__(self, fn: Callable[..., Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        try:
            result = self._fn(self.progressed.emit, self._stop.is_set)
        except AgreementCancelled:
            self.cancelled_.emit()
        except Exception as exc:  # noqa: BLE001 - shown to the user as one line
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(result)


_RUNNING: set[Worker] = set()


def _release(worker: Worker) -> None:
    worker.wait()  # `finished` is emitted just before the thread really ends
    _RUNNING.discard(worker)


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class _SortItem(QTableWidgetItem):
    """A read-only cell that sorts by a number when it has one (not by its text)."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine = self.data(Qt.ItemDataRole.UserRole)
        theirs = other.data(Qt.ItemDataRole.UserRole)
        if mine is not None and theirs is not None:
            return float(mine) < float(theirs)
        return self.text().casefold() < other.text().casefold()


def table_item(
    text: str, sort_value: float | None = None, align_right: bool = True
) -> QTableWidgetItem:
    item = _SortItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if sort_value is not None:
        item.setData(Qt.ItemDataRole.UserRole, sort_value)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def make_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class BackgroundDialog(QDialog):
    """Shared frame: a title, a status line with progress and Cancel, and a worker."""

    def __init__(
        self, db: Database, project_id: str | None, title: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.project_id = project_id
        self.worker: Worker | None = None
        self.setWindowTitle(title)
        self.heading = QLabel(title)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)  # Enter in a table must not press it
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel("")
        self.bar = QHBoxLayout()
        self.bar.addWidget(self.status, 1)
        self.bar.addWidget(self.progress)
        self.bar.addWidget(self.cancel_button)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 14, 16, 12)
        self.layout_.setSpacing(8)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.summary)

    def run(self, fn: Callable[..., Any]) -> None:
        if self.worker is not None and self.worker.isRunning():
            return
        if not self.project_id:
            self._finish("Open a project first.")
            return
        # No Qt parent: the thread object must outlive a dialog destroyed while it runs, so
        # it is kept in _RUNNING until it has finished.
        self.worker = worker = Worker(fn)
        _RUNNING.add(worker)
        worker.finished.connect(lambda: _release(worker))
        self.worker.progressed.connect(self._on_progress)
        self.worker.succeeded.connect(self._on_result)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled_.connect(self._on_cancelled)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.status.setText("Computing…")
        self.worker.start()

    @property
    def busy(self) -> bool:
        return self.worker is not None and self.worker.isRunning()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _finish(self, message: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.status.setText(message)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"Computing… {done} of {total} documents")

    def _on_failed(self, message: str) -> None:
        self._finish(f"Failed: {message}")

    def _on_cancelled(self) -> None:
        self._finish("Cancelled.")

    def _on_result(self, result: object) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def done(self, code: int) -> None:
        # Closing while computing: stop the worker first so it never outlives the dialog.
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait()
        super().done(code)
