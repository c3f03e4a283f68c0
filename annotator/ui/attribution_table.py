"""The table of a document's attributions (speaker, kind, target, polarity, excerpt)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.model import AttributionRecord
from annotator.services.workspace_queries import QuoteSummary, summary_key
from annotator.ui.margin import POLARITY_COLORS

COLUMNS = ("Speaker", "Kind", "Target", "Polarity", "Excerpt")
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
EXCERPT_CHARS = 90
_Index = QModelIndex | QPersistentModelIndex


def content_text(q: QuoteSummary, text: str, joiner: str = " … ") -> str:
    """What AttributionRecord.content_text says, from a summary."""
    return joiner.join(text[s:e] for s, e in sorted(q.content))


class AttributionTableModel(QAbstractTableModel):
    """Rows are attribution summaries in reading order (summary_key); names come from the
    workspace's lookups. Display strings are made for the rows the view paints, and cached."""

    def __init__(self, names: Callable[[str | None], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = names
        self.text = ""
        self._rows: list[QuoteSummary] = []
        self._by_id: dict[str, QuoteSummary] = {}  # rows move on inserts; their keys do not
        self._texts: dict[str, tuple[str, ...]] = {}
        self.removing = False  # inside remove(): the view's current-row moves are not choices

    def set_records(self, text: str, quotes: list[QuoteSummary]) -> None:
        """Show `quotes`, which must be in summary_key order (document_summaries' order)."""
        self.beginResetModel()
        self._texts.clear()
        self.text = text
        self._rows = list(quotes)
        self._by_id = {q.id: q for q in quotes}
        self.endResetModel()

    def summaries(self) -> list[QuoteSummary]:
        return list(self._rows)

    def with_content(self, content: tuple[tuple[int, int], ...]) -> str | None:
        """The id of a row whose content spans are exactly `content` (sorted), found by a
        binary search on the reading order (no walk over 20,000 records per key press)."""
        first = (content[0][0], max(e for _, e in content), "")
        row = bisect_left(self._rows, first, key=summary_key)
        while row < len(self._rows) and summary_key(self._rows[row])[:2] == first[:2]:
            if self._rows[row].content == content:
                return self._rows[row].id
            row += 1
        return None

    def row_of(self, attribution_id: str) -> int:
        """O(log n): a binary search on the row's reading-order key."""
        q = self._by_id.get(attribution_id)
        if q is None:
            return -1
        row = bisect_left(self._rows, summary_key(q), key=summary_key)
        return row if row < len(self._rows) and self._rows[row].id == attribution_id else -1

    def record_at(self, row: int) -> QuoteSummary:
        return self._rows[row]

    def upsert(self, rec: AttributionRecord | QuoteSummary) -> int:
        q = rec if isinstance(rec, QuoteSummary) else QuoteSummary.of(rec)
        self._texts.pop(q.id, None)
        old = self.row_of(q.id)
        if old >= 0 and summary_key(self._rows[old]) == summary_key(q):
            self._rows[old] = q
            self._by_id[q.id] = q
            self.dataChanged.emit(self.index(old, 0), self.index(old, len(COLUMNS) - 1))
            return old
        if old >= 0:
            self.remove(q.id)
        row = bisect_left(self._rows, summary_key(q), key=summary_key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, q)
        self._by_id[q.id] = q
        self.endInsertRows()
        return row

    def remove(self, attribution_id: str) -> None:
        row = self.row_of(attribution_id)
        if row < 0:
            return
        self.removing = True
        try:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            del self._by_id[attribution_id]
            self.endRemoveRows()
        finally:
            self.removing = False

    def refresh_names(self) -> None:
        self._texts.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 3))

    # --- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def _row_texts(self, rec: QuoteSummary) -> tuple[str, ...]:
        """Display strings of a row, cached: the view asks for them on every repaint."""
        texts = self._texts.get(rec.id)
        if texts is None:
            excerpt = " ".join(content_text(rec, self.text).split())
            if len(excerpt) > EXCERPT_CHARS:
                excerpt = excerpt[:EXCERPT_CHARS] + "…"
            texts = (
                self.names(rec.speaker_id) or "—",
                rec.kind,
                self.names(rec.target_id) or "—",
                rec.polarity or "—",
                excerpt,
            )
            self._texts[rec.id] = texts
        return texts

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == _DISPLAY:
            return self._row_texts(self._rows[index.row()])[index.column()]
        if role == _FOREGROUND and index.column() == 3:
            polarity = self._rows[index.row()].polarity
            return POLARITY_COLORS.get(polarity) if polarity else None
        if role == _TOOLTIP and index.column() == 4:
            return content_text(self._rows[index.row()], self.text)
        return None


class AttributionTable(QTableView):
    """Selecting a row (mouse or keys) emits `attribution_selected`; the view follows."""

    attribution_selected = Signal(str)

    def __init__(self, model: AttributionTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._model = model
        self._quiet = False
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for col, width in enumerate((170, 70, 220, 80)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.selectionModel().currentRowChanged.connect(self._on_current)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # Removing the current row moves Qt's current index to a neighbour while the row is
        # still counted: not the user's choice (it showed "Attribution 3 of 2").
        if not self._quiet and not self._model.removing and current.isValid():
            self.attribution_selected.emit(self._model.record_at(current.row()).id)

    def select_id(self, attribution_id: str | None) -> None:
        """Follow the view's selection without echoing it back."""
        self._quiet = True
        try:
            row = self._model.row_of(attribution_id) if attribution_id else -1
            if row < 0:
                self.selectionModel().clear()
                return
            index = self._model.index(row, 0)
            self.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.scrollTo(index)
        finally:
            self._quiet = False
