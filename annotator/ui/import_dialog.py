"""File > Import files / folder: run the import pipeline in a worker with progress and Cancel,
then show the report (added, duplicates, attributions, every problem with its file and line)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.storage.engine import Database
from annotator.ui.workers import Task

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

FILE_FILTER = (
    "Articles and annotations (*.txt *.md *.markdown *.html *.htm *.xhtml *.jsonl *.ndjson"
    " *.csv *.json *.ann);;All files (*)"
)


class ImportRun(QObject):
    """One import in the background: a progress dialog with Cancel, then `done(report)`."""

    done = Signal(object)  # ImportReport
    failed = Signal(str)

    def __init__(
        self,
        db: Database,
        paths: Sequence[str | Path],
        project: str,
        annotator: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from annotator.importing.pipeline import import_paths

        self.progress = QProgressDialog("Looking for files…", "Cancel", 0, 0, parent)
        self.progress.setWindowTitle(f"Importing into “{project}”")
        self.progress.setMinimumDuration(300)  # quick imports finish without a flash of dialog
        self.progress.setMinimumWidth(460)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.task = Task(
            lambda progress, cancelled: import_paths(
                db,
                [str(p) for p in paths],
                project=project,
                annotator=annotator,
                progress=progress,
                cancelled=cancelled,
            ),
            self,
        )
        self.task.progress.connect(self._on_progress)
        self.task.finished.connect(self._on_finished)
        self.task.failed.connect(self._on_failed)
        self.progress.canceled.connect(self.task.cancel)

    def start(self) -> None:
        self.task.start()

    def _on_progress(self, done: int, total: int, path: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        self.progress.setLabelText(f"{done:,} of {total:,} files\n{Path(path).name}")

    def _on_finished(self, report: Any) -> None:
        self.progress.close()
        self.done.emit(report)

    def _on_failed(self, message: str) -> None:
        self.progress.close()
        self.failed.emit(message)


def summary(report: Any) -> str:
    parts = [
        f"{report.documents_added:,} document{'s' if report.documents_added != 1 else ''} added",
        f"{report.duplicates:,} duplicate{'s' if report.duplicates != 1 else ''} skipped",
        f"{report.attributions_added:,} attribution{'s' if report.attributions_added != 1 else ''}"
        + (f" ({present:,} already present)" if (present := report.attributions_present) else ""),
    ]
    n_err = len(report.errors)
    parts.append(f"{n_err:,} problem{'s' if n_err != 1 else ''}" if n_err else "no problems")
    if n_skip := len(report.warnings):
        parts.append(f"{n_skip:,} record{'s' if n_skip != 1 else ''} skipped")
    head = "Import cancelled: " if report.cancelled else ""
    return head + ", ".join(parts) + f" ({len(report.files):,} files read)."


class ImportReportDialog(QDialog):
    """The outcome per file, and every problem as one line naming its file (and line)."""

    def __init__(self, report: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import report")
        self.resize(820, 520)
        self.summary = QLabel(summary(report))
        self.summary.setWordWrap(True)
        self.summary.setObjectName("heading")
        self.table = QTableWidget(len(report.files), 5)
        self.table.setHorizontalHeaderLabels(["File", "Added", "Duplicates", "Quotes", "Problems"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for row, f in enumerate(report.files):
            name = QTableWidgetItem(Path(f.path).name)
            name.setToolTip(f.path)
            self.table.setItem(row, 0, name)
            for col, value in enumerate(
                (f.documents_added, f.duplicates, f.attributions_added, len(f.errors)), start=1
            ):
                item = QTableWidgetItem(str(value) if value else "–")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        # Problems name their file relative to the imported folder: shorter, still unambiguous.
        base = _common_dir([f.path for f in report.files])
        listed = report.errors + report.warnings  # problems, then records passed over
        lines = [e.removeprefix(base) if base else e for e in listed]
        self.errors = QPlainTextEdit("\n".join(lines))
        self.errors.setReadOnly(True)
        self.errors.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.where = QLabel(f"Files in {base.rstrip(os.sep)}" if base else "")
        self.where.setObjectName("hint")
        self.where.setVisible(bool(base))
        self.errors.setVisible(bool(listed))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.where)
        layout.addWidget(self.table, 3)
        if listed:
            layout.addWidget(QLabel("Problems and skipped records (the rest was imported):"))
        layout.addWidget(self.errors, 2)
        layout.addWidget(buttons)


def _common_dir(paths: list[str]) -> str:
    """The folder all `paths` share, with a trailing separator ("" when none or only one)."""
    if len(paths) < 2:
        return ""
    try:
        common = os.path.commonpath(paths)
    except ValueError:
        return ""
    return common + os.sep if common and common != os.sep else ""


def run_import(
    window: MainWindow, paths: Sequence[str | Path], *, show_report: bool = True
) -> ImportRun:
    """Start importing `paths` into the window's current project; refreshes the window when done."""
    project = window.project_combo.currentText() or "Default"
    run = ImportRun(window.db, paths, project, window.annotator.name, window)

    def finished(report: Any) -> None:
        window.after_import()
        window.statusBar().showMessage(summary(report), 10000)
        window.last_import_report = report
        if show_report:
            dialog = ImportReportDialog(report, window)
            dialog.exec()

    def failed(message: str) -> None:
        window.statusBar().showMessage(f"Import failed: {message}", 10000)
        if show_report:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(window, "Import failed", message)

    run.done.connect(finished)
    run.failed.connect(failed)
    run.start()
    window.import_run = run  # keep it alive until it reports
    return run


def choose_and_import(window: MainWindow, *, folder: bool) -> ImportRun | None:
    if folder:
        chosen = QFileDialog.getExistingDirectory(window, "Import every article in a folder")
        paths = [chosen] if chosen else []
    else:
        paths, _ = QFileDialog.getOpenFileNames(window, "Import files", "", FILE_FILTER)
    if not paths:
        return None
    return run_import(window, paths)
