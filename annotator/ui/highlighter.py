"""Highlights of attribution spans, applied to the blocks about to be shown.

Formats live in each block's QTextLayout. A QSyntaxHighlighter would format every block of the
document when it is set (16,000 Python calls for a 5 MB article); instead the article view asks
this highlighter to format the blocks it is about to paint, and an edit only marks the blocks
it touched as stale. Overlapping spans are split into elementary segments whose format
combines every span covering them, so nested quotes stay visible (tints stack).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QTextBlock, QTextCharFormat, QTextLayout

from annotator.ui.span_index import CONTENT, CUE, MENTION, Piece, SpanIndex

__all__ = ["CONTENT", "CUE", "MENTION", "AttributionHighlighter", "Palette", "Piece", "SpanIndex"]


@dataclass(frozen=True, slots=True)
class Palette:
    content: QColor
    content_selected: QColor
    mention: QColor
    mention_selected: QColor
    cue: QColor
    selected_text: QColor

    @staticmethod
    def light() -> Palette:
        return Palette(
            content=QColor(255, 205, 60, 70),
            content_selected=QColor(255, 150, 30, 150),
            mention=QColor(90, 150, 255, 90),
            mention_selected=QColor(60, 120, 255, 170),
            cue=QColor(0, 128, 110),
            selected_text=QColor(20, 20, 20),
        )

    @staticmethod
    def dark() -> Palette:
        return Palette(
            content=QColor(255, 200, 80, 50),
            content_selected=QColor(255, 150, 40, 120),
            mention=QColor(110, 160, 255, 80),
            mention_selected=QColor(110, 160, 255, 160),
            cue=QColor(80, 220, 190),
            selected_text=QColor(255, 255, 255),
        )


def _stack(color: QColor, depth: int) -> QColor:
    """Each extra covering span deepens the tint, so nesting stays visible."""
    c = QColor(color)
    c.setAlpha(min(255, color.alpha() + (depth - 1) * 55))
    return c


class AttributionHighlighter:
    """Formats content, cue and mention spans block by block; the selected attribution stands out.

    `format_block` is cheap for a block already formatted (a set lookup), so callers may ask for
    every block they are about to paint."""

    def __init__(self, index: SpanIndex) -> None:
        self.index = index
        self.selected: str | None = None
        self.palette = Palette.light()
        self._formats: dict[tuple[int, bool, bool, bool, bool, bool], QTextCharFormat] = {}
        self._done: set[int] = set()  # blocks whose layout carries their current formats
        self._formatted: set[int] = set()  # blocks whose layout carries any format of ours

    def reset(self, index: SpanIndex) -> None:
        """A new text (fresh blocks, no formats) or a new index for the same text."""
        self.index = index
        self._done.clear()

    def set_palette(self, palette: Palette) -> None:
        self.palette = palette
        self._formats.clear()

    def rehighlight(self) -> None:
        """Every block is stale (palette or index changed): each is reformatted when shown."""
        self._done.clear()

    def invalidate(self, blocks: Iterable[int]) -> None:
        self._done.difference_update(blocks)

    def is_current(self, number: int) -> bool:
        return number in self._done

    def _format(
        self, depth: int, sel_content: bool, cue: bool, sel_cue: bool, mention: bool, sel_m: bool
    ) -> QTextCharFormat:
        key = (min(depth, 4), sel_content, cue, sel_cue, mention, sel_m)
        fmt = self._formats.get(key)
        if fmt is not None:
            return fmt
        p = self.palette
        fmt = QTextCharFormat()
        if mention:
            fmt.setBackground(p.mention_selected if sel_m else p.mention)
            fmt.setFontWeight(QFont.Weight.DemiBold)
        elif sel_content:
            fmt.setBackground(p.content_selected)
        elif depth:
            fmt.setBackground(_stack(p.content, depth))
        if cue:
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(p.cue)
            fmt.setForeground(p.cue)
            if sel_cue:
                fmt.setFontWeight(QFont.Weight.Bold)
        if sel_content or sel_cue or sel_m:
            fmt.setForeground(p.cue if cue else p.selected_text)
        self._formats[key] = fmt
        return fmt

    def ranges(self, pieces: list[Piece]) -> list[QTextLayout.FormatRange]:
        """Elementary segments of a block's pieces, each with the format of its covering spans."""
        out: list[QTextLayout.FormatRange] = []
        sel = self.selected
        cuts = sorted({p.start for p in pieces} | {p.end for p in pieces})
        for a, b in zip(cuts, cuts[1:], strict=False):
            depth = 0
            sel_content = cue = sel_cue = mention = sel_m = False
            for p in pieces:
                if p.start <= a and b <= p.end:
                    mine = p.attribution_id == sel
                    if p.role == CONTENT:
                        depth += 1
                        sel_content = sel_content or mine
                    elif p.role == CUE:
                        cue = True
                        sel_cue = sel_cue or mine
                    else:
                        mention = True
                        sel_m = sel_m or mine
            if depth or cue or mention:
                r = QTextLayout.FormatRange()
                r.start, r.length = a, b - a
                r.format = self._format(depth, sel_content, cue, sel_cue, mention, sel_m)
                out.append(r)
        return out

    def format_block(self, block: QTextBlock) -> bool:
        """Give `block` its current formats, unless it has them; True if its layout changed
        (its lines are then laid out again when next measured or painted)."""
        number = block.blockNumber()
        if number in self._done:
            return False
        self._done.add(number)
        pieces = self.index.pieces(number)
        if not pieces and number not in self._formatted:
            return False
        block.layout().setFormats(self.ranges(pieces) if pieces else [])
        if pieces:
            self._formatted.add(number)
        else:
            self._formatted.discard(number)
        return True

    def forget_layouts(self) -> None:
        """The document's blocks were replaced (new text): none carries formats any more."""
        self._done.clear()
        self._formatted.clear()
