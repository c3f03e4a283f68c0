"""The document pane of the review window: the text with the current quote marked.

All quotes are shaded faintly; the current quote is strong where every analyst marked it and
pale where only some did (so boundary disagreements show as fringes); its cue and speaker
mention are bold; its gold is underlined in green. Offsets go through ui.offsets (UTF-16).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from annotator.model import AttributionRecord, Span
from annotator.team.review_models import ComparisonGroup, DocumentComparison
from annotator.ui.offsets import OffsetMap
from annotator.ui.review.colors import annotator_color, colors

FAINT = QColor(128, 128, 128, 34)
SHARED = QColor(255, 202, 40, 150)
PARTIAL = QColor(255, 202, 40, 55)


def _background(color: QColor) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(color)
    return fmt


def coverage_runs(records: Iterable[AttributionRecord]) -> list[tuple[int, int, int]]:
    """Maximal runs [start, end) of code points covered by the same number of records."""
    coverage: dict[int, int] = {}
    for record in records:
        for span in record.content:
            for cp in range(span.start, span.end):
                coverage[cp] = coverage.get(cp, 0) + 1
    out: list[tuple[int, int, int]] = []
    for cp in sorted(coverage):
        count = coverage[cp]
        if out and out[-1][1] == cp and out[-1][2] == count:
            out[-1] = (out[-1][0], cp + 1, count)
        else:
            out.append((cp, cp + 1, count))
    return out


class QuoteText(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFont(QFont(self.font().family(), 11))
        self.setStyleSheet("QPlainTextEdit { padding: 8px; }")
        self.document_id: str | None = None
        self.offsets: OffsetMap | None = None

    def show_comparison(self, cmp: DocumentComparison, group: ComparisonGroup | None) -> None:
        if cmp.document_id != self.document_id or self.offsets is None:
            self.setPlainText(cmp.text)
            self.document_id = cmp.document_id
            self.offsets = OffsetMap(cmp.text)
        every = [r for g in cmp.groups for r in g.members.values()]
        extra = self._spans([s for r in every for s in r.content], _background(FAINT))
        if group is not None:
            members = list(group.members.values())
            for start, end, count in coverage_runs(members):
                color = SHARED if count == len(members) else PARTIAL
                extra += self._spans([Span(start, end)], _background(color))
            bold = QTextCharFormat()
            bold.setFontWeight(QFont.Weight.Bold)
            bold.setForeground(QColor(annotator_color(0)))
            marks = {s for r in members for s in (r.cue, r.mention) if s is not None}
            extra += self._spans(sorted(marks), bold)
            if group.gold is not None:
                gold = QTextCharFormat()
                gold.setFontUnderline(True)
                gold.setUnderlineColor(QColor(colors()["good"]))
                extra += self._spans(list(group.gold.content), gold)
            cursor = self.textCursor()
            cursor.setPosition(self.offsets.to_utf16(group.start))
            self.setTextCursor(cursor)
            self.centerCursor()
        self.setExtraSelections(extra)

    def _spans(self, spans: list[Span], fmt: QTextCharFormat) -> list[QTextEdit.ExtraSelection]:
        assert self.offsets is not None
        out = []
        for span in spans:
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            start, end = self.offsets.span_to_utf16(span.start, span.end)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor, sel.format = cursor, fmt
            out.append(sel)
        return out

    def selected_span(self) -> Span | None:
        """The selection in code points (None when nothing is selected)."""
        cursor = self.textCursor()
        if not cursor.hasSelection() or self.offsets is None:
            return None
        start, end = self.offsets.span_to_cp(cursor.selectionStart(), cursor.selectionEnd())
        return Span(start, end) if end > start else None
