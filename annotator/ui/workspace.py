"""The workspace: article view + margin, inspector and attribution table, keyboard first.

The main window embeds one Workspace and owns the undo stack. Widgets here never touch the
database: reads go through services, edits through undo commands (annotator.ui.commands) that
call services and report back through `on_stored` / `on_removed` once the edit is committed.
"""

from __future__ import annotations

import gc
from bisect import bisect_left

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from annotator.matching import Candidate
from annotator.model import AttributionRecord, Polarity
from annotator.services import documents, registries
from annotator.services.workspace_queries import (
    QuoteSummary,
    attribution_record,
    document_attributions,
    document_summaries,
)
from annotator.storage.engine import Database
from annotator.ui.article_view import ArticleView
from annotator.ui.attribution_table import AttributionTable, AttributionTableModel
from annotator.ui.chooser import Chooser
from annotator.ui.find_bar import FindBar
from annotator.ui.highlighter import Palette
from annotator.ui.inspector import Inspector
from annotator.ui.record_store import RecordStore
from annotator.ui.workspace_choosers import ChooserMixin
from annotator.ui.workspace_edits import EditsMixin

POLARITY_KEYS = {
    "1": Polarity.SUPPORT,
    "2": Polarity.OPPOSE,
    "3": Polarity.NEUTRAL,
    "4": Polarity.UNCLEAR,
}


