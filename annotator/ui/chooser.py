"""Type-ahead chooser over a registry (actors or targets): fuzzy, alias- and accent-tolerant.

Pre-filled from the mention; suggestions (e.g. the most recent speaker for a pronoun) come
first. Enter takes the highlighted row; when no row fits, Enter creates a new entry named as
typed. The chooser only reports the choice: the workspace stores it through an undo command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.matching import Match, close_enough, fold

# an entry the typed text names closely is pre-selected only when clearly ahead of the next one
PRESELECT_LEAD = 10.0
_CREATE = "__create__"
_OWN_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Up, Qt.Key.Key_Down)


@dataclass(frozen=True, slots=True)
class Choice:
    entry_id: str | None  # an existing entry, or None to create one
    name: str  # the entry's name, or the new name
    typed: str  # what was in the field (the mention text unless the user changed it)


@dataclass(frozen=True, slots=True)
class Suggestion:
    entry_id: str
    name: str
    reason: str


class Chooser(QFrame):
    """An inline palette floating over its parent (same window: focus and shortcuts stay sane)."""

    chosen = Signal(object)  # Choice
    closed = Signal()

    def __init__(
        self,
        title: str,
        search: Callable[[str], list[Match]],
        parent: QWidget | None = None,
        *,
        noun: str = "actor",
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setObjectName("chooser")
        self.title = QLabel(title, self)
        self.title.setStyleSheet("font-weight: 600;")
        self.search = search
        self.suggestions: list[Suggestion] = []
        self._prefill = ""
        self.edit = QLineEdit(self)
        self.noun = noun
        self.hint = QLabel(self)
        self.hint.setStyleSheet("color: palette(mid);")
        self.list = QListWidget(self)
        self.list.setUniformItemSizes(True)
        # the keyboard stays in the field (so Esc/Enter/letters never reach the workspace's keys)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.edit)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self.setFixedWidth(460)
        self.hide()
        self.edit.textChanged.connect(self.refresh)
        self.edit.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())

    @property
    def noun(self) -> str:
        """What the registry holds ("actor", "target"): the placeholder and the create row say it."""
        return self._noun

    @noun.setter
    def noun(self, noun: str) -> None:
        self._noun = noun
        self.edit.setPlaceholderText(
            f"Type a name or alias; Enter on a new name creates the {noun}"
        )

    def setWindowTitle(self, title: str) -> None:  # noqa: N802
        self.title.setText(title)

    def open_with(
        self, text: str, suggestions: list[Suggestion] | None = None, avoid: QRect | None = None
    ) -> None:
        """Show pre-filled; `avoid` (parent coordinates) is the text being labelled: the
        chooser goes below it, or above when there is no room, so it stays readable."""
        self.suggestions = list(suggestions or [])
        self._prefill = text.strip()
        self.edit.setText(text)
        self.edit.selectAll()
        self.refresh()
        parent = self.parentWidget()
        if parent is not None:
            x = max(0, (parent.width() - self.width()) // 2)
            y = 90
            if avoid is not None:
                x = max(0, min(avoid.left(), parent.width() - self.width() - 8))
                below = avoid.bottom() + 8
                above = avoid.top() - self.height() - 8
                y = below if below + self.height() <= parent.height() or above < 0 else above
            self.move(x, y)
        self.show()
        self.raise_()
        self.edit.setFocus()

    def refresh(self) -> None:
        typed = self.edit.text().strip()
        self.list.clear()
        seen: set[str] = set()
        preselect = -1
        # A suggestion is the choice until the user types something else that does not name it.
        retyped = bool(typed) and typed != self._prefill
        for i, s in enumerate(self.suggestions):
            self._add(s.entry_id, s.name, s.reason)
            seen.add(s.entry_id)
            if preselect < 0 and (not retyped or close_enough(typed, s.name)):
                preselect = i
        matches = [m for m in self.search(typed) if m.entry_id not in seen]
        for m in matches:
            alias = f"  (as “{m.label}”)" if fold(m.label) != fold(m.name) else ""
            self._add(m.entry_id, m.name, alias)
        exact = any(fold(m.name) == fold(typed) or fold(m.label) == fold(typed) for m in matches)
        exact = exact or any(fold(s.name) == fold(typed) for s in self.suggestions)
        if preselect < 0 and typed:
            # Enter takes an entry only when the typed text names it closely enough (and no
            # other about as well); otherwise it creates what was typed.
            close = [i for i, m in enumerate(matches) if close_enough(typed, m.label)]
            if close:
                best = matches[close[0]]
                runner_up = matches[close[1]].score if len(close) > 1 else 0.0
                if exact or best.score - runner_up >= PRESELECT_LEAD:
                    preselect = len(self.suggestions) + close[0]
        if typed and not exact:
            self._add(_CREATE, typed, f"  — create new {self.noun}")
            if preselect < 0:
                preselect = self.list.count() - 1
        if preselect < 0 and self.list.count():
            preselect = 0
        self.list.setCurrentRow(preselect)
        self.hint.setText("↑/↓ choose · Enter confirm · Esc cancel")
        # as tall as its rows (3 to 8), so it hides little of the article
        rows = max(3, min(8, self.list.count()))
        self.list.setFixedHeight(
            rows * self.list.sizeHintForRow(0) + 6 if self.list.count() else 60
        )
        self.adjustSize()

    def _add(self, entry_id: str, name: str, detail: str) -> None:
        item = QListWidgetItem(f"{name}{detail}")
        item.setData(Qt.ItemDataRole.UserRole, (entry_id, name))
        self.list.addItem(item)

    def current_choice(self) -> Choice | None:
        item = self.list.currentItem()
        if item is None:
            return None
        entry_id, name = item.data(Qt.ItemDataRole.UserRole)
        typed = self.edit.text().strip()
        return Choice(None if entry_id == _CREATE else entry_id, name, typed)

    def accept(self) -> None:
        choice = self.current_choice()
        self.hide()
        if choice is not None:
            self.chosen.emit(choice)
        self.closed.emit()

    def reject(self) -> None:
        self.hide()
        self.closed.emit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.edit and event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.key() in _OWN_KEYS:  # ours, not the workspace's shortcuts
                event.accept()
                return True
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
                self.list.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept()
                return True
            if key == Qt.Key.Key_Escape:
                self.reject()
                return True
        return super().eventFilter(obj, event)
