"""The read-only article view: comfortable typography, highlights, margin, tooltips, clicks.

A QPlainTextEdit (its layout is lazy and fast on 1 MB texts) holding exactly the stored text,
so document positions are UTF-16 offsets into it; all conversion goes through OffsetMap.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QToolTip, QWidget

from annotator.model import AttributionRecord
from annotator.services.workspace_queries import QuoteSummary
from annotator.spans import next_word_end, snap_span
from annotator.ui.highlighter import AttributionHighlighter, Palette
from annotator.ui.margin import Describe, Margin
from annotator.ui.offsets import OffsetMap
from annotator.ui.span_index import SpanIndex

MAX_TEXT_WIDTH_CHARS = 78  # a comfortable measure for reading


def first_strong_is_rtl(paragraph: str) -> bool:
    """Bidi rule P2: the paragraph direction is that of its first strong character."""
    for ch in paragraph:
        bidi = unicodedata.bidirectional(ch)
        if bidi == "L":
            return False
        if bidi in ("R", "AL"):
            return True
    return False


class ArticleView(QPlainTextEdit):
    attribution_clicked = Signal(str)

    def __init__(self, describe: Describe, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.document().setDocumentMargin(18)
        font = QFont()
        font.setFamilies(["Noto Serif", "Source Serif 4", "Georgia", "DejaVu Serif", "serif"])
        font.setPointSize(12)
        self.setFont(font)
        self.text = ""
        self.offsets = OffsetMap("")
        self.index: SpanIndex = SpanIndex("", self.offsets)
        self.highlighter = AttributionHighlighter(self.index)
        self.describe = describe
        self.margin = Margin(self, describe)
        # the space left of the centred text column is paper too, not window chrome
        self.left_pad = QWidget(self)
        self.left_pad.setAutoFillBackground(True)
        self.left_pad.setBackgroundRole(QPalette.ColorRole.Base)
        self.menu_actions: list[QAction | None] = []
        self.updateRequest.connect(self._on_update_request)

    # --- content ----------------------------------------------------------------------------
    def set_article(self, text: str, records: list[AttributionRecord] | list[QuoteSummary]) -> None:
        """Show `text` with the highlights of `records` (formatted as blocks come into view)."""
        self.text = text
        self.offsets = OffsetMap(text)
        index = SpanIndex(text, self.offsets)
        index.add_all(records)
        self.index = index
        self.highlighter.reset(index)
        self.highlighter.forget_layouts()
        self.highlighter.selected = None
        self.margin.selected = None
        self.setPlainText(text)
        self._apply_rtl(index)
        self.margin.update()

    def reset_records(self, records: list[AttributionRecord] | list[QuoteSummary]) -> None:
        """New highlights for the same text, keeping the reader's place."""
        index = SpanIndex(self.text, self.offsets)
        index.add_all(records)
        self.index = index
        self.highlighter.reset(index)
        self.viewport().update()
        self.margin.update()

    # --- highlighting the blocks on screen ---------------------------------------------------
    def format_visible(self) -> bool:
        """Format the blocks on screen that lack their current highlights (before they are
        painted or measured); True if any layout changed."""
        changed = False
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        bottom = self.viewport().height()
        highlighter = self.highlighter
        while block.isValid():
            if not highlighter.is_current(block.blockNumber()):
                changed = highlighter.format_block(block) or changed
            if self.blockBoundingGeometry(block).translated(offset).bottom() >= bottom:
                break
            block = block.next()
        return changed

    def _visible_blocks(self) -> range:
        """Numbers of the blocks on screen now (as laid out)."""
        first = self.firstVisibleBlock()
        if not first.isValid():
            return range(0)
        offset, bottom = self.contentOffset(), self.viewport().height()
        block = first
        while block.next().isValid():
            if self.blockBoundingGeometry(block).translated(offset).bottom() >= bottom:
                break
            block = block.next()
        return range(first.blockNumber(), block.blockNumber() + 1)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self.format_visible():
            self.margin.update()  # bold mentions may have moved lines the margin measured
        super().paintEvent(event)

    def _apply_rtl(self, index: SpanIndex) -> None:
        """Right-to-left paragraphs are laid out and aligned right-to-left.

        QPlainTextEdit lays out every block with the document's one QTextOption and ignores
        block alignment; but with AlignJustify Qt aligns the last line of a right-to-left
        paragraph to the right (and of a left-to-right one to the left). So documents with RTL
        paragraphs are shown justified; others stay ragged-right, which reads better on screen.
        """
        doc = self.document()
        option = doc.defaultTextOption()
        option.setAlignment(Qt.AlignmentFlag.AlignLeft)
        any_rtl = False
        for number, start in enumerate(index.block_starts):
            end = index.block_range_cp(number)[1]
            if start == end or not first_strong_is_rtl(self.text[start:end]):
                continue
            block = doc.findBlockByNumber(number)
            fmt = QTextBlockFormat(block.blockFormat())
            fmt.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
            fmt.setAlignment(Qt.AlignmentFlag.AlignRight)
            QTextCursor(block).setBlockFormat(fmt)
            any_rtl = True
        if any_rtl:
            option.setAlignment(Qt.AlignmentFlag.AlignJustify)
        doc.setDefaultTextOption(option)

    def add_record(self, rec: AttributionRecord | QuoteSummary) -> None:
        self._rehighlight(self.index.add(rec))

    def remove_record(self, attribution_id: str) -> None:
        self._rehighlight(self.index.remove(attribution_id))

    def _rehighlight(self, blocks: list[int]) -> None:
        """The highlights of `blocks` changed: those on screen are formatted and repainted now,
        the others when they come into view."""
        if not blocks:
            return
        self.highlighter.invalidate(blocks)
        shown = self._visible_blocks()
        on_screen = [b for b in blocks if b in shown]
        doc = self.document()
        for b in on_screen:
            self.highlighter.format_block(doc.findBlockByNumber(b))
        if on_screen:
            self.viewport().update()
        self._update_margin_below(blocks)

    def _update_margin_below(self, blocks: list[int]) -> None:
        """Repaint the margin from the first touched block down (labels below may shift)."""
        if not blocks:
            return
        block = self.document().findBlockByNumber(min(blocks))
        top = int(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        if top < self.margin.height():
            top = max(0, top)
            self.margin.update(QRect(0, top, self.margin.width(), self.margin.height() - top))

    def set_selected(self, attribution_id: str | None) -> None:
        old = self.highlighter.selected
        self.highlighter.selected = attribution_id
        self.margin.selected = attribution_id
        touched = self.index.blocks_of(old or "") + self.index.blocks_of(attribution_id or "")
        self._rehighlight(touched)

    def set_palette(self, palette: Palette, dark: bool) -> None:
        self.highlighter.set_palette(palette)
        self.margin.dark = dark
        self.highlighter.rehighlight()
        self.viewport().update()
        self.margin.update()

    # --- selection, in code points ------------------------------------------------------------
    def selected_span(self) -> tuple[int, int] | None:
        """The selection as code points, snapped to words and trimmed; None if empty."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        s, e = self.offsets.span_to_cp(cursor.selectionStart(), cursor.selectionEnd())
        return snap_span(self.text, s, e)

    def select_cp(self, start: int, end: int) -> None:
        """Select code points [start, end) (tests and snapping use this)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(start))
        cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def scroll_to_cp(self, cp: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_utf16(min(cp, len(self.text))))
        self.setTextCursor(cursor)
        self.centerCursor()

    def attributions_at(self, u16: int) -> list[str]:
        block = self.document().findBlock(u16)
        pieces = self.index.at(block.blockNumber(), u16 - block.position())
        seen: list[str] = []
        for p in pieces:
            if p.attribution_id not in seen:
                seen.append(p.attribution_id)
        return seen

    # --- events ---------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.SelectNextWord):
            cursor = self.textCursor()
            end = next_word_end(self.text, self.offsets.to_cp(cursor.position()))
            cursor.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        cursor = self.textCursor()
        if cursor.hasSelection():
            snapped = self.selected_span()
            if snapped is not None:
                self.select_cp(*snapped)
            return
        hits = self.attributions_at(self.cursorForPosition(event.position().toPoint()).position())
        if hits:
            current = self.highlighter.selected
            # a second click on nested highlights walks outwards through them
            pick = hits[(hits.index(current) + 1) % len(hits)] if current in hits else hits[0]
            self.attribution_clicked.emit(pick)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hits = self.attributions_at(self.cursorForPosition(event.pos()).position())
            if hits:
                lines = []
                for att_id in hits:
                    speaker, polarity, target = self.describe(att_id)
                    stance = f"{polarity or 'no stance'}" + (f" — {target}" if target else "")
                    lines.append(f"<b>{_esc(speaker or '(no speaker)')}</b>: {_esc(stance)}")
                QToolTip.showText(event.globalPos(), "<br>".join(lines), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu = QMenu(self)
        for action in self.menu_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(event.globalPos())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._layout_margins()

    def _layout_margins(self) -> None:
        if not hasattr(self, "margin"):
            return  # during construction
        cr = self.contentsRect()
        measure = self.fontMetrics().horizontalAdvance("n") * MAX_TEXT_WIDTH_CHARS + 40
        # the margin gives way to the text when space is short
        if cr.width() >= 660:
            margin_w = Margin.WIDTH
        elif cr.width() >= 480:
            margin_w = 180
        else:
            margin_w = 0
        self.margin.setVisible(margin_w > 0)
        left = max(0, (cr.width() - margin_w - measure) // 2)
        before = self.viewportMargins()
        self.setViewportMargins(left, 0, margin_w, 0)
        if self.viewportMargins() != before:
            # QPlainTextEdit re-wraps its text on its own resize only, not on the viewport's:
            # without this the lines keep the old width, under the margin (seen at relaunch).
            QPlainTextEdit.resizeEvent(self, QResizeEvent(self.size(), QSize()))
        self.left_pad.setGeometry(QRect(cr.left(), cr.top(), left, cr.height()))
        self.margin.setGeometry(QRect(cr.right() - margin_w + 1, cr.top(), margin_w, cr.height()))

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        # scrolling moves the margin's pixels along; other updates repaint the same band
        if dy:
            self.margin.scroll(0, dy)
        else:
            self.margin.update(QRect(0, rect.top(), self.margin.width(), rect.height()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._layout_margins()


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


DescribeFn = Callable[[str], tuple[str, str | None, str]]
