"""The margin beside the article: who says what, line by line, without clicking.

Beside every line a quote covers runs a bar in its polarity colour (overlapping quotes in side
by side lanes); at the line where it starts, the margin names the speaker and, below, the stance
(polarity + target). Only visible blocks are looked at, so long articles cost nothing extra.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QStaticText,
)
from PySide6.QtWidgets import QWidget

from annotator.ui.highlighter import CONTENT
from annotator.ui.margin_labels import LabelSlot, place_labels

if TYPE_CHECKING:
    from annotator.ui.article_view import ArticleView

POLARITY_COLORS = {
    "support": QColor(46, 140, 70),
    "oppose": QColor(200, 60, 50),
    "neutral": QColor(110, 110, 120),
    "unclear": QColor(190, 130, 20),
    None: QColor(150, 150, 160),
}
_ELIDE = Qt.TextElideMode.ElideRight
MAX_LANES = 3  # bars of overlapping quotes side by side; more share the last lane
TEXT_X = 4 + 4 * MAX_LANES + 4
POLARITY_SIGNS = {"support": "+", "oppose": "−", "neutral": "=", "unclear": "?", None: "·"}

# (speaker, polarity or None, target) for an attribution id
Describe = Callable[[str], tuple[str, str | None, str]]


class Margin(QWidget):
    WIDTH = 250

    def __init__(self, view: ArticleView, describe: Describe) -> None:
        super().__init__(view)
        self.view = view
        self.describe = describe
        self.dark = False
        self.selected: str | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._cache: dict[tuple[object, ...], tuple[QStaticText, QStaticText]] = {}

    def _bold(self, font: QFont) -> QFont:
        bold = QFont(font)
        bold.setBold(True)
        return bold

    def _texts(
        self,
        speaker: str,
        polarity: str | None,
        target: str,
        fm: QFontMetrics,
        selected: bool,
        font: QFont,
        lines: int = 2,
        more: int = 0,
    ) -> tuple[QStaticText, QStaticText]:
        """Elided, pre-laid-out label lines, cached: the margin repaints after every edit.
        One-line labels put the polarity sign before the name; "+N" counts the quotes that
        start too close below to have labels of their own, as "(+N)"."""
        width = self.width() - TEXT_X - 6
        key = (speaker, polarity, target, width, selected, font.pointSizeF(), lines, more)
        texts = self._cache.get(key)
        if texts is None:
            metrics = QFontMetrics(self._bold(font)) if selected else fm
            sign = f"{POLARITY_SIGNS.get(polarity, '·')} " if lines == 1 else ""
            extra = f"  (+{more})" if more else ""
            name = sign + metrics.elidedText(
                speaker or "no speaker yet",
                _ELIDE,
                width - metrics.horizontalAdvance(sign + extra),
            )
            name += extra
            stance = f"{POLARITY_SIGNS.get(polarity, '·')} {polarity or 'no stance'}"
            if target:
                stance += f" · {target}"
            texts = (QStaticText(name), QStaticText(fm.elidedText(stance, _ELIDE, width)))
            for t in texts:
                t.setTextFormat(Qt.TextFormat.PlainText)
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[key] = texts
        return texts

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.WIDTH, 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        view = self.view
        painter = QPainter(self)
        pal = self.palette()  # follows the app theme (the shell's light/dark palettes)
        bg = pal.color(QPalette.ColorRole.AlternateBase)
        painter.fillRect(event.rect(), bg)
        painter.setPen(pal.color(QPalette.ColorRole.Mid))
        painter.drawLine(0, 0, 0, self.height())
        font = self.label_font()
        painter.setFont(font)
        fm = QFontMetrics(font)
        index = view.index
        if index is None:
            return
        view.format_visible()  # lines are measured below: the formats (bold mentions) first
        text_color = pal.color(QPalette.ColorRole.Text)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        offset = view.contentOffset()
        clip = event.rect()
        h = fm.height()
        # 1. a bar in the polarity colour beside every line each quote covers
        spans: dict[str, list[int]] = {}
        block = view.firstVisibleBlock()
        while block.isValid():
            geo = view.blockBoundingGeometry(block).translated(offset)
            if geo.top() > self.height():
                break
            pieces = index.pieces(block.blockNumber())
            if pieces and block.isVisible():
                layout = block.layout()
                for p in pieces:
                    if p.role != CONTENT:
                        continue
                    first = layout.lineForTextPosition(p.start)
                    last = layout.lineForTextPosition(max(p.start, p.end - 1))
                    if not first.isValid() or not last.isValid():
                        continue
                    y0 = int(geo.top() + first.y())
                    y1 = int(geo.top() + last.y() + last.height())
                    seen = spans.get(p.attribution_id)
                    if seen is None:
                        spans[p.attribution_id] = [y0, y1]
                    else:
                        seen[0], seen[1] = min(seen[0], y0), max(seen[1], y1)
            block = block.next()
        lanes: list[int] = []  # bottom of the last bar in each lane
        for att_id, (y0, y1) in sorted(spans.items(), key=lambda kv: (kv[1][0], -kv[1][1])):
            lane = next((i for i, bottom in enumerate(lanes) if bottom < y0), len(lanes))
            if lane == len(lanes):
                lanes.append(y1)
            else:
                lanes[lane] = y1
            lane = min(lane, MAX_LANES - 1)
            if y1 < clip.top() or y0 > clip.bottom():
                continue
            _speaker, polarity, _target = self.describe(att_id)
            color = QColor(POLARITY_COLORS.get(polarity, POLARITY_COLORS[None]))
            if att_id != self.selected:
                color.setAlpha(150)
            painter.fillRect(QRect(3 + 4 * lane, y0 + 2, 3, y1 - y0 - 4), color)
        # 2. at the line where each quote starts: speaker, then stance (labels never overlap)
        for slot in self.label_slots(h):
            if slot.y > clip.bottom() or slot.y + 2 * h < clip.top():
                continue
            shown = self.selected if self.selected in slot.ids else slot.ids[0]
            speaker, polarity, target = self.describe(shown)
            color = POLARITY_COLORS.get(polarity, POLARITY_COLORS[None])
            selected = shown == self.selected
            more = len(slot.ids) - 1
            name, stance = self._texts(
                speaker, polarity, target, fm, selected, font, slot.lines, more
            )
            painter.setFont(self._bold(font) if selected else font)
            painter.setPen(text_color if speaker else muted)
            painter.drawStaticText(TEXT_X, slot.y, name)
            if slot.lines == 2:
                painter.setFont(font)
                painter.setPen(color if polarity else muted)
                painter.drawStaticText(TEXT_X, slot.y + h, stance)
        painter.end()

    def label_slots(self, text_height: int) -> list[LabelSlot]:
        """The labels of the quotes starting on the visible lines, top to bottom: always all of
        them, so a partial repaint places each label where a full one does."""
        view, index = self.view, self.view.index
        if index is None:
            return []
        offset = view.contentOffset()
        starts: list[tuple[int, str]] = []
        block = view.firstVisibleBlock()
        while block.isValid():
            geo = view.blockBoundingGeometry(block).translated(offset)
            if geo.top() > self.height():
                break
            block_starts = index.starts_in(block.blockNumber())
            if block_starts and block.isVisible():
                layout = block.layout()
                for u16, att_id in block_starts:
                    line = layout.lineForTextPosition(u16)
                    starts.append((int(geo.top() + (line.y() if line.isValid() else 0)), att_id))
            block = block.next()
        return place_labels(starts, text_height)

    def label_font(self) -> QFont:
        font = QFont(self.view.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.78))
        return font
