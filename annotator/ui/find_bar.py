"""Find in the article: `/` opens the bar, Enter / F3 the next match, Shift+Enter / Shift+F3 the
previous one, Esc closes it.

Each match is selected in the article view, so the analyst can find a quote's words and press `Q`
(or `C`, `M`, `A`) straight away. Case is ignored; offsets are code points of the document text
(the view converts them to UTF-16), so emoji and combining marks before a match do not shift it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.ui.article_view import ArticleView

MAX_MATCHES = 10_000  # a one-letter query in a 1 MB article: count stops, stepping still works
_KEYS_WE_TAKE = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape}


def find_matches(text: str, query: str, limit: int = MAX_MATCHES) -> list[tuple[int, int]]:
    """Code-point spans of `query` in `text`, case-insensitive, left to right, at most `limit`."""
    if not query:
        return []
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    out: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        out.append((m.start(), m.end()))
        if len(out) >= limit:
            break
    return out


class FindBar(QWidget):
    """A one-line bar above the article. Hidden until `open()`."""

    def __init__(self, view: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.matches: list[tuple[int, int]] = []
        self.current = -1
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Find in the article…   Enter: next · Shift+Enter: previous")
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)
        self.count = QLabel()
        self.count.setObjectName("findCount")
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("10,000+ of 10,000+"))
        buttons = []
        for text, tip, slot in (
            ("↑", "Previous match (Shift+Enter, Shift+F3)", lambda: self.step(-1)),
            ("↓", "Next match (Enter, F3)", lambda: self.step(1)),
            ("✕", "Close (Esc)", self.close_bar),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the field
            button.clicked.connect(slot)
            buttons.append(button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 3, 10, 3)
        layout.setSpacing(4)
        self.edit.setMaximumWidth(520)  # a query is short; the count stays near it
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        for button in buttons:
            layout.addWidget(button)
        layout.addStretch(0)
        # Typing is debounced: a 1 MB article is searched when the analyst pauses.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self._search_typed)
        # The first Enter after typing keeps the first match, whether or not the pause already
        # searched: otherwise a slow typist's Enter skipped to the second match.
        self._just_typed = False
        self.edit.textChanged.connect(lambda _t: self._debounce.start())
        self.hide()

    # -- opening and closing -------------------------------------------------------------
    def open(self) -> None:
        """Show the bar with the field focused; a short one-line selection becomes the query."""
        chosen = self.view.textCursor().selectedText()
        if chosen and len(chosen) <= 80 and "\u2029" not in chosen:
            self.edit.setText(chosen)
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self.search()

    def close_bar(self) -> None:
        """Hide the bar; the current match stays selected in the article, ready for Q."""
        if self._debounce.isActive():  # typed, then Esc before the pause: find it now
            self.search()
        self._just_typed = False  # F3 from the article goes on from the match
        self.hide()
        self.view.setFocus()

    def refresh(self) -> None:
        """The article changed (another document): search it again if the bar is open, with no
        match chosen yet, so the next Enter / F3 selects the first one."""
        if self.isVisible():
            self.search(select=False)
            self.current = -1
        else:
            self.matches, self.current = [], -1
        self._show_count()

    # -- searching ---------------------------------------------------------------------------
    def search(self, *, select: bool = True) -> None:
        self._debounce.stop()
        self.matches = find_matches(self.view.text, self.edit.text())
        if not self.matches:
            self.current = -1
            self._show_count()
            return
        # Start at the first match from where the reader is (the cursor), wrapping around.
        here = self.view.offsets.to_cp(self.view.textCursor().selectionStart())
        self.current = next((i for i, (s, _e) in enumerate(self.matches) if s >= here), 0)
        if select:
            self._select()
        else:
            self._show_count()

    def _search_typed(self) -> None:
        self.search()
        self._just_typed = True

    def step(self, delta: int) -> None:
        """Select the next (+1) or previous (-1) match, wrapping at either end."""
        if self._debounce.isActive() or not self.matches or self._just_typed:
            if self._debounce.isActive() or not self.matches:
                self.search()  # the query changed and was not searched yet
            self._just_typed = False
            if delta > 0 or not self.matches:
                return
        # From "none chosen yet" (-1), forward is the first match and back is the last.
        start = self.current if self.current >= 0 else (0 if delta < 0 else -1)
        self.current = (start + delta) % len(self.matches)
        self._select()

    def _select(self) -> None:
        start, end = self.matches[self.current]
        self.view.select_cp(start, end)
        self.view.centerCursor()
        self._show_count()

    def _show_count(self) -> None:
        n = len(self.matches)
        if not self.edit.text():
            text = ""
        elif not n:
            text = "No match"
        else:
            total = f"{n:,}+" if n >= MAX_MATCHES else f"{n:,}"
            text = f"{self.current + 1:,} of {total}" if self.current >= 0 else f"{total} found"
        self.count.setText(text)
        self.count.setProperty("missing", bool(self.edit.text()) and not n)
        self.count.style().unpolish(self.count)
        self.count.style().polish(self.count)

    # -- keys in the field ---------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.ShortcutOverride and event.key() in _KEYS_WE_TAKE:
                event.accept()  # ours, not the workspace's Escape (clear selection) shortcut
                return True
            if event.type() == QEvent.Type.KeyPress and event.key() in _KEYS_WE_TAKE:
                if event.key() == Qt.Key.Key_Escape:
                    self.close_bar()
                else:
                    back = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                    self.step(-1 if back else 1)
                return True
        return super().eventFilter(watched, event)
