"""Registries panel: browse, edit and merge actors and stance targets, manage their aliases, and
see every attribution that uses one. Field edits, alias edits and merges are undo commands on the
shared stack; a merge re-points attributions through services.registries after a confirmation.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.matching import fold
from annotator.model import ActorRecord, ActorType, TargetRecord
from annotator.services import registries as reg
from annotator.services import registry_view
from annotator.storage.engine import Database
from annotator.ui.registry_commands import AliasCommand, EditFieldCommand, MergeCommand

Entry = ActorRecord | TargetRecord
ACTOR_FIELDS = (("name", "Name"), ("role", "Role / title"), ("affiliation", "Affiliation"),
                ("wikidata_id", "Wikidata id"))  # fmt: skip
TARGET_FIELDS = (("name", "Name"), ("description", "Description"))
USAGE_LIMIT = 500  # usages listed per entry: enough to browse, quick to fill


class EntryList(QTreeWidget):
    """Name, type, number of quotes, number of aliases: columns line up, unlike a list."""

    def __init__(self) -> None:
        super().__init__()
        self.setHeaderLabels(["Name", "Type", "Quotes", "Aliases"])
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

    def count(self) -> int:
        return self.topLevelItemCount()

    def item(self, row: int) -> QTreeWidgetItem:
        return self.topLevelItem(row)

    def setCurrentRow(self, row: int) -> None:  # noqa: N802 - mirrors QListWidget
        self.setCurrentItem(self.topLevelItem(row))

    def currentRow(self) -> int:  # noqa: N802
        item = self.currentItem()
        return self.indexOfTopLevelItem(item) if item is not None else -1


class RegistryPanel(QWidget):
    registry_changed = Signal()
    message = Signal(str)  # for the status bar
    open_document = Signal(str)

    def __init__(self, db: Database, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.undo_stack = db, undo_stack
        self.project_id: str | None = None
        self.entries: list[Entry] = []
        self.counts: dict[str, int] = {}
        self.tabs = QTabBar()
        self.tabs.addTab("Actors")
        self.tabs.addTab("Stance targets")
        self.tabs.setExpanding(False)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter by name or alias…")
        self.filter_edit.setClearButtonEnabled(True)
        self.entry_list = EntryList()

        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.field_edits: dict[str, QLineEdit] = {}
        self.type_combo = QComboBox()
        self.type_combo.addItems([t.value for t in ActorType])
        self.alias_list = QListWidget()
        self.alias_list.setMaximumHeight(84)
        self.alias_edit = QLineEdit()
        self.alias_edit.setPlaceholderText("New alias")
        self.alias_edit.setToolTip("Another name or spelling of this entry; Enter adds it")
        self.alias_add = QPushButton("Add")
        self.alias_remove = QPushButton("Remove")
        self.usage_label = QLabel()
        self.usage_label.setObjectName("hint")
        self.usage_label.setWordWrap(True)  # a narrow dock wraps it rather than scroll sideways
        self.usage_list = QListWidget()
        self.usage_list.setWordWrap(True)
        self.usage_list.setSpacing(3)
        self.usage_list.setAlternatingRowColors(True)
        self.merge_button = QPushButton("Merge into…")
        self.merge_button.setToolTip("Merge this entry into another: every attribution follows")
        self.empty_label = QLabel()
        self.empty_label.setObjectName("empty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._build_layout()

        self.tabs.currentChanged.connect(lambda _i: self.reload())
        self.filter_edit.textChanged.connect(lambda _t: self._fill_list())
        self.entry_list.currentItemChanged.connect(lambda *_: self._show_current())
        self.alias_add.clicked.connect(self.add_alias)
        self.alias_edit.returnPressed.connect(self.add_alias)
        self.alias_remove.clicked.connect(self.remove_alias)
        # clicked(bool) would pass its `checked` False as the entry to merge into
        self.merge_button.clicked.connect(lambda _checked=False: self.merge_current())
        self.usage_list.itemActivated.connect(
            lambda item: self.open_document.emit(item.data(Qt.ItemDataRole.UserRole))
        )

    def _build_layout(self) -> None:
        details = QWidget()
        d = QVBoxLayout(details)
        d.setContentsMargins(2, 6, 2, 2)
        top_row = QHBoxLayout()  # the merge button beside the name: never scrolled out of sight
        top_row.addWidget(self.heading, 1)
        top_row.addWidget(self.merge_button)
        d.addLayout(top_row)
        d.addLayout(self.form)
        d.addWidget(QLabel("Aliases"))
        d.addWidget(self.alias_list)
        row = QHBoxLayout()
        row.addWidget(self.alias_edit, 1)
        row.addWidget(self.alias_add)
        row.addWidget(self.alias_remove)
        d.addLayout(row)
        d.addWidget(self.usage_label)
        d.addWidget(self.usage_list, 1)
        self.details = details
        top = QWidget()
        t = QVBoxLayout(top)
        t.setContentsMargins(0, 0, 0, 0)
        t.addWidget(self.filter_edit)
        t.addWidget(self.entry_list)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        # The details scroll rather than impose their height on the main window (768 px screens).
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details_scroll = scroll
        scroll.setWidget(details)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        self.entry_list.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        layout.addWidget(split, 1)
        layout.addWidget(self.empty_label, 1)
        self.split = split

    # -- loading -----------------------------------------------------------------------------
    @property
    def actor_mode(self) -> bool:
        return self.tabs.currentIndex() == 0

    def set_project(self, project_id: str | None) -> None:
        self.project_id = project_id
        self.reload()

    def reload(self, keep: str | None = None) -> None:
        keep = keep or self.current_id()
        pid = self.project_id
        if pid is None:
            self.entries, self.counts = [], {}
        elif self.actor_mode:
            self.entries = list(reg.list_actors(self.db, pid))
            self.counts = registry_view.actor_usage_counts(self.db, pid)
        else:
            self.entries = list(reg.list_targets(self.db, pid))
            self.counts = registry_view.target_usage_counts(self.db, pid)
        self._build_form()
        self._fill_list(keep)

    def _build_form(self) -> None:
        while self.form.rowCount():
            self.form.takeRow(0)
        self.field_edits.clear()
        for field, label in ACTOR_FIELDS if self.actor_mode else TARGET_FIELDS:
            edit = QLineEdit()
            edit.editingFinished.connect(lambda f=field, e=edit: self._edit_field(f, e.text()))
            self.field_edits[field] = edit
            self.form.addRow(label, edit)
        if self.actor_mode:
            self.type_combo = QComboBox()
            self.type_combo.addItems([t.value for t in ActorType])
            self.type_combo.activated.connect(
                lambda _i: self._edit_field("type", self.type_combo.currentText())
            )
            self.form.insertRow(1, "Type", self.type_combo)

    def _fill_list(self, keep: str | None = None) -> None:
        keep = keep or self.current_id()
        query = fold(self.filter_edit.text())
        self.entry_list.blockSignals(True)
        self.entry_list.clear()
        for e in self.entries:
            if query and not any(query in fold(n) for n in (e.name, *e.aliases)):
                continue
            n = self.counts.get(e.id, 0)
            kind = e.type.value if isinstance(e, ActorRecord) else ""
            item = QTreeWidgetItem([e.name, kind, str(n) if n else "–", str(len(e.aliases) or "")])
            item.setData(0, Qt.ItemDataRole.UserRole, e.id)
            item.setToolTip(0, ", ".join(e.aliases))
            for col in (2, 3):
                item.setTextAlignment(
                    col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            self.entry_list.addTopLevelItem(item)
            if e.id == keep:
                self.entry_list.setCurrentItem(item)
        if self.entry_list.currentRow() < 0 and self.entry_list.count():
            self.entry_list.setCurrentRow(0)
        self.entry_list.setColumnHidden(1, not self.actor_mode)
        self.entry_list.blockSignals(False)
        kind = "actors" if self.actor_mode else "stance targets"
        empty = not self.entries
        self.empty_label.setText(
            f"No {kind} yet. They are created while annotating (S for speaker, T for target)."
        )
        self.empty_label.setVisible(empty)
        self.split.setVisible(not empty)
        self.filter_edit.setVisible(not empty)
        self._show_current()

    def current_id(self) -> str | None:
        item = self.entry_list.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def current_entry(self) -> Entry | None:
        cid = self.current_id()
        return next((e for e in self.entries if e.id == cid), None)

    def _show_current(self) -> None:
        e = self.current_entry()
        self.details.setEnabled(e is not None)
        if e is None:
            self.heading.setText("")
            self.usage_list.clear()
            self.alias_list.clear()
            return
        self.heading.setText(e.name)
        for field, edit in self.field_edits.items():
            edit.setText(str(getattr(e, field)))
        if isinstance(e, ActorRecord):
            self.type_combo.setCurrentText(e.type.value)
        self.alias_list.clear()
        self.alias_list.addItems(list(e.aliases))
        uses = registry_view.usages(self.db, e.id, actor=self.actor_mode, limit=USAGE_LIMIT)
        # The list is capped (USAGE_LIMIT); the count is the list column's, over every use.
        n = max(self.counts.get(e.id, 0), len(uses))
        shown = f", the first {len(uses):,} listed" if len(uses) < n else ""
        self.usage_label.setText(
            f"Used in {n:,} attribution{'s' if n != 1 else ''}{shown}"
            + ("  (double-click to open the article)" if uses else "")
        )
        self.usage_list.clear()
        for u in uses:
            role = f" [{u.role}]" if u.role == "via" else ""
            excerpt = u.excerpt.strip("\"“”„«»'‘’ ")  # the quote's own marks, not doubled
            item = QListWidgetItem(f"{u.title}{role}\n    “{excerpt}”")
            item.setData(Qt.ItemDataRole.UserRole, u.document_id)
            item.setToolTip(f"annotator: {u.annotator}" if u.annotator else "")
            self.usage_list.addItem(item)

    # -- edits -------------------------------------------------------------------------------
    def _edit_field(self, field: str, value: str) -> None:
        e = self.current_entry()
        if e is None:
            return
        old = str(getattr(e, field).value if field == "type" else getattr(e, field))
        value = value.strip()
        if value == old or (field == "name" and not value):
            self.field_edits.get(field, QLineEdit()).setText(old)
            return
        self.undo_stack.push(EditFieldCommand(self, self.actor_mode, e.id, field, old, value))

    def add_alias(self) -> None:
        e = self.current_entry()
        alias = self.alias_edit.text().strip()
        if e is None or not alias:
            return
        if fold(alias) in {fold(n) for n in (e.name, *e.aliases)}:
            self.alias_edit.selectAll()
            return
        self.undo_stack.push(AliasCommand(self, self.actor_mode, e.id, alias, add=True))
        self.alias_edit.clear()

    def remove_alias(self) -> None:
        e, item = self.current_entry(), self.alias_list.currentItem()
        if e is None or item is None:
            return
        self.undo_stack.push(AliasCommand(self, self.actor_mode, e.id, item.text(), add=False))

    def merge_current(self, into_id: str | None = None, *, confirm: bool = True) -> int | None:
        """Merge the current entry into another (chosen in a dialog unless `into_id`)."""
        e = self.current_entry()
        if e is None:
            return None
        others = [o for o in self.entries if o.id != e.id]
        if into_id is None:
            if not others:
                return None
            labels = [o.name for o in others]
            label, ok = QInputDialog.getItem(
                self, "Merge", f"Merge “{e.name}” into:", labels, 0, False
            )
            if not ok:
                return None
            into_id = others[labels.index(label)].id
        keep = next(o for o in others if o.id == into_id)
        n = self.counts.get(e.id, 0)
        if confirm:
            answer = QMessageBox.question(
                self,
                "Merge",
                f"Merge “{e.name}” into “{keep.name}”?\n\n{n} attribution(s) will name"
                f" “{keep.name}”, which gains “{e.name}” and its aliases as aliases."
                "\n(Edit ▸ Undo reverses it.)",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        command = MergeCommand(self, self.actor_mode, keep, e)
        self.undo_stack.push(command)
        return command.moved

    def after_edit(self, entry_id: str) -> None:
        """Called once an edit is stored: reload and tell the window (names may have changed)."""
        self.reload(keep=entry_id)
        self.registry_changed.emit()
