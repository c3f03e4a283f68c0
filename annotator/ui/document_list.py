"""The document list panel: search box, filters, count, and the lazy, sortable table.

The model (document_list_model.py) pages rows in from services.doclist; clicking a column header
sorts by title, source or date (a third click returns to import order).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
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
from annotator.services.doclist import DocFilter
from annotator.storage.engine import Database
from annotator.ui.document_list_model import (
    COLUMN_NAMES,
    COLUMNS,
    SORTABLE,
    STATUS_LABEL,
    DocumentListModel,
)

__all__ = ["STATUS_LABEL", "DocumentListModel", "DocumentListPanel"]

NARROW_WIDTH = 460  # px of table below which source and date columns step aside


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
            5: fm.horizontalAdvance("99,999") + pad,  # "5,000" showed as "5…"
        }
        for col, width in widths.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setHighlightSections(False)
        # Header clicks sort (title, source, date); a third click clears back to import order.
        header.setSortIndicatorShown(True)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self._sort_changed)
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
        self.table.viewport().installEventFilter(self)

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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The table's own width, not the panel's: at start-up the panel is resized while the
        # (not yet shown) table still has its old size, and the columns stayed hidden.
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._adapt_columns()
        return super().eventFilter(watched, event)

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

    def order_key(self) -> str:
        """The list's order as "column:asc|desc" ("" for import order), for the settings file."""
        order = self.model.order
        if order.column is None:
            return ""
        return f"{order.column}:{'desc' if order.descending else 'asc'}"

    def restore_order(self, key: str) -> None:
        """Sort as `order_key()` once said; anything unknown means import order."""
        column, _, way = key.partition(":")
        section = next((c for c, name in SORTABLE.items() if name == column), -1)
        down = Qt.SortOrder.DescendingOrder if way == "desc" else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(section, down)

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if column != -1 and column not in SORTABLE:
            # Status and counts are per analyst, computed per row: not an index order. The
            # click changes nothing; the arrow goes back where the list's order is.
            header = self.table.horizontalHeader()
            now = self.model.order
            section = next((c for c, name in SORTABLE.items() if name == now.column), -1)
            down = Qt.SortOrder.DescendingOrder if now.descending else Qt.SortOrder.AscendingOrder
            header.blockSignals(True)
            header.setSortIndicator(section, down)
            header.blockSignals(False)
            return
        current = self.current_document_id()
        self.model.sort(column, order)
        if current is not None:  # the same documents, reordered: keep the analyst's place
            self.select_document(current, emit=False, fetch=True)

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
            # Not listed (a filter hides it): no current row, so N/P and a click start afresh
            # instead of acting on a row that no longer matches the article.
            self._quiet = True
            try:
                self.table.setCurrentIndex(QModelIndex())
                self.table.clearSelection()
            finally:
                self._quiet = False
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
