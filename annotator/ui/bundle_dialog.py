"""File > Export bundle / Import bundle: move work between machines (docs/bundles.md).

Both dialogs run the service (annotator.team.bundle_export / bundle_import) in a worker Task with
progress and Cancel, and show the report. An import is checked completely before anything is
written and applied in one transaction: a bad or cancelled import leaves the database unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.services.projects import list_annotators, list_projects
from annotator.storage.engine import Database
from annotator.team.bundle_export import ExportOptions, ExportResult, export_bundle
from annotator.team.bundle_format import BundleCancelled, BundleError
from annotator.team.bundle_import import ImportReport, import_bundle
from annotator.ui.workers import Task

STAGES = {
    "checking": "Checking the bundle",
    "projects": "Projects and annotators",
    "documents": "Documents",
    "registries": "Speakers and targets",
    "attributions": "Attributions",
    "done": "Finishing",
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker hands back: a result, or one line saying why there is none."""

    result: Any = None
    error: str = ""
    cancelled: bool = False


def _guard(fn: Any) -> Outcome:
    try:
        return Outcome(result=fn())
    except BundleCancelled:
        return Outcome(cancelled=True)
    except (BundleError, OSError) as exc:
        return Outcome(error=str(exc))


def _stage_label(stage: str) -> str:
    if stage.endswith(".jsonl"):
        return "Writing " + stage.removesuffix(".jsonl").replace("_", " ")
    return STAGES.get(stage, stage)


class _BundleDialog(QDialog):
    """Shared frame: file row, progress bar, report, Close/Cancel and the action button."""

    action_text = ""

    def __init__(self, db: Database, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.db = db
        self.task: Task | None = None
        self.outcome: Outcome | None = None
        self.setMinimumWidth(600)
        self.path = QLineEdit()
        self.path.setClearButtonEnabled(True)
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self._browse)
        self.file_row = QHBoxLayout()
        self.file_row.addWidget(self.path, 1)
        self.file_row.addWidget(self.browse)
        self.stage = QLabel()
        self.stage.setObjectName("hint")
        self.stage.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setVisible(False)
        self.report.setMinimumHeight(240)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        # The report is a small table of counts: columns only line up in a fixed-width font.
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.action = QPushButton(self.action_text)
        self.action.setDefault(True)
        self.action.clicked.connect(self.start)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self._close_or_cancel)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.close_button)
        self.buttons.addWidget(self.action)
        self.path.textChanged.connect(self._update_enabled)

    def _finish_layout(self, form: QFormLayout, hint: str) -> None:
        note = QLabel(hint)
        note.setObjectName("hint")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.stage)
        layout.addWidget(self.progress)
        layout.addWidget(self.report, 1)
        layout.addLayout(self.buttons)
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.action.setEnabled(bool(self.path.text().strip()) and self.task is None)

    def _browse(self) -> None:  # pragma: no cover - native file dialog
        raise NotImplementedError

    def work(self) -> Any:
        """The service call for the worker; returns the callable run off the GUI thread."""
        raise NotImplementedError

    def report_lines(self, result: Any) -> list[str]:
        raise NotImplementedError

    def start(self) -> None:
        if self.task is not None or not self.path.text().strip():
            return
        run = self.work()
        self.outcome = None
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.stage.setVisible(True)
        self.stage.setText("Starting…")
        self.report.setVisible(False)
        self.close_button.setText("Cancel")
        self.task = Task(lambda progress, cancelled: _guard(lambda: run(progress, cancelled)), self)
        self.task.progress.connect(self._on_progress)
        self.task.finished.connect(self._on_finished)
        self.task.failed.connect(lambda message: self._on_finished(Outcome(error=message)))
        self._update_enabled()
        self.task.start()

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.stage.setText(_stage_label(label))
        self.progress.setRange(0, max(total, 1) if total else 0)
        self.progress.setValue(done)

    def _on_finished(self, outcome: Outcome) -> None:
        self.task = None
        self.outcome = outcome
        self.progress.setVisible(False)
        self.stage.setVisible(False)
        self.close_button.setText("Close")
        self._update_enabled()
        if outcome.cancelled:
            text = f"{self.action_text.replace('&', '')} cancelled: nothing was changed."
        elif outcome.error:
            text = f"Refused — nothing was changed.\n\n{outcome.error}"
        else:
            text = "\n".join(self.report_lines(outcome.result))
        wrap = QPlainTextEdit.LineWrapMode
        self.report.setLineWrapMode(wrap.WidgetWidth if outcome.error else wrap.NoWrap)
        self.report.setPlainText(text)
        self.report.setVisible(True)
        hint = self.sizeHint()  # grow so the report is readable without scrolling
        self.resize(max(self.width(), hint.width()), max(self.height(), hint.height()))

    def _close_or_cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            return
        self.accept()

    def reject(self) -> None:  # Esc / window close: never leave work running unseen
        if self.task is not None:
            self.task.cancel()
            self.task.wait(30)
        super().reject()


