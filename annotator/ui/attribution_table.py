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
from annotator.ui.margin import POLARITY_COLORS

COLUMNS = ("Speaker", "Kind", "Target", "Polarity", "Excerpt")
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
EXCERPT_CHARS = 90
_Index = QModelIndex | QPersistentModelIndex


def _key(rec: AttributionRecord) -> tuple[int, int, str]:
    content = rec.content  # sorted by the services: first segment starts first
    return (content[0].start, max(s.end for s in content), rec.id)


class AttributionTableModel(QAbstractTableModel):
    """Rows are records in document order; names come from the workspace's lookups."""

    def __init__(self, names: Callable[[str | None], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = names
        self.text = ""
        self._records: list[AttributionRecord] = []
        self._keys: list[tuple[int, int, str]] = []
        self._key_of: dict[str, tuple[int, int, str]] = {}
        self._texts: dict[str, tuple[str, ...]] = {}
        self.removing = False  # inside remove(): the view's current-row moves are not choices

    def set_records(self, text: str, records: list[AttributionRecord]) -> None:
        self.beginResetModel()
        self._texts.clear()
        self.text = text
        keys = [_key(r) for r in records]
        if any(a > b for a, b in zip(keys, keys[1:], strict=False)):
            pairs = sorted(zip(keys, records, strict=True), key=lambda kr: kr[0])
            keys, records = [k for k, _ in pairs], [r for _, r in pairs]
        self._records = list(records)
        self._keys = keys
        self._key_of = {k[2]: k for k in keys}
        self.endResetModel()

    def records(self) -> list[AttributionRecord]:
        return list(self._records)

    def row_of(self, attribution_id: str) -> int:
        """O(log n): rows are kept sorted by key, and each id knows its key."""
        key = self._key_of.get(attribution_id)
        if key is None:
            return -1
        row = bisect_left(self._keys, key)
        return row if row < len(self._keys) and self._keys[row] == key else -1

    def record_at(self, row: int) -> AttributionRecord:
        return self._records[row]

    def upsert(self, rec: AttributionRecord) -> int:
        self._texts.pop(rec.id, None)
        old = self.row_of(rec.id)
        if old >= 0 and self._keys[old] == _key(rec):
            self._records[old] = rec
            self.dataChanged.emit(self.index(old, 0), self.index(old, len(COLUMNS) - 1))
            return old
        if old >= 0:
            self.remove(rec.id)
        row = bisect_left(self._keys, _key(rec))
        self.beginInsertRows(QModelIndex(), row, row)
        self._records.insert(row, rec)
        self._keys.insert(row, _key(rec))
        self._key_of[rec.id] = _key(rec)
        self.endInsertRows()
        return row

    def remove(self, attribution_id: str) -> None:
        row = self.row_of(attribution_id)
        if row < 0:
            return
        self.removing = True
        try:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._records[row]
            del self._keys[row]
            del self._key_of[attribution_id]
            self.endRemoveRows()
        finally:
            self.removing = False

    def refresh_names(self) -> None:
        self._texts.clear()
        if self._records:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._records) - 1, 3))

    # --- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def _row_texts(self, rec: AttributionRecord) -> tuple[str, ...]:
        """Display strings of a row, cached: the view asks for them on every repaint."""
        texts = self._texts.get(rec.id)
        if texts is None:
            excerpt = " ".join(rec.content_text(self.text).split())
            if len(excerpt) > EXCERPT_CHARS:
                excerpt = excerpt[:EXCERPT_CHARS] + "…"
            texts = (
                self.names(rec.speaker_id) or "—",
                str(rec.kind),
                self.names(rec.target_id) or "—",
                str(rec.polarity) if rec.polarity else "—",
                excerpt,
            )
            self._texts[rec.id] = texts
        return texts

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == _DISPLAY:
            return self._row_texts(self._records[index.row()])[index.column()]
        if role == _FOREGROUND and index.column() == 3:
            polarity = self._records[index.row()].polarity
            return POLARITY_COLORS.get(str(polarity)) if polarity else None
        if role == _TOOLTIP and index.column() == 4:
            return self._records[index.row()].content_text(self.text)
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
