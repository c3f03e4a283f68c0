"""File > Export training set: choose format and selection, see what will be exported, run the
export in a worker thread with progress and Cancel, then read the report.

The preview is an aggregate count (service `preview_counts`); verification happens during the
export, and records it refuses are listed in the report.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.exporting.base import ExportOptions
from annotator.exporting.context import ContextMode
from annotator.exporting.selection import Selection, Status, preview_counts
from annotator.exporting.service import ExportError, ExportResult, export_dataset
from annotator.services.projects import list_annotators, list_projects
from annotator.storage.engine import Database
from annotator.ui.workers import Task

FORMAT_CHOICES: list[tuple[str, str, str]] = [
    (
        "native",
        "Native JSONL",
        "Lossless: one document per line with its attributions; re-importable.",
    ),
    ("quotes-jsonl", "Quotes table (JSONL)", "One row per quote with context, speaker and stance."),
    (
        "quotes-csv",
        "Quotes table (CSV)",
        "The quotes table for spreadsheets; formulas neutralized.",
    ),
    ("stance", "Stance rows", "(context, speaker, target, label) for stance classification."),
    ("hf", "Hugging Face dataset", "Parquet + JSONL per split, token BIO rows and quote rows."),
    ("spacy", "spaCy DocBin", "CONTENT / CUE / SPEAKER spans; needs the spaCy extra."),
    ("conll", "CoNLL BIO", "Token per line, one attribution layer."),
    ("brat", "BRAT standoff", ".txt + .ann with Source / Cue / Content and Attribution events."),
    ("citron", "Citron JSON", "BBC Citron's training format, one file per document."),
]
STATUS_CHOICES: list[tuple[Status, str]] = [
    (Status.AUTO, "Gold where a document has it, else accepted"),
    (Status.GOLD, "Gold (adjudicated) only"),
    (Status.ACCEPTED, "Accepted"),
    (Status.SUBMITTED, "Submitted"),
    (Status.DRAFT, "Draft"),
    (Status.ALL, "All (any review state)"),
]


DEFAULT_PARENT = Path("~") / "annotator-exports"  # shown home-relative, expanded on export


def _slug(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip("-").lower() or "project"


class ExportDialog(QDialog):
    """Options, a live preview of counts, a progress bar, and the final report."""

    def __init__(self, db: Database, project_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.project_id = project_id
        self.project_name = next(
            (p.name for p in list_projects(db) if p.id == project_id), project_id
        )
        self.task: Task | None = None
        self.result: ExportResult | None = None
        self.setWindowTitle(f"Export training set — {self.project_name}")
        self.setMinimumWidth(620)

        self.format = QComboBox()
        for key, label, _ in FORMAT_CHOICES:
            self.format.addItem(label, key)
        self.format_hint = QLabel()
        self.format_hint.setObjectName("hint")
        self.format_hint.setWordWrap(True)
        # the whole width of the field column (a Preferred label wraps at a third of it)
        self.format_hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.status = QComboBox()
        for status, label in STATUS_CHOICES:
            self.status.addItem(label, status)
        self.annotator = QComboBox()
        self.annotator.addItem("All annotators", None)
        for a in list_annotators(db):
            self.annotator.addItem(a.name, a.id)
        self.context = QComboBox()
        for mode in ContextMode:
            self.context.addItem(mode.value.capitalize(), mode)

        for combo in (self.format, self.status, self.annotator, self.context):
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self.split = QCheckBox("Split into train / dev / test, by document")
        self.split.setChecked(True)
        self.ratios = [self._percent(v) for v in (80, 10, 10)]
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        split_row = QHBoxLayout()
        for name, box in zip(("train", "dev", "test"), self.ratios, strict=True):
            split_row.addWidget(QLabel(name))
            split_row.addWidget(box)
        split_row.addSpacing(12)
        split_row.addWidget(QLabel("seed"))
        split_row.addWidget(self.seed)
        split_row.addStretch(1)
        self.split_hint = QLabel("Near-identical articles stay in one split; stratified by stance.")
        self.split_hint.setObjectName("hint")

        self.out = QLineEdit()
        self.out.setPlaceholderText("Folder to write into")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("&Format", self.format)
        form.addRow("", self.format_hint)
        form.addRow("&Attributions", self.status)
        form.addRow("A&nnotator", self.annotator)
        form.addRow("&Context", self.context)
        form.addRow("", self.split)
        form.addRow("", split_row)
        form.addRow("", self.split_hint)
        out_label = QLabel("&Output folder")
        out_label.setBuddy(self.out)  # a row holding a layout gets no buddy by itself
        form.addRow(out_label, out_row)

        self.preview = QLabel()
        self.preview.setObjectName("heading")
        self.preview_labels = QLabel()
        self.preview_labels.setObjectName("hint")
        preview_box = QGroupBox("Will be exported")
        pv = QVBoxLayout(preview_box)
        pv.addWidget(self.preview)
        pv.addWidget(self.preview_labels)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setVisible(False)
        self.report.setMinimumHeight(140)

        self.export_button = QPushButton("&Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self._close_or_cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(preview_box)
        layout.addWidget(self.progress)
        layout.addWidget(self.report, 1)
        layout.addLayout(buttons)

        self.format.currentIndexChanged.connect(self._format_changed)
        for combo in (self.status, self.annotator):
            combo.currentIndexChanged.connect(self.refresh_preview)
        self.split.toggled.connect(self._split_toggled)
        self._format_changed()
        self.refresh_preview()

    def _percent(self, value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, 100)
        box.setSuffix(" %")
        box.setValue(value)
        return box

    # -- options ---------------------------------------------------------------------------
    def _format_changed(self) -> None:
        key = self.format.currentData()
        self.format_hint.setText(next(h for k, _, h in FORMAT_CHOICES if k == key))
        # the default folder follows the format until the user picks another one
        current = Path(self.out.text()).expanduser() if self.out.text() else None
        if current is None or current.parent == DEFAULT_PARENT.expanduser():
            self.out.setText(str(DEFAULT_PARENT / f"{_slug(self.project_name)}-{key}"))

    def _split_toggled(self, on: bool) -> None:
        for box in (*self.ratios, self.seed):
            box.setEnabled(on)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export into folder", self.out.text())
        if folder:
            self.out.setText(folder)

    def selection(self) -> Selection:
        return Selection(
            self.project_id, Status(self.status.currentData()), self.annotator.currentData()
        )

    def refresh_preview(self) -> None:
        counts = preview_counts(self.db, self.selection())
        docs = f"{counts.documents:,} document{'s' if counts.documents != 1 else ''}"
        atts = f"{counts.attributions:,} attribution{'s' if counts.attributions != 1 else ''}"
        self.preview.setText(f"{docs} · {atts}")
        labels = "   ".join(f"{k} {v:,}" for k, v in counts.polarity.items()) or "nothing selected"
        self.preview_labels.setText(labels)
        self.export_button.setEnabled(counts.documents > 0 and self.task is None)

    def options(self) -> ExportOptions:
        split = None
        if self.split.isChecked():
            values = [b.value() for b in self.ratios]
            if sum(values) == 0:
                raise ExportError("the split percentages add up to zero")
            split = tuple(v / sum(values) for v in values)
        return ExportOptions(
            format=self.format.currentData(),
            out_dir=Path(self.out.text()).expanduser(),
            project_id=self.project_id,
            status=Status(self.status.currentData()),
            annotator_id=self.annotator.currentData(),
            split=split,  # type: ignore[arg-type]
            seed=self.seed.value(),
            context=ContextMode(self.context.currentData()),
            project_name=self.project_name,
            annotator_name=self.annotator.currentText() if self.annotator.currentData() else "",
        )

    # -- running ---------------------------------------------------------------------------
    def start_export(self) -> None:
        if self.task is not None:
            return
        try:
            options = self.options()
        except ExportError as exc:
            self._show_report(f"Cannot export: {exc}")
            return
        if not self.out.text().strip():
            self._show_report("Cannot export: choose an output folder.")
            return
        self.result = None
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.report.setVisible(False)
        self.export_button.setEnabled(False)
        self.close_button.setText("Cancel")
        db = self.db
        self.task = Task(
            lambda progress, cancelled: export_dataset(
                db, options, lambda done, total: progress(done, total, ""), cancelled
            ),
            self,
        )
        self.task.progress.connect(self._on_progress)
        self.task.finished.connect(self._on_finished)
        self.task.failed.connect(self._on_failed)
        self.task.start()

    def _on_progress(self, done: int, total: int, _label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_finished(self, result: Any) -> None:
        self.task = None
        self.result = result
        self.progress.setVisible(False)
        self.close_button.setText("Close")
        self.refresh_preview()
        self._show_report(report_text(result))

    def _on_failed(self, message: str) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.close_button.setText("Close")
        self.refresh_preview()
        self._show_report(f"Export failed: {message}")

    def _show_report(self, text: str) -> None:
        self.report.setPlainText(text)
        self.report.setVisible(True)
        # Grow for the report rather than squeeze the rest: the layout shrank the word-wrapped
        # format description to a clipped line (a dialog's height ignores height-for-width).
        self.layout().activate()
        need = self.layout().totalHeightForWidth(self.width())
        hint = self.sizeHint()
        self.resize(self.width(), max(self.height(), need, hint.height()))

    def _close_or_cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.close_button.setEnabled(True)
            return
        self.accept()

    def reject(self) -> None:  # Esc / window close: never leave an export running unseen
        if self.task is not None:
            self.task.cancel()
            self.task.wait(30)
        super().reject()


def report_text(result: ExportResult) -> str:
    if result.cancelled:
        return "Export cancelled: nothing was written."
    lines = [f"Wrote {len(result.files)} files to {result.out_dir}"]
    for split, c in result.counts.items():
        labels = ", ".join(f"{k} {v}" for k, v in c["polarity"].items())
        lines.append(
            f"  {split}: {c['documents']} documents, {c['attributions']} attributions"
            + (f" ({labels})" if labels else "")
        )
    if result.near_duplicate_groups:
        lines.append(
            f"  {result.near_duplicate_groups} group(s) of near-identical articles kept together"
        )
    lines += [f"Note: {n}" for n in result.notes]
    if result.problems:
        lines.append(f"{len(result.problems)} record(s) refused by verification, not written:")
        lines += [f"  {p.message}" for p in result.problems]
    else:
        lines.append("Every span verified against its document.")
    return "\n".join(lines)
