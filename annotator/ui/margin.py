"""The margin beside the article: who says what, line by line, without clicking.

For each attribution, at the line where its content starts, the margin names the speaker and,
below, the stance (polarity + target) coloured by polarity, beside a bar in the same colour.
Painted only for the visible blocks, so it costs nothing on long articles.
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
        width = self.width() - 22
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
        text_color = pal.color(QPalette.ColorRole.Text)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        block = view.firstVisibleBlock()
        offset = view.contentOffset()
        clip = event.rect()
        bottom_limit = clip.bottom()
        next_free = -1_000_000
        while block.isValid():
            geo = view.blockBoundingGeometry(block).translated(offset)
            if geo.top() > bottom_limit:
                break
            starts = index.starts.get(block.blockNumber())
            if starts and block.isVisible():
                layout = block.layout()
                for u16, att_id in starts:
                    line = layout.lineForTextPosition(u16)
                    y = int(geo.top() + (line.y() if line.isValid() else 0))
                    y = max(y, next_free)
                    h = fm.height()
                    next_free = y + 2 * h + 4
                    if y > clip.bottom() or y + 2 * h < clip.top():
                        continue  # positions still computed: labels stack on those above
                    speaker, polarity, target = self.describe(att_id)
                    color = POLARITY_COLORS.get(polarity, POLARITY_COLORS[None])
                    painter.fillRect(QRect(6, y + 2, 3, 2 * h - 3), color)
                    selected = att_id == self.selected
                    name, stance = self._texts(speaker, polarity, target, fm, selected, font)
                    painter.setFont(self._bold(font) if selected else font)
                    painter.setPen(text_color if speaker else muted)
                    painter.drawStaticText(14, y, name)
                    painter.setFont(font)
                    painter.setPen(color if polarity else muted)
                    painter.drawStaticText(14, y + h, stance)
            block = block.next()
        painter.end()
