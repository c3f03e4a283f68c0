"""Progress dashboard: documents done and attributions per annotator, over time, with charts.

Computed off the GUI thread (services: team.progress.project_progress) like the agreement dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QWidget

from annotator.storage.engine import Database
from annotator.team.progress import ProgressData, project_progress
from annotator.ui.agreement_charts import TimeChart, series_color
from annotator.ui.background_dialog import BackgroundDialog, make_table, table_item


class DashboardDialog(BackgroundDialog):
    """Progress of a project: documents done and attributions per annotator over time."""

    def __init__(self, db: Database, project_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(db, project_id, "Team progress", parent)
        self.data: ProgressData | None = None
        self.resize(900, 700)
        self.table = make_table(["Annotator", "Done", "In progress", "Attributions", "Last active"])
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
            name = table_item(data.annotator_names[a], align_right=False)
            name.setData(Qt.ItemDataRole.DecorationRole, series_color(r))  # the chart's color
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, table_item(f"{done_total[a]} of {data.total_documents}"))
            in_progress = data.status_counts.get(a, {}).get("in_progress", 0)
            self.table.setItem(r, 2, table_item(str(in_progress)))
            self.table.setItem(r, 3, table_item(str(sum(made))))
            self.table.setItem(r, 4, table_item(f"{active[-1]:%d %b %Y}" if active else "—"))
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
