"""Painted charts for the agreement and progress dialogs (PySide6-Essentials has no QtCharts).

HeatMap: an annotator-by-annotator matrix of one agreement figure. TimeChart: per-annotator
series over days, as lines (cumulative counts) or grouped bars (daily counts).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QHelpEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

# Okabe-Ito colors: distinguishable with the common color-vision deficiencies.
SERIES_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#7F7F7F"]
# Heat scale from disagreement to agreement: brick, sand, sage, teal.
SCALE = [(0.0, "#c8553d"), (0.4, "#f2c57c"), (0.7, "#b7d3a8"), (1.0, "#3f8f7a")]


def series_color(index: int) -> QColor:
    return QColor(SERIES_COLORS[index % len(SERIES_COLORS)])


def scale_color(value: float) -> QColor:
    """Color for an agreement value (clamped to [0, 1]; negative values get the low end)."""
    v = min(1.0, max(0.0, value))
    for (x0, c0), (x1, c1) in zip(SCALE, SCALE[1:], strict=False):
        if v <= x1:
            t = (v - x0) / (x1 - x0)
            a, b = QColor(c0), QColor(c1)
            return QColor(
                round(a.red() + (b.red() - a.red()) * t),
                round(a.green() + (b.green() - a.green()) * t),
                round(a.blue() + (b.blue() - a.blue()) * t),
            )
    return QColor(SCALE[-1][1])


def _text_on(color: QColor) -> QColor:
    return QColor("#1d1d1b") if color.lightness() > 120 else QColor("#ffffff")


class HeatMap(QWidget):
    """Annotator x annotator cells showing a value and, smaller, the items behind it."""

    MARGIN = 12
    LEGEND_H = 34

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: list[str] = []
        self.cells: dict[tuple[int, int], tuple[float | None, int]] = {}
        self.unit = "items"
        self.figure_name = ""
        self.setMouseTracking(True)
        self.setMinimumSize(320, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(
        self,
        names: list[str],
        cells: dict[tuple[int, int], tuple[float | None, int]],
        *,
        figure_name: str,
        unit: str,
    ) -> None:
        """`cells[(i, j)]` = (value, items) for i != j; symmetric entries are filled in."""
        self.names = names
        self.cells = {**{(j, i): v for (i, j), v in cells.items()}, **cells}
        self.figure_name = figure_name
        self.unit = unit
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(460, 380)

    def _geometry(self) -> tuple[float, float, float]:
        """(label width, top of grid, cell size)."""
        fm = self.fontMetrics()
        label_w = max((fm.horizontalAdvance(n) for n in self.names), default=0) + 14
        head_h = fm.height() + 10
        n = max(1, len(self.names))
        avail_w = self.width() - label_w - 2 * self.MARGIN
        avail_h = self.height() - head_h - self.LEGEND_H - 2 * self.MARGIN
        size = max(24.0, min(avail_w / n, avail_h / n, 110.0))
        return label_w + self.MARGIN, head_h + self.MARGIN, size

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        left, top, size = self._geometry()
        i, j = int((y - top) // size), int((x - left) // size)
        n = len(self.names)
        if x < left or y < top or not (0 <= i < n and 0 <= j < n):
            return None
        return i, j

    def cell_text(self, i: int, j: int) -> str:
        if i == j:
            return f"{self.names[i]}: same annotator"
        value, items = self.cells.get((i, j), (None, 0))
        shown = "undefined" if value is None else f"{value:.3f}"
        return f"{self.names[i]} vs {self.names[j]}: {self.figure_name} {shown} over {items} {self.unit}"

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QHelpEvent.Type.ToolTip:
            cell = self.cell_at(event.position().x(), event.position().y())
            if cell is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.cell_text(*cell), self)
            return True
        return super().event(event)

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text_color = pal.windowText().color()
        left, top, size = self._geometry()
        n = len(self.names)
        if n < 2:
            p.setPen(pal.placeholderText().color())
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Needs two or more annotators")
            return
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.8))
        bold = QFont(self.font())
        bold.setBold(True)
        for idx, name in enumerate(self.names):
            p.setPen(text_color)
            p.setFont(self.font())
            row = QRectF(self.MARGIN, top + idx * size, left - self.MARGIN - 8, size)
            p.drawText(row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            col = QRectF(left + idx * size, self.MARGIN, size, top - self.MARGIN - 4)
            p.drawText(col, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, name)
        for i in range(n):
            for j in range(n):
                rect = QRectF(left + j * size + 2, top + i * size + 2, size - 4, size - 4)
                if i == j:
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(pal.alternateBase())
                    p.drawRoundedRect(rect, 5, 5)
                    continue
                value, items = self.cells.get((i, j), (None, 0))
                fill = QColor("#d9d6cf") if value is None else scale_color(value)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(fill)
                p.drawRoundedRect(rect, 5, 5)
                p.setPen(_text_on(fill))
                p.setFont(bold)
                upper = QRectF(rect.left(), rect.top(), rect.width(), rect.height() * 0.62)
                p.drawText(
                    upper,
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    "—" if value is None else f"{value:.2f}",
                )
                if size >= 44:
                    p.setFont(small)
                    lower = QRectF(
                        rect.left(), upper.bottom(), rect.width(), rect.height() - upper.height()
                    )
                    p.drawText(
                        lower,
                        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                        f"n={items}",
                    )
        self._paint_legend(p, left, top + n * size + 12, min(260.0, n * size))
        p.end()

    def _paint_legend(self, p: QPainter, x: float, y: float, width: float) -> None:
        steps = 40
        for k in range(steps):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(scale_color(k / (steps - 1)))
            p.drawRect(QRectF(x + k * width / steps, y, width / steps + 0.5, 8))
        p.setPen(self.palette().windowText().color())
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.8))
        p.setFont(small)
        box = QRectF(x, y + 10, width, 16)
        p.drawText(box, Qt.AlignmentFlag.AlignLeft, "≤ 0")
        p.drawText(box, Qt.AlignmentFlag.AlignHCenter, "0.5")
        p.drawText(box, Qt.AlignmentFlag.AlignRight, "1")


def nice_max(value: int) -> int:
    """A round axis maximum >= value (1, 2, 5 x 10^k)."""
    if value <= 0:
        return 1
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


class TimeChart(QWidget):
    """Per-annotator series over days: `lines` (e.g. cumulative) or grouped `bars`."""

    def __init__(self, title: str, mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.mode = mode
        self.days: list[date] = []
        self.series: list[tuple[str, list[int]]] = []
        self.setMinimumSize(420, 220)

    def set_data(self, days: list[date], series: list[tuple[str, list[int]]]) -> None:
        self.days = days
        self.series = series
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(640, 260)

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        fm = self.fontMetrics()
        text_color = pal.windowText().color()
        muted = pal.placeholderText().color()
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(text_color)
        p.drawText(QRectF(12, 6, self.width() - 24, fm.height() + 4), self.title)
        p.setFont(self.font())
        top = fm.height() + 40
        if not self.days or not self.series:
            p.setPen(muted)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No activity yet")
            return
        self._paint_legend(p, top - 26)
        peak = nice_max(max((max(v, default=0) for _, v in self.series), default=0))
        left = 14 + fm.horizontalAdvance(str(peak)) + 8
        right, bottom = self.width() - 16, self.height() - fm.height() - 14
        plot = QRectF(left, top, max(10.0, right - left), max(10.0, bottom - top))
        grid = QPen(pal.mid().color())
        grid.setWidthF(0.6)
        ticks = next(t for t in (5, 4, 2, 1) if peak % t == 0)  # whole-number gridlines
        for k in range(ticks + 1):
            y = plot.bottom() - plot.height() * k / ticks
            p.setPen(grid)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(muted)
            label = str(peak * k // ticks)
            p.drawText(QRectF(0, y - 8, left - 6, 16), Qt.AlignmentFlag.AlignRight, label)
        n = len(self.days)
        slot = plot.width() / n
        every = max(1, int((fm.horizontalAdvance("Mar 28") + 12) // slot) + 1)
        for k, day in enumerate(self.days):
            if k % every == 0:
                x = plot.left() + slot * (k + 0.5)
                p.setPen(muted)
                p.drawText(
                    QRectF(x - 40, plot.bottom() + 4, 80, fm.height()),
                    Qt.AlignmentFlag.AlignHCenter,
                    f"{day:%b} {day.day}",
                )
        if self.mode == "bars":
            self._paint_bars(p, plot, slot, peak)
        else:
            self._paint_lines(p, plot, slot, peak)
        p.end()

    def _paint_bars(self, p: QPainter, plot: QRectF, slot: float, peak: int) -> None:
        group = slot * 0.8
        width = group / len(self.series)
        for s, (_, values) in enumerate(self.series):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(series_color(s))
            for k, v in enumerate(values):
                if v:
                    h = plot.height() * v / peak
                    x = plot.left() + slot * k + slot * 0.1 + width * s
                    p.drawRect(QRectF(x, plot.bottom() - h, max(1.0, width - 1), h))

    def _paint_lines(self, p: QPainter, plot: QRectF, slot: float, peak: int) -> None:
        for s, (_, values) in enumerate(self.series):
            pen = QPen(series_color(s))
            pen.setWidthF(2.2)
            path = QPainterPath()
            points = [
                QPointF(plot.left() + slot * (k + 0.5), plot.bottom() - plot.height() * v / peak)
                for k, v in enumerate(values)
            ]
            path.moveTo(points[0])
            for pt in points[1:]:
                path.lineTo(pt)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            p.setBrush(series_color(s))
            for pt in points:
                p.drawEllipse(pt, 2.6, 2.6)

    def _paint_legend(self, p: QPainter, y: float) -> None:
        x = 14.0
        fm = self.fontMetrics()
        for s, (name, _) in enumerate(self.series):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(series_color(s))
            p.drawRoundedRect(QRectF(x, y + 3, 12, 12), 3, 3)
            p.setPen(self.palette().windowText().color())
            p.drawText(QPointF(x + 17, y + 13), name)
            x += 17 + fm.horizontalAdvance(name) + 18
