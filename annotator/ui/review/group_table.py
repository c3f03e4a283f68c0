"""The side-by-side table: one row per aligned quote, a column per analyst, then the gold.

Cells are small HTML documents painted by `HtmlDelegate`; a field that differs between the
analysts' versions is drawn on an amber background so a lead sees disagreements at a glance.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QKeyEvent, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from annotator.model import AttributionRecord, ReviewState, Span
from annotator.team.review_models import ComparisonGroup, DocumentComparison
from annotator.ui.review.colors import annotator_color, colors, rgba

HtmlRole = Qt.ItemDataRole.UserRole + 1
BackgroundRole = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex

_STATE_BADGE = {
    ReviewState.ACCEPTED: ("accepted", "good"),
    ReviewState.REJECTED: ("rejected", "bad"),
    ReviewState.SUBMITTED: ("", ""),
    ReviewState.DRAFT: ("draft", "muted"),
}


class GroupTableModel(QAbstractTableModel):
    """Column 0: the quote's status; 1..n: the analysts (key n accepts column n); last: gold."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.comparison: DocumentComparison | None = None

    def set_comparison(self, comparison: DocumentComparison | None) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self.endResetModel()

    # --- shape -------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.comparison is None else len(self.comparison.groups)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or self.comparison is None:
            return 0
        return len(self.comparison.annotators) + 2

    @property
    def gold_column(self) -> int:
        return self.columnCount() - 1

    def annotator_at(self, column: int) -> str | None:
        if self.comparison is None or not 1 <= column <= len(self.comparison.annotators):
            return None
        return self.comparison.annotators[column - 1].id

    def group(self, row: int) -> ComparisonGroup | None:
        if self.comparison is None or not 0 <= row < len(self.comparison.groups):
            return None
        return self.comparison.groups[row]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or self.comparison is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Quote"
            if section == self.gold_column:
                return "Gold"
            return f"{section} · {self.comparison.annotators[section - 1].name}"
        if role == Qt.ItemDataRole.ForegroundRole and section > 0:
            gold = section == self.gold_column
            return QColor(colors()["good"] if gold else annotator_color(section - 1))
        return None

    # --- cells -------------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        group = self.group(index.row())
        if group is None or self.comparison is None:
            return None
        col = index.column()
        if role == HtmlRole:
            if col == 0:
                return self._status_html(group)
            if col == self.gold_column:
                return self._gold_html(group)
            return self._member_html(group, self.annotator_at(col) or "")
        if role == Qt.ItemDataRole.DisplayRole:  # plain text: accessibility, copy, tests
            return _plain(self.data(index, HtmlRole))
        if role == BackgroundRole:
            if col == self.gold_column:
                return QColor(colors()["gold_bg"])
            if 0 < col < self.gold_column and self.annotator_at(col) not in group.members:
                return QColor(colors()["missing_bg"])
        return None

    def _status_html(self, g: ComparisonGroup) -> str:
        c = colors()
        parts = [f"<b style='font-size:13pt'>{g.index + 1}</b><br>"]
        if g.agreed:
            parts.append(f"<span style='color:{c['good']}'>✓ agreed</span>")
        else:
            fields = sorted(g.differences)
            if g.missing:
                fields.insert(0, "missing")
            parts.append(
                f"<span style='color:{c['warn']}'>≠ {len(fields)}</span><br>"
                f"<span style='color:{c['label']};font-size:8pt'>"
                f"{html.escape(', '.join(fields))}</span>"
            )
        if g.gold is not None:
            parts.append(f"<br><span style='color:{c['good']}'>★ gold</span>")
        return "".join(parts)

    def _gold_html(self, g: ComparisonGroup) -> str:
        if g.gold is None:
            return f"<span style='color:{colors()['muted']}'><i>no gold yet</i></span>"
        return self._record_html(g.gold, g, mark=False)

    def _member_html(self, g: ComparisonGroup, annotator_id: str) -> str:
        record = g.members.get(annotator_id)
        if record is None:
            return f"<span style='color:{colors()['bad']}'><i>— not marked —</i></span>"
        return self._record_html(record, g, mark=True)

    def _record_html(self, r: AttributionRecord, g: ComparisonGroup, *, mark: bool) -> str:
        assert self.comparison is not None
        cmp, c = self.comparison, colors()
        text = cmp.text

        def field(name: str, label: str, value: str) -> str:
            body = html.escape(value) if value else f"<span style='color:{c['muted']}'>—</span>"
            label_html = f"<span style='color:{c['label']}'>{label}</span>&nbsp;"
            if mark and g.differs(name):
                return f"<span style='background:{c['diff']}'>&nbsp;{label_html}<b>{body}</b>&nbsp;</span>"
            return label_html + body

        def span_text(span: Span | None) -> str:
            return "" if span is None else f"{text[span.start : span.end]}"

        quote = r.content_text(text)
        if len(quote) > 220:
            quote = quote[:105] + " … " + quote[-105:]
        where = ", ".join(f"{s.start}–{s.end}" for s in r.content)
        quote_html = (
            f"“{html.escape(quote)}” <span style='color:{c['muted']};font-size:8pt'>{where}</span>"
        )
        if mark and g.differs("content"):
            quote_html = f"<span style='background:{c['diff']}'>{quote_html}</span>"
        speaker = cmp.actor_names.get(r.speaker_id or "", "")
        via = cmp.actor_names.get(r.via_id or "", "")
        lines = [
            quote_html,
            field("speaker", "speaker", speaker)
            + " &nbsp; "
            + field("mention", "as", span_text(r.mention))
            + (" &nbsp; " + field("via", "via", via) if via or g.differs("via") else ""),
            field("cue", "cue", span_text(r.cue)) + " &nbsp; " + field("kind", "kind", str(r.kind)),
            field("target", "target", cmp.target_names.get(r.target_id or "", ""))
            + " &nbsp; "
            + field("polarity", "polarity", str(r.polarity or "")),
        ]
        if r.proposition or (mark and g.differs("proposition")):
            lines.append(field("proposition", "gist", r.proposition))
        badge, tone = _STATE_BADGE[r.review_state] if mark else ("", "")
        if badge:
            color = c[tone]
            comment = f": {html.escape(r.review_comment)}" if r.review_comment else ""
            lines.append(f"<span style='color:{color}'><b>{badge}</b>{comment}</span>")
        return "<br>".join(lines)


