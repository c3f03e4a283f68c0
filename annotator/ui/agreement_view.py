"""Agreement dialog: figures table, heat map, pairs and documents.

It computes in a worker thread through services.project_agreement (background_dialog.py) and shows
progress with a Cancel button; the widgets never touch the database themselves. The progress
dashboard lives in dashboard_view.py.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.storage.engine import Database
from annotator.team.agreement import AgreementReport, Figure, Figures
from annotator.team.agreement_service import project_agreement
from annotator.ui.agreement_charts import HeatMap, scale_color
from annotator.ui.background_dialog import (  # noqa: F401 - Worker: re-exported
    BackgroundDialog,
    Worker,
    fmt,
    make_table,
    table_item,
)
from annotator.ui.dashboard_view import DashboardDialog

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


class AgreementDialog(BackgroundDialog):
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

        self.figures = make_table(["Figure", "Value", "Items", "Agreeing"])
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
        self.pairs = make_table(["Annotators", "Documents", *heads])
        self.documents = make_table(["Document", "Annotators", *heads])
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
            self.figures.setItem(row, 0, table_item(label, align_right=False))
            value = table_item(fmt(figure.value))
            if figure.value is not None:
                value.setBackground(scale_color(figure.value).lighter(125))
                value.setForeground(QColor("#1d1d1b"))  # dark on the pale scale, any theme
            self.figures.setItem(row, 1, value)
            self.figures.setItem(row, 2, table_item(f"{figure.items} {unit}"))
            agree = "" if figure.agree is None else str(figure.agree)
            self.figures.setItem(row, 3, table_item(agree))
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
            first = table_item(label, float(r), align_right=False)  # sorts back to the given order
            first.setToolTip(label)
            if ids is not None:
                first.setData(DOC_ID_ROLE, ids[r])
            table.setItem(r, 0, first)
            table.setItem(r, 1, table_item(count, float(count)))
            for c, (attr, _, _) in enumerate(FIGURES, start=2):
                figure: Figure = getattr(fig, attr)
                key = -2.0 if figure.value is None else figure.value
                cell = table_item(f"{fmt(figure.value)}  ({figure.items})", key)
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


# The names the main window's Team menu opens (annotator/ui/main_window.py TOOLS).
AgreementView = AgreementDialog
ProgressDashboard = DashboardDialog
