"""The document list's lazy table model over a project's documents, filtered and sorted.

Rows arrive a page at a time (canFetchMore/fetchMore, keyset paging in services.doclist), so a
project of 100,000 documents costs one count and one page of 200 to show, filter or sort.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QWidget

from annotator.model import WorkStatus
from annotator.services import doclist
from annotator.services.doclist import DocFilter, DocRow, DocSort
from annotator.storage.engine import Database

COLUMNS = ("Title", "Source", "Date", "Lang", "Status", "#")
COLUMN_NAMES = ("Title", "Source", "Date", "Language", "Status", "Attributions")
HEADER_TIPS = ("", "", "Publication date", "Language", "Your status", "Your attributions")
STATUS_LABEL = {
    WorkStatus.NEW: "new",
    WorkStatus.IN_PROGRESS: "in progress",
    WorkStatus.DONE: "done",
}
_Index = QModelIndex | QPersistentModelIndex
FETCH_LIMIT = 5_000  # rows a jump to a document may page in before giving up
# Columns the list sorts by (header click), and the DocSort column each one means.
SORTABLE = {0: "title", 1: "source", 2: "published"}


class DocumentListModel(QAbstractTableModel):
    """Rows of the current project for the current annotator, filtered."""

    filtered = Signal()  # after each reset: total / capped changed

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.project_id: str | None = None
        self.annotator_id: str | None = None
        self.filter = DocFilter()
        self.order = DocSort()
        self.rows: list[DocRow] = []
        self.total = 0
        self.capped = False
        self._exhausted = True
        self._by_id: dict[str, int] = {}
        self.page_size = doclist.PAGE_SIZE

    # -- loading ---------------------------------------------------------------------------
    def set_context(self, project_id: str | None, annotator_id: str | None) -> None:
        self.project_id, self.annotator_id = project_id, annotator_id
        self.reload()

    def set_filter(self, flt: DocFilter) -> None:
        self.filter = flt
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by a SORTABLE column; any other (or -1) means import order."""
        field = SORTABLE.get(column)
        self.order = DocSort(field, order == Qt.SortOrder.DescendingOrder) if field else DocSort()
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        if self.project_id is None:
            self.rows, self.total, self.capped = [], 0, False
        else:
            page = doclist.first_page(
                self.db,
                self.project_id,
                self.annotator_id,
                self.filter,
                order=self.order,
                limit=self.page_size,
            )
            self.rows, self.total, self.capped = page.rows, page.total, page.capped
        self._exhausted = len(self.rows) < self.page_size
        self._by_id = {r.id: i for i, r in enumerate(self.rows)}
        self.endResetModel()
        self.filtered.emit()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 - Qt signature
        return not parent.isValid() and not self._exhausted and self.project_id is not None

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        assert self.project_id is not None
        last = self.rows[-1] if self.rows else None
        batch = doclist.fetch_documents(
            self.db,
            self.project_id,
            self.annotator_id,
            self.filter,
            after_seq=last.seq if last else 0,
            after_value=self.order.value(last) if last else "",
            order=self.order,
            limit=self.page_size,
        )
        self._exhausted = len(batch) < self.page_size
        if not batch:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        for i, r in enumerate(batch, start=first):
            self._by_id[r.id] = i
        self.rows.extend(batch)
        self.endInsertRows()

    def refresh_row(self, document_id: str) -> None:
        """Re-read one document's row (status or attribution count changed)."""
        i = self._by_id.get(document_id)
        if i is None:
            return
        row = doclist.document_row(self.db, document_id, self.annotator_id)
        if row is None:
            return
        self.rows[i] = row
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    # -- lookup ----------------------------------------------------------------------------
    def row_of(self, document_id: str, *, fetch: bool = False) -> int | None:
        """Row of `document_id`; with `fetch`, pages further in until found, exhausted, or
        FETCH_LIMIT rows are loaded (so a deep jump never stalls on 100,000 documents)."""
        while (
            document_id not in self._by_id
            and fetch
            and self.canFetchMore()
            and len(self.rows) < FETCH_LIMIT
        ):
            self.fetchMore()
        return self._by_id.get(document_id)

    def document_id(self, row: int) -> str | None:
        return self.rows[row].id if 0 <= row < len(self.rows) else None

    # -- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = HEADER_TIPS[section]
            if section in SORTABLE:
                hint = "Click to sort; again to reverse; a third time for import order"
                tip = f"{tip}\n{hint}" if tip else hint
            return tip or None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                r.title or "(untitled)",
                r.source,
                r.published[:10],
                r.language,
                STATUS_LABEL[r.status],
                f"{r.attributions:,}" if r.attributions else "",
            )[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            when = f" · {r.published}" if r.published else ""
            return f"{r.title}\n{r.source}{when}" if col < 3 else None
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col == 0 and r.status == WorkStatus.NEW:
            font = QFont()
            font.setWeight(QFont.Weight.DemiBold)  # unread-mail style: new work stands out
            return font
        if role == Qt.ItemDataRole.ForegroundRole and col == 4:
            return _STATUS_BRUSH.get(r.status)
        return None


_STATUS_BRUSH = {
    WorkStatus.DONE: QBrush(QColor("#4f8a5f")),
    WorkStatus.IN_PROGRESS: QBrush(QColor("#b07a2e")),
}
