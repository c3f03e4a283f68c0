"""Agreement dialog (figures table, heat map, pairs, documents) and progress dashboard.

Both compute in a worker thread through services (project_agreement, project_progress) and show
progress with a Cancel button; the widgets never touch the database themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QThread, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.storage.engine import Database
from annotator.team.agreement import AgreementReport, Figure, Figures
from annotator.team.agreement_service import AgreementCancelled, project_agreement
from annotator.team.progress import ProgressData, project_progress
from annotator.ui.agreement_charts import HeatMap, TimeChart, scale_color, series_color

# (attribute, label, unit of its items)
FIGURES = [
    ("exact_f1", "Quotes: exact-match F1", "quotes"),
    ("overlap_f1", "Quotes: token-overlap F1", "quotes"),
    ("token_alpha", "Tokens in quotes: Krippendorff's α", "tokens"),
    ("speaker", "Matched quotes: same speaker", "matched pairs"),
    ("target", "Matched quotes: same target", "matched pairs"),
    ("stance", "Stance", "items"),
]
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STANCE = {"cohen_kappa": "Cohen's κ", "krippendorff_alpha": "Krippendorff's α"}
EXPLAIN = (
    "Two quotes match when their words overlap by at least the threshold (one-to-one, best"
    " overlap first). <b>Exact-match F1</b> counts matches covering the same words;"
    " <b>token-overlap F1</b> gives each match its share of shared words. <b>α over tokens</b>"
    " compares, word by word, who marked it as quoted. Speaker, target and stance compare"
    " matched quotes where both set the field. Items are the numbers behind each figure;"
    " “—” means undefined (nothing to compare, or no variation). Definitions: docs/agreement.md."
)


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


def _item(text: str, sort_value: float | None = None, align_right: bool = True) -> QTableWidgetItem:
    item = _SortItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if sort_value is not None:
        item.setData(Qt.ItemDataRole.UserRole, sort_value)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class _BackgroundDialog(QDialog):
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


class AgreementDialog(_BackgroundDialog):
    """Agreement of a project: overall figures, heat map by annotator pair, pairs, documents.

    `document_activated(document_id)` fires on Enter or double-click in the Documents tab, so
    the main window can open that document (e.g. in review).
    """

    document_activated = Signal(str)

    def __init__(self, db: Database, project_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(db, project_id, "Inter-annotator agreement", parent)
        self.report: AgreementReport | None = None
        self.resize(980, 640)

        options = QHBoxLayout()
        options.addWidget(QLabel("Match quotes overlapping by at least"))
        self.min_overlap = QDoubleSpinBox()
        self.min_overlap.setRange(0.05, 1.0)
        self.min_overlap.setSingleStep(0.05)
        self.min_overlap.setValue(0.5)
        self.min_overlap.setToolTip("Token-overlap F1 two quotes need to count as the same quote")
        options.addWidget(self.min_overlap)
        self.recompute = QPushButton("Recompute")
        self.recompute.setAutoDefault(False)  # Enter opens a document row, not a recompute
        self.recompute.setToolTip("Recompute (F5)")
        self.recompute.clicked.connect(self.start)
        options.addWidget(self.recompute)
        options.addStretch(1)
        self.layout_.addLayout(options)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.start)

        self.figures = _table(["Figure", "Value", "Items", "Agreeing"])
        self.figures.horizontalHeader().setStretchLastSection(False)
        self.figures.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.figures.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.explain = QLabel(EXPLAIN)
        self.explain.setWordWrap(True)
        self.explain.setTextFormat(Qt.TextFormat.RichText)
        self.explain.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.explain.setStyleSheet("color: palette(placeholder-text); padding: 6px 2px;")
        self.heat_metric = QComboBox()
        for attr, label, _unit in FIGURES:
            self.heat_metric.addItem(label, attr)
        self.heat_metric.setCurrentIndex(1)
        self.heat_metric.currentIndexChanged.connect(self._fill_heatmap)
        self.heatmap = HeatMap()
        heat_box = QVBoxLayout()
        heat_box.addWidget(self.heat_metric)
        heat_box.addWidget(self.heatmap, 1)
        summary_tab = QWidget()
        row = QHBoxLayout(summary_tab)
        left = QVBoxLayout()
        left.addWidget(self.figures)
        left.addWidget(self.explain, 1)
        row.addLayout(left, 5)
        row.addLayout(heat_box, 4)

        heads = ["Exact F1", "Overlap F1", "Token α", "Speaker", "Target", "Stance κ / α"]
        self.pairs = _table(["Annotators", "Documents", *heads])
        self.documents = _table(["Document", "Annotators", *heads])
        for table in (self.pairs, self.documents):
            header = table.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            header.setToolTip("Each cell: value (items behind it). Click a heading to sort.")
        self.documents.setSortingEnabled(True)
        self.documents.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.documents.activated.connect(self._on_document_activated)
        self.tabs = QTabWidget()
        self.tabs.addTab(summary_tab, "Summary")
        self.tabs.addTab(self.pairs, "Pairs")
        self.tabs.addTab(self.documents, "Documents")
        self.layout_.addWidget(self.tabs, 1)
        self.layout_.addLayout(self.bar)
        self.start()

    def start(self) -> None:
        threshold = round(self.min_overlap.value(), 2)
        db, pid = self.db, self.project_id or ""
        self.run(
            lambda progress, cancelled: project_agreement(
                db, pid, min_overlap=threshold, progress=progress, cancelled=cancelled
            )
        )

    def _on_result(self, result: object) -> None:
        assert isinstance(result, AgreementReport)
        self.report = result
        fig = result.project
        names = ", ".join(result.name(a) for a in result.by_name(fig.annotators))
        self.heading.setText(f"Agreement — {result.project_name}")
        if not fig.documents:
            self.summary.setText(
                "No document has been coded by two or more annotators yet: nothing to compare."
            )
        else:
            self.summary.setText(
                f"{len(fig.annotators)} annotators ({names}) · {fig.documents} documents coded by"
                f" two or more · {fig.quotes} quotes · {fig.matched} matched pairs at overlap"
                f" ≥ {result.min_overlap:g}"
            )
        self._fill_figures(fig)
        self._fill_heatmap()
        self._fill_rows(
            self.pairs,
            [
                (f"{result.name(a)} · {result.name(b)}", str(f.documents), f)
                for a, b, f in result.named_pairs()
            ],
        )
        self.documents.setSortingEnabled(False)
        self._fill_rows(
            self.documents,
            [
                (d.title or d.document_id[:8], str(len(d.figures.annotators)), d.figures)
                for d in result.documents
            ],
            [d.document_id for d in result.documents],
        )
        self.documents.setSortingEnabled(True)
        self._finish("Ready. Hover a heat-map cell for details; F5 recomputes.")

    def _fill_figures(self, fig: Figures) -> None:
        self.figures.setRowCount(len(FIGURES))
        for row, (attr, label, unit) in enumerate(FIGURES):
            figure: Figure = getattr(fig, attr)
            if attr == "stance":
                label = f"Stance: {STANCE[fig.stance_coefficient]}"
                unit = "matched pairs" if fig.stance_coefficient == "cohen_kappa" else "quotes"
            self.figures.setItem(row, 0, _item(label, align_right=False))
            value = _item(fmt(figure.value))
            if figure.value is not None:
                value.setBackground(scale_color(figure.value).lighter(125))
                value.setForeground(QColor("#1d1d1b"))  # dark on the pale scale, any theme
            self.figures.setItem(row, 1, value)
            self.figures.setItem(row, 2, _item(f"{figure.items} {unit}"))
            agree = "" if figure.agree is None else str(figure.agree)
            self.figures.setItem(row, 3, _item(agree))
        for col in (1, 2, 3):
            self.figures.resizeColumnToContents(col)
        self.figures.resizeRowsToContents()
        height = self.figures.horizontalHeader().height() + 4
        height += sum(self.figures.rowHeight(r) for r in range(self.figures.rowCount()))
        self.figures.setFixedHeight(height)
        self.layout_.activate()

    def _on_document_activated(self, index: QModelIndex) -> None:
        item = self.documents.item(index.row(), 0)
        if item is not None and item.data(DOC_ID_ROLE):
            self.document_activated.emit(str(item.data(DOC_ID_ROLE)))

    def _fill_rows(
        self,
        table: QTableWidget,
        rows: list[tuple[str, str, Figures]],
        ids: list[str] | None = None,
    ) -> None:
        table.setRowCount(len(rows))
        for r, (label, count, fig) in enumerate(rows):
            first = _item(label, float(r), align_right=False)  # sorts back to the given order
            first.setToolTip(label)
            if ids is not None:
                first.setData(DOC_ID_ROLE, ids[r])
            table.setItem(r, 0, first)
            table.setItem(r, 1, _item(count, float(count)))
            for c, (attr, _, _) in enumerate(FIGURES, start=2):
                figure: Figure = getattr(fig, attr)
                key = -2.0 if figure.value is None else figure.value
                cell = _item(f"{fmt(figure.value)}  ({figure.items})", key)
                cell.setToolTip(f"{figure.items} items behind this figure")
                table.setItem(r, c, cell)

    def _fill_heatmap(self) -> None:
        if self.report is None:
            return
        attr = str(self.heat_metric.currentData())
        label = self.heat_metric.currentText()
        unit = dict((a, u) for a, _, u in FIGURES)[attr]
        ids = self.report.by_name(self.report.project.annotators)
        pos = {a: k for k, a in enumerate(ids)}
        cells: dict[tuple[int, int], tuple[float | None, int]] = {}
        for (a, b), fig in self.report.pairs.items():
            figure: Figure = getattr(fig, attr)
            cells[(pos[a], pos[b])] = (figure.value, figure.items)
        if attr == "stance":
            label, unit = "stance (Cohen's κ)", "matched pairs"
        self.heatmap.set_data(
            [self.report.name(a) for a in ids], cells, figure_name=label, unit=unit
        )


class DashboardDialog(_BackgroundDialog):
    """Progress of a project: documents done and attributions per annotator over time."""

    def __init__(self, db: Database, project_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(db, project_id, "Team progress", parent)
        self.data: ProgressData | None = None
        self.resize(900, 700)
        self.table = _table(["Annotator", "Done", "In progress", "Attributions", "Last active"])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.done_chart = TimeChart("Documents done (cumulative)", "lines")
        self.attr_chart = TimeChart("Attributions made per day", "bars")
        self.layout_.addWidget(self.table)
        self.layout_.addWidget(self.done_chart, 1)
        self.layout_.addWidget(self.attr_chart, 1)
        self.layout_.addLayout(self.bar)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.start)
        self.start()

    def start(self) -> None:
        db, pid = self.db, self.project_id or ""
        self.run(lambda progress, cancelled: project_progress(db, pid))

    def _on_result(self, result: object) -> None:
        assert isinstance(result, ProgressData)
        self.data = data = result
        ids = data.annotators
        done_total = {a: sum(data.documents_done[a]) for a in ids}
        self.summary.setText(
            f"{data.total_documents} documents · {len(ids)} annotators"
            + (f" · {data.days[0]:%d %b %Y} – {data.days[-1]:%d %b %Y}" if data.days else "")
        )
        self.table.setRowCount(len(ids))
        for r, a in enumerate(ids):
            made = data.attributions[a]
            active = [
                d for d, n, m in zip(data.days, made, data.documents_done[a], strict=True) if n or m
            ]
            name = _item(data.annotator_names[a], align_right=False)
            name.setData(Qt.ItemDataRole.DecorationRole, series_color(r))  # the chart's color
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, _item(f"{done_total[a]} of {data.total_documents}"))
            in_progress = data.status_counts.get(a, {}).get("in_progress", 0)
            self.table.setItem(r, 2, _item(str(in_progress)))
            self.table.setItem(r, 3, _item(str(sum(made))))
            self.table.setItem(r, 4, _item(f"{active[-1]:%d %b %Y}" if active else "—"))
        names = [data.annotator_names[a] for a in ids]
        self.done_chart.set_data(
            data.days,
            [(n, data.cumulative(data.documents_done[a])) for n, a in zip(names, ids, strict=True)],
        )
        self.attr_chart.set_data(
            data.days, [(n, data.attributions[a]) for n, a in zip(names, ids, strict=True)]
        )
        header = self.table.horizontalHeader()
        for col in range(1, self.table.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(len(ids)))
        self.table.setFixedHeight(min(240, self.table.horizontalHeader().height() + rows + 4))
        self.layout_.activate()  # apply the new height now, not at the next event loop turn
        self._finish("Ready. F5 refreshes.")


# The names the main window's Team menu opens (annotator/ui/main_window.py TOOLS).
AgreementView = AgreementDialog
ProgressDashboard = DashboardDialog