class BundleExportDialog(_BundleDialog):
    """Choose what to send (a project, one annotator, changes since a date, or an assignment)."""

    action_text = "&Export"

    def __init__(
        self, db: Database, project_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(db, parent)
        self.project_id = project_id
        self.setWindowTitle("Export bundle")
        self.project = QComboBox()
        self.project.addItem("All projects", None)
        for p in list_projects(db):
            self.project.addItem(p.name, p.name)
            if p.id == project_id:
                self.project.setCurrentIndex(self.project.count() - 1)
        self.work_kind = QRadioButton("&Work — documents, speakers, targets, attributions, reviews")
        self.assignment = QRadioButton(
            "&Assignment — documents, speakers, targets and guidelines, no annotations"
        )
        self.work_kind.setChecked(True)
        self.annotator = QComboBox()
        self.annotator.addItem("Everyone", None)
        for a in list_annotators(db):
            self.annotator.addItem(a.name, a.name)
        self.since_on = QCheckBox("Only &changes since")
        self.since = QDateTimeEdit(QDateTime.currentDateTimeUtc().addDays(-7))
        self.since.setTimeZone(QTimeZone.utc())
        self.since.setDisplayFormat("yyyy-MM-dd HH:mm 'UTC'")
        self.since.setCalendarPopup(True)
        self.since.setEnabled(False)
        self.since_on.toggled.connect(self.since.setEnabled)
        for combo in (self.project, self.annotator):
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_on)
        since_row.addWidget(self.since, 1)
        self.assignment.toggled.connect(self._kind_changed)
        self.project.currentIndexChanged.connect(self._suggest_path)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Project", self.project)
        form.addRow("Contents", self.work_kind)
        form.addRow("", self.assignment)
        form.addRow("A&nnotator", self.annotator)
        form.addRow("", since_row)
        label = QLabel("Bundle &file")
        label.setBuddy(self.path)
        form.addRow(label, self.file_row)
        self._suggest_path()
        self._finish_layout(
            form,
            "One .zip file with a manifest and a SHA-256 checksum for every part. The receiver"
            " merges it: nothing is duplicated, newer edits win and older ones stay in history.",
        )

    def _kind_changed(self, assignment: bool) -> None:
        for w in (self.annotator, self.since_on):
            w.setEnabled(not assignment)
        self.since.setEnabled(not assignment and self.since_on.isChecked())
        self._suggest_path()

    def _suggest_path(self) -> None:
        current = Path(self.path.text()) if self.path.text() else None
        folder = Path.home() / "annotator-bundles"
        if current is None or current.parent == folder:
            name = re.sub(r"[^\w.-]+", "-", self.project.currentText()).strip("-").lower()
            kind = "assignment" if self.assignment.isChecked() else "work"
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
            self.path.setText(str(folder / f"{name}-{kind}-{stamp}.zip"))

    def _browse(self) -> None:  # pragma: no cover - native file dialog
        name, _ = QFileDialog.getSaveFileName(self, "Save bundle", self.path.text(), "*.zip")
        if name:
            self.path.setText(name)

    def options(self) -> ExportOptions:
        assignment = self.assignment.isChecked()
        since = None
        if self.since_on.isChecked() and not assignment:
            since = self.since.dateTime().toUTC().toPython().replace(tzinfo=None)
        return ExportOptions(
            project=self.project.currentData(),
            annotator=None if assignment else self.annotator.currentData(),
            since=since,
            assignment=assignment,
        )

    def work(self) -> Any:
        db, options = self.db, self.options()
        out = Path(self.path.text().strip()).expanduser()
        return lambda progress, cancelled: export_bundle(
            db, out, options, lambda stage, done, total: progress(done, total, stage), cancelled
        )

    def report_lines(self, result: ExportResult) -> list[str]:
        kind = result.manifest.get("kind", "full")
        lines = [f"Wrote {'an assignment' if kind == 'assignment' else 'a work'} bundle:"]
        lines.append(f"  {result.path}")
        for name, n in result.counts.items():
            lines.append(f"  {name.removesuffix('.jsonl').replace('_', ' '):<22}{n:>9,}")
        return lines


class BundleImportDialog(_BundleDialog):
    """Pick a bundle file, merge it, read the report (added / updated / unchanged / conflicts)."""

    action_text = "&Import"

    def __init__(
        self, db: Database, project_id: str | QWidget | None = None, parent: QWidget | None = None
    ) -> None:
        if isinstance(project_id, QWidget):  # also callable as (db, parent)
            parent, project_id = project_id, None
        super().__init__(db, parent)
        self.project_id = project_id  # the project open in the app; a bundle may hold several
        self.setWindowTitle("Import bundle")
        self.path.setPlaceholderText("A bundle .zip from another machine")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        label = QLabel("Bundle &file")
        label.setBuddy(self.path)
        form.addRow(label, self.file_row)
        self._finish_layout(
            form,
            "The whole bundle is checked first (checksums, versions, every line) and then merged in"
            " one step: if anything is wrong, nothing is changed. Matching is by id, then by text"
            " (documents) or by name and alias (speakers, targets).",
        )

    def _browse(self) -> None:  # pragma: no cover - native file dialog
        name, _ = QFileDialog.getOpenFileName(self, "Open bundle", self.path.text(), "*.zip")
        if name:
            self.path.setText(name)

    def work(self) -> Any:
        db = self.db
        path = Path(self.path.text().strip()).expanduser()
        return lambda progress, cancelled: import_bundle(
            db, path, lambda stage, done, total: progress(done, total, stage), cancelled
        )

    def report_lines(self, report: ImportReport) -> list[str]:
        kind = "Assignment" if report.kind == "assignment" else "Bundle"
        verdict = "merged" if report.changed() else "already here — nothing changed"
        lines = [f"{kind} {report.bundle}: {verdict}", ""]
        lines.append(f"  {'':<20}{'added':>9}{'updated':>9}{'same':>9}{'conflicts':>11}")
        for table, c in report.counts.items():
            lines.append(
                f"  {table.replace('_', ' '):<20}{c.added:>9,}{c.updated:>9,}"
                f"{c.unchanged:>9,}{c.conflicts:>11,}"
            )
        matched = [f"{n} {what}" for what, n in sorted(report.matched.items()) if n]
        if matched:
            lines += ["", "Matched to what was already here: " + "; ".join(matched)]
        if report.likely_duplicates:
            lines += ["", "Likely duplicates — merge them in the registry if they are the same:"]
            lines += [f"  {d}" for d in report.likely_duplicates]
        return lines