def _plain(markup: object) -> str:
    doc = QTextDocument()
    doc.setHtml(str(markup or ""))
    return doc.toPlainText()


class HtmlDelegate(QStyledItemDelegate):
    """Paints a cell's HtmlRole markup; the row height follows the wrapped text."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view

    def _document(self, index: Index, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(self.view.font())
        doc.setDocumentMargin(6)
        doc.setHtml(str(index.data(HtmlRole) or ""))
        doc.setTextWidth(max(width, 60))
        return doc

    def paint(self, painter, option: QStyleOptionViewItem, index: Index) -> None:  # type: ignore[no-untyped-def]
        painter.save()
        rect = option.rect
        background = index.data(BackgroundRole)
        current = self.view.currentIndex()
        # Paint over the style's selected-row panel: selection is a thin frame, text stays legible.
        painter.fillRect(rect, option.palette.color(QPalette.ColorRole.Base))
        if background is not None:
            painter.fillRect(rect, background)
        if current.isValid() and current.row() == index.row():
            painter.fillRect(rect, QColor(*rgba(colors()["band"])))  # the current quote
        if option.state & QStyle.StateFlag.State_Selected and index.column() > 0:
            painter.setPen(QColor(colors()["frame"]))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        doc = self._document(index, rect.width())
        painter.translate(rect.topLeft())
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, option.palette.color(QPalette.ColorRole.Text))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        doc = self._document(index, self.view.columnWidth(index.column()))
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2)


class GroupTable(QTableView):
    """The table; decision keys go to `key_handler` (returns True when it used the key)."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.key_handler: Callable[[QKeyEvent], bool] | None = None
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.setItemDelegate(HtmlDelegate(self))
        self.setWordWrap(True)
        self.setShowGrid(True)
        self.setAlternatingRowColors(False)
        self.verticalHeader().setVisible(False)
        self.setVerticalScrollMode(QTableView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().setHighlightSections(False)
        # Row heights depend on column widths: recompute once after a burst of resizes.
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(self.relayout)
        self.horizontalHeader().sectionResized.connect(lambda *_: self._relayout.start())

    def relayout(self) -> None:
        """Fit row heights to the wrapped cells and keep the current quote in view."""
        self.resizeRowsToContents()
        if self.currentIndex().isValid():
            self.scrollTo(self.currentIndex())

    def schedule_relayout(self) -> None:
        self._relayout.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.key_handler is not None and self.key_handler(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def currentChanged(self, current: Index, previous: Index) -> None:  # noqa: N802
        super().currentChanged(current, previous)
        self.viewport().update()  # repaint the current-row band
