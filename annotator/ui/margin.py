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
    ) -> tuple[QStaticText, QStaticText]:
        """Elided, pre-laid-out label lines, cached: the margin repaints after every edit."""
        width = self.width() - TEXT_X - 6
        key = (speaker, polarity, target, width, selected, font.pointSizeF())
        texts = self._cache.get(key)
        if texts is None:
            metrics = QFontMetrics(self._bold(font)) if selected else fm
            name = metrics.elidedText(speaker or "no speaker yet", _ELIDE, width)
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
        font = QFont(view.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.78))
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
        block = view.firstVisibleBlock()
        next_free = -1_000_000
        while block.isValid():
            geo = view.blockBoundingGeometry(block).translated(offset)
            if geo.top() > clip.bottom():
                break
            starts = index.starts_in(block.blockNumber())
            if starts and block.isVisible():
                layout = block.layout()
                for u16, att_id in starts:
                    line = layout.lineForTextPosition(u16)
                    y = int(geo.top() + (line.y() if line.isValid() else 0))
                    y = max(y, next_free)
                    next_free = y + 2 * h + 4
                    if y > clip.bottom() or y + 2 * h < clip.top():
                        continue  # positions still computed: labels stack on those above
                    speaker, polarity, target = self.describe(att_id)
                    color = POLARITY_COLORS.get(polarity, POLARITY_COLORS[None])
                    selected = att_id == self.selected
                    name, stance = self._texts(speaker, polarity, target, fm, selected, font)
                    painter.setFont(self._bold(font) if selected else font)
                    painter.setPen(text_color if speaker else muted)
                    painter.drawStaticText(TEXT_X, y, name)
                    painter.setFont(font)
                    painter.setPen(color if polarity else muted)
                    painter.drawStaticText(TEXT_X, y + h, stance)
            block = block.next()
        painter.end()
