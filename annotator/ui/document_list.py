"""The document list: a lazy table model over a project's documents, with filters and search.

Rows arrive a page at a time (canFetchMore/fetchMore, keyset paging in services.doclist), so a
project of 100,000 documents costs one count and one page of 200 to show or to filter.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.model import WorkStatus
from annotator.services import doclist
from annotator.services.doclist import DocFilter, DocRow
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
NARROW_WIDTH = 460  # px of table below which source and date columns step aside


class DocumentListModel(QAbstractTableModel):
    """Rows of the current project for the current annotator, filtered."""

    filtered = Signal()  # after each reset: total / capped changed

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.project_id: str | None = None
        self.annotator_id: str | None = None
        self.filter = DocFilter()
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

    def reload(self) -> None:
        self.beginResetModel()
        if self.project_id is None:
            self.rows, self.total, self.capped = [], 0, False
        else:
            page = doclist.first_page(
                self.db, self.project_id, self.annotator_id, self.filter, limit=self.page_size
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
        after = self.rows[-1].seq if self.rows else 0
        assert self.project_id is not None
        batch = doclist.fetch_documents(
            self.db,
            self.project_id,
            self.annotator_id,
            self.filter,
            after_seq=after,
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
            return HEADER_TIPS[section] or None
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
                str(r.attributions) if r.attributions else "",
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


class DocumentListPanel(QWidget):
    """Search box, filters, count and the lazy table. Emits `document_activated(id)`."""

    document_activated = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.model = DocumentListModel(db, self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search articles…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.status_combo = QComboBox()
        self.status_combo.addItem("Any status", None)
        for status in WorkStatus:
            self.status_combo.addItem(STATUS_LABEL[status].capitalize(), status)
        self.source_combo = QComboBox()
        self.speaker_combo = QComboBox()
        for combo in (self.status_combo, self.source_combo, self.speaker_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(30)
        # Fixed widths from the font (ResizeToContents would rescan every loaded row on each page).
        fm = self.table.fontMetrics()
        pad = 20
        widths = {
            1: fm.horizontalAdvance("Reuters Agen") + pad,
            2: fm.horizontalAdvance("2025-09-03") + pad,
            3: fm.horizontalAdvance("Lang") + pad,
            4: fm.horizontalAdvance("in progress") + pad,
            5: fm.horizontalAdvance("999") + pad,
        }
        for col, width in widths.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setHighlightSections(False)
        # Right-click the header to show or hide columns (language is hidden at first: it is
        # the same for most projects and the title needs the room).
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for col, name in enumerate(COLUMN_NAMES):
            if col == 0:
                continue
            action = QAction(name, header)
            action.setCheckable(True)
            action.setChecked(col != 3)
            action.toggled.connect(lambda on, c=col: self._choose_column(c, on))
            header.addAction(action)
        self._chosen_hidden = {3}
        self.table.setColumnHidden(3, True)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        filters = QHBoxLayout()
        filters.setSpacing(4)
        filters.addWidget(self.status_combo)
        filters.addWidget(self.source_combo)
        filters.addWidget(self.speaker_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(5)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)

        # Typing is debounced: one query when the analyst pauses, not one per key.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(180)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.status_combo, self.source_combo, self.speaker_combo):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.model.filtered.connect(self._update_count)
        self.model.rowsInserted.connect(lambda *_: self._update_count())
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

    # -- columns -----------------------------------------------------------------------------
    def _choose_column(self, column: int, shown: bool) -> None:
        (self._chosen_hidden.discard if shown else self._chosen_hidden.add)(column)
        self._adapt_columns()

    def _adapt_columns(self) -> None:
        """In a narrow dock, drop source and date (still in the title's tooltip) before the
        title is squeezed to an ellipsis: the title is what the analyst scans for."""
        narrow = self.table.viewport().width() < NARROW_WIDTH
        for col in range(1, len(COLUMNS)):
            hide = col in self._chosen_hidden or (narrow and col in (1, 2))
            self.table.setColumnHidden(col, hide)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._adapt_columns()

    # -- context & filters -------------------------------------------------------------------
    def set_context(self, project_id: str | None, annotator_id: str | None) -> None:
        self.model.project_id, self.model.annotator_id = project_id, annotator_id
        self.reload_choices()
        self.apply_filter()

    def reload_choices(self) -> None:
        """Refill the source and speaker filters from the project (keeps the current choice)."""
        pid = self.model.project_id
        keep_source, keep_speaker = (
            self.source_combo.currentData(),
            self.speaker_combo.currentData(),
        )
        for combo in (self.source_combo, self.speaker_combo):
            combo.blockSignals(True)
            combo.clear()
        self.source_combo.addItem("Any source", None)
        self.speaker_combo.addItem("Any speaker", None)
        if pid is not None:
            for name, n in doclist.list_sources(self.db, pid):
                self.source_combo.addItem(f"{name or '(no source)'}  ({n})", name)
            for sp in doclist.list_speakers(self.db, pid):
                self.speaker_combo.addItem(f"{sp.name}  ({sp.documents})", sp.id)
        for combo, keep in ((self.source_combo, keep_source), (self.speaker_combo, keep_speaker)):
            i = combo.findData(keep) if keep is not None else 0
            combo.setCurrentIndex(max(i, 0))
            combo.blockSignals(False)

    def current_filter(self) -> DocFilter:
        return DocFilter(
            status=self.status_combo.currentData(),
            source=self.source_combo.currentData(),
            speaker_id=self.speaker_combo.currentData(),
            search=self.search.text(),
        )

    def apply_filter(self) -> None:
        self._debounce.stop()
        current = self.current_document_id()
        self.model.set_filter(self.current_filter())
        if current is not None:
            self.select_document(current, emit=False, fetch=False)

    def _update_count(self) -> None:
        m = self.model
        if m.project_id is None:
            text = ""
        elif m.capped:
            text = f"More than {m.total:,} documents match"
        elif m.filter.active:
            text = f"{m.total:,} of the project's documents match" if m.total else ""
        else:
            text = f"{m.total:,} documents"
        self.count_label.setText(text)
        empty = m.rowCount() == 0
        if empty:
            self.empty_label.setText(
                "No document matches these filters.\nClear the search or choose “Any”."
                if m.filter.active
                else "No documents in this project yet.\nUse File ▸ Import files… (Ctrl+I)."
            )
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)

    # -- selection & navigation --------------------------------------------------------------
    def current_document_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.document_id(index.row()) if index.isValid() else None

    def select_document(self, document_id: str, *, emit: bool = True, fetch: bool = True) -> bool:
        row = self.model.row_of(document_id, fetch=fetch)
        if row is None:
            self.table.clearSelection()
            return False
        self._select_row(row, emit=emit)
        return True

    def _select_row(self, row: int, *, emit: bool) -> None:
        self._quiet = not emit
        try:
            index = self.model.index(row, 0)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
        finally:
            self._quiet = False

    def step(self, delta: int) -> str | None:
        """Select the next (+1) or previous (-1) document; returns its id, or None at an end."""
        index = self.table.currentIndex()
        row = index.row() + delta if index.isValid() else 0
        if row >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        if not 0 <= row < self.model.rowCount():
            return None
        self._select_row(row, emit=True)
        return self.model.document_id(row)

    _quiet = False

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        document_id = self.model.document_id(current.row())
        if document_id is not None:
            self.document_activated.emit(document_id)