class Workspace(EditsMixin, ChooserMixin, QWidget):
    status_message = Signal(str)
    warning = Signal(str)  # a probable slip, not stored: the analyst may insist (same key)
    attributions_changed = Signal(str, int)
    # An undo or redo of an edit on another document switched the article to it.
    document_switched = Signal(str)
    # An edit changed what the registries panel shows: an entry or alias, or which attributions
    # name an entry (see workspace_edits._registry_view).
    registries_touched = Signal()

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.undo_stack = undo_stack
        self.project_id: str | None = None
        self.annotator_id: str | None = None
        self.document_id: str | None = None
        self.text = ""
        self.records = self._store([])
        self.names: dict[str, str] = {}
        self._unknown_names: set[str] = set()
        self.selected_id: str | None = None
        self._marked_in_progress = False
        self._dark = False
        self._chooser: Chooser | None = None
        self._chooser_target: tuple[str, str] | None = None  # (field, attribution id)
        self._candidates: list[Candidate] = []  # registry names+aliases while a chooser is open
        self._insist: tuple[object, ...] | None = None  # the warned edit a second key press makes

        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.header.setContentsMargins(18, 10, 18, 6)
        self.view = ArticleView(self.describe)
        self.find_bar = FindBar(self.view)
        self.table_model = AttributionTableModel(self.name_of, self)
        self.table = AttributionTable(self.table_model)
        self.inspector = Inspector()
        self.toolbar = QToolBar("Attribution")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_by_name: dict[str, QAction] = {}
        self._build_actions()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.header)
        left_layout.addWidget(self.toolbar)
        left_layout.addWidget(self.find_bar)
        self.vsplit = vsplit = QSplitter(Qt.Orientation.Vertical)
        vsplit.addWidget(self.view)
        vsplit.addWidget(self.table)
        vsplit.setStretchFactor(0, 4)
        vsplit.setStretchFactor(1, 1)
        vsplit.setSizes([600, 180])
        left_layout.addWidget(vsplit, 1)
        scroll = QScrollArea()
        scroll.setWidget(self.inspector)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(250)
        # the inspector fits its width (long values wrap or elide): it never scrolls sideways
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inspector_scroll = scroll
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([1000, 330])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.view.attribution_clicked.connect(lambda att_id: self.select(att_id))
        self.table.attribution_selected.connect(lambda att_id: self.select(att_id, scroll=True))
        self.inspector.edit_requested.connect(self._inspector_edit)
        self.inspector.choose_requested.connect(self.choose)
        self.inspector.leave_requested.connect(self.focus_article)
        self.load_document(None)

    # --- actions ---------------------------------------------------------------------------
    def _build_actions(self) -> None:
        specs: list[tuple[str, str, str, object, bool]] = [
            (
                "create",
                "Q",
                "New attribution (quote) from selection",
                self.create_from_selection,
                True,
            ),
            ("cue", "C", "Set cue from selection", lambda: self.set_span("cue"), True),
            (
                "mention",
                "M",
                "Set speaker mention from selection",
                lambda: self.set_span("mention"),
                True,
            ),
            ("segment", "A", "Add content segment from selection", self.add_segment, True),
            ("speaker", "S", "Choose speaker", lambda: self.choose("speaker_id"), True),
            ("via", "V", "Choose via (relaying outlet)", lambda: self.choose("via_id"), True),
            ("target", "T", "Choose stance target", lambda: self.choose("target_id"), True),
            ("kind", "D", "Cycle kind: direct / indirect / mixed", self.cycle_kind, False),
            (
                "proposition",
                "E",
                "Edit proposition (Enter stores it)",
                self.edit_proposition,
                False,
            ),
        ]
        for key, polarity in POLARITY_KEYS.items():
            specs.append(
                (
                    f"polarity_{polarity}",
                    key,
                    f"Polarity: {polarity}",
                    lambda p=polarity: self.set_polarity(p),
                    True,
                )
            )
        specs += [
            ("next", "J", "Next attribution", lambda: self.step(1), False),
            ("previous", "K", "Previous attribution", lambda: self.step(-1), False),
            (
                "delete",
                "Delete",
                "Delete attribution (undo restores it)",
                self.delete_selected,
                True,
            ),
            ("clear", "Escape", "Clear selection", self.clear_selection, False),
            ("find", "/", "Find in the article (Enter: next match)", self.open_find, False),
            ("find_next", "F3", "Next match", lambda: self.find_bar.step(1), False),
            ("find_previous", "Shift+F3", "Previous match", lambda: self.find_bar.step(-1), False),
        ]
        menu: list[QAction | None] = []
        for name, key, text, slot, in_menu in specs:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            # anywhere in the workspace; text fields take printable keys (and Delete) first
            # through Qt's ShortcutOverride, so typing a proposition never triggers these
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{text} ({key})")
            action.triggered.connect(lambda _checked=False, s=slot: s())  # type: ignore[operator]
            self.addAction(action)
            self.actions_by_name[name] = action
            if in_menu:
                menu.append(action)
            if name in ("segment", "target", "polarity_unclear"):
                menu.append(None)
        self.view.menu_actions = menu
        # short labels: the toolbar must fit beside the document list and the inspector
        labels = {
            "create": "Quote Q", "cue": "Cue C", "mention": "Mention M",
            "speaker": "Speaker S", "target": "Target T",
            "polarity_support": "+1", "polarity_oppose": "−2",
            "polarity_neutral": "=3", "polarity_unclear": "?4", "delete": "Delete",
        }  # fmt: skip

        for name, label in labels.items():
            button_action = self.actions_by_name[name]
            self.toolbar.addAction(button_action)
            button = self.toolbar.widgetForAction(button_action)
            assert button is not None
            button.setText(label)
            if name in ("mention", "target", "polarity_unclear"):
                self.toolbar.addSeparator()
        self._style_toolbar()

    def _style_toolbar(self) -> None:
        """(Re)applied on theme changes: styled widgets do not follow a new app palette."""
        from annotator.ui.margin import POLARITY_COLORS

        self.toolbar.setStyleSheet(
            "QToolButton { padding: 2px 5px; }"
            " QToolBar::separator { background: palette(mid); width: 1px; margin: 5px 6px; }"
        )
        for name, action in self.actions_by_name.items():
            button = self.toolbar.widgetForAction(action)
            if button is not None and name.startswith("polarity_"):
                color = POLARITY_COLORS[name.removeprefix("polarity_")].name()
                button.setStyleSheet(f"color: {color}; font-weight: 600;")

    def shortcuts(self) -> list[tuple[str, str]]:
        out = [
            ("Shift+Arrows, Ctrl+Shift+Arrows", "Select text (snaps to whole words)"),
        ]
        for action in self.actions_by_name.values():
            out.append((action.shortcut().toString(), action.text()))
        out.append(("Click a highlight", "Select its attribution (click again: the enclosing one)"))
        return out

    def open_find(self) -> None:
        if self.document_id is not None:
            self.find_bar.open()

    # --- context ---------------------------------------------------------------------------
    def set_context(self, project_id: str, annotator_id: str) -> None:
        self.project_id = project_id
        self.annotator_id = annotator_id

    def current_document_id(self) -> str | None:
        return self.document_id

    def edit_proposition(self) -> None:
        if self.selected_record() is not None:
            self.inspector.proposition.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.inspector.proposition.selectAll()

    def layout_state(self) -> list[int]:
        """Splitter sizes (article/table, left/inspector) for the main window to save."""
        return [*self.vsplit.sizes(), *self.splitter.sizes()]

    def restore_layout_state(self, sizes: list[int]) -> None:
        if len(sizes) == 4 and all(isinstance(v, int) and v >= 0 for v in sizes):
            self.vsplit.setSizes(sizes[:2])
            self.splitter.setSizes(sizes[2:])

    def focus_article(self) -> None:
        """Put the keyboard in the article (the attribution keys work from there)."""
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_font_point_size(self, size: int) -> None:
        font = self.view.font()
        font.setPointSize(size)
        self.view.setFont(font)

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        self.view.set_palette(Palette.dark() if dark else Palette.light(), dark)
        self._style_toolbar()
        self._render_header()

    def load_document(self, document_id: str | None) -> None:
        # Loading allocates ~100k objects (records, spans, index); Python's cyclic collector
        # would run dozens of passes over the whole heap meanwhile (~60 ms of a 1 MB / 5,000
        # open). None of these objects form cycles, so collection can wait until we are done.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._load_document(document_id)
        finally:
            if was_enabled:
                gc.enable()

    def _load_document(self, document_id: str | None) -> None:
        self.inspector.commit_pending()
        if self._chooser is not None:
            self._chooser.hide()
        self.document_id = document_id
        self.selected_id = None
        self._insist = None
        self._marked_in_progress = False
        if document_id is None:
            self.info = None
            self.text = ""
            summaries = []
        else:
            self.info = documents.get_document(self.db, document_id)
            if self.project_id is None:
                self.project_id = self.info.project_id
            self.text = documents.get_document_text(self.db, document_id)
            summaries = document_summaries(self.db, document_id, self.annotator_id)
            self._refresh_names()
        self.records = self._store(summaries)
        self.view.set_article(self.text, summaries)
        self.table_model.set_records(self.text, summaries)
        self._render_header()
        self.select(None)
        self.toolbar.setEnabled(document_id is not None)
        self.find_bar.refresh()

    def _store(self, summaries: list[QuoteSummary]) -> RecordStore:
        """The open document's attributions: full records are read when first asked for."""
        document_id, annotator_id = self.document_id, self.annotator_id
        return RecordStore(
            summaries,
            lambda att_id: attribution_record(self.db, att_id),
            lambda: document_attributions(self.db, document_id or "", annotator_id),
            document_id or "",
            annotator_id,
        )

    def _render_header(self) -> None:
        info = getattr(self, "info", None)
        if info is None:
            self.header.setText("<i>No document open</i>")
            return
        muted = "#9aa0a8" if self._dark else "#6b6f76"
        meta = [v for v in (info.source, info.published, info.place) if v]
        line2 = " · ".join(_esc(v) for v in meta)
        url = f"<br><span style='color:{muted}'>{_esc(info.url)}</span>" if info.url else ""
        self.header.setText(
            f"<span style='font-size:15pt; font-weight:600'>{_esc(info.title or 'Untitled')}</span>"
            f"<br><span style='color:{muted}'>{line2}</span>{url}"
        )

    def _refresh_names(self) -> None:
        self._unknown_names: set[str] = set()
        if self.project_id is None:
            return
        names = {a.id: a.name for a in registries.list_actors(self.db, self.project_id)}
        names.update({t.id: t.name for t in registries.list_targets(self.db, self.project_id)})
        self.names = names

    def name_of(self, entry_id: str | None) -> str:
        if not entry_id:
            return ""
        name = self.names.get(entry_id)
        if name is None and entry_id not in self._unknown_names:
            # made elsewhere (registry panel, another window): look once, not on every paint
            self._refresh_names()
            name = self.names.get(entry_id)
            if name is None:
                self._unknown_names.add(entry_id)
        return name or ""

    def describe(self, attribution_id: str) -> tuple[str, str | None, str]:
        q = self.records.summary(attribution_id)
        if q is None:
            return ("", None, "")
        return (self.name_of(q.speaker_id), q.polarity, self.name_of(q.target_id))

    # --- selection -------------------------------------------------------------------------
    def ordered(self) -> list[AttributionRecord]:
        """Every attribution's full record, in reading order (reads them all: not for hot paths)."""
        self.records.load_all()
        return [self.records[q.id] for q in self.table_model.summaries()]

    def select(self, attribution_id: str | None, *, scroll: bool = False) -> None:
        self.inspector.commit_pending()  # typed text belongs to the attribution shown so far
        if attribution_id is not None and attribution_id not in self.records:
            attribution_id = None
        self.selected_id = attribution_id
        self.view.set_selected(attribution_id)
        self.table.select_id(attribution_id)
        rec = self.records.get(attribution_id) if attribution_id else None
        position = None
        if rec is not None:
            position = (self.table_model.row_of(rec.id), len(self.records))
            if scroll:
                self.view.scroll_to_cp(rec.start)
        self.inspector.show_record(rec, self.text, self.name_of, position)

    def selected_record(self) -> AttributionRecord | None:
        rec = self.records.get(self.selected_id) if self.selected_id else None
        if rec is None:
            self.status_message.emit("Select an attribution first (click a highlight, or J/K)")
        return rec

    def step(self, direction: int) -> None:
        model = self.table_model
        count = model.rowCount()
        if not count:
            return
        row = model.row_of(self.selected_id) if self.selected_id else -1
        if row >= 0:
            i = row + direction
        else:
            # the first attribution starting at or after the cursor (rows are in start order)
            here = self.view.offsets.to_cp(self.view.textCursor().position())
            after = bisect_left(model.summaries(), here, key=lambda q: q.start)
            i = after if direction > 0 else after - 1
        if 0 <= i < count:
            self.select(model.record_at(i).id, scroll=True)
            self.view.setFocus()

    def clear_selection(self) -> None:
        """Escape: in a field, leave it (committing it); elsewhere clear the selections."""
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit | QComboBox) and self.inspector.isAncestorOf(focus):
            self.view.setFocus()
            return
        self.view.clear_selection()
        self.select(None)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
