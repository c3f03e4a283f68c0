"""Which attribution spans lie in which block (paragraph) of the article, computed on demand.

The article view highlights, and the margin labels, only the blocks on screen, so the index
answers "what is in block b" for those blocks and caches the answer; opening a document costs
one pass that lays the attributions' extents out in order, not a split of every span into
every block (which took ~0.2 s for 20,000 attributions).

Positions: the index takes code points (the stored offsets) and answers in UTF-16 units
relative to the block start (what Qt's text layout counts), through the document's OffsetMap.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate
from typing import NamedTuple

from annotator.model import AttributionRecord
from annotator.services.workspace_queries import QuoteSummary
from annotator.ui.offsets import OffsetMap

CONTENT, CUE, MENTION = 0, 1, 2
_BLOCK_BREAK = re.compile("[\n\u2029]")
# Extents longer than this (a mention far from its quote, a whole-article quote) are kept apart
# and tested for every block; the others are found by a walk bounded by this length.
LONG_EXTENT = 4096
_NONE = -1


class Piece(NamedTuple):
    """One span clipped to one block, in UTF-16 units relative to the block start."""

    start: int
    end: int
    role: int
    attribution_id: str


def block_starts(text: str) -> list[int]:
    """Code-point offset of each block: Qt starts a block after each \\n and U+2029."""
    if "\u2029" in text:
        return [0] + [m.end() for m in _BLOCK_BREAK.finditer(text)]
    return [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]


def _extent(q: QuoteSummary) -> tuple[int, int]:
    """The smallest range holding every span of `q`."""
    lo, hi = q.content[0][0], max(e for _, e in q.content)
    if q.cue_start is not None and q.cue_end is not None:
        lo, hi = min(lo, q.cue_start), max(hi, q.cue_end)
    if q.mention_start is not None and q.mention_end is not None:
        lo, hi = min(lo, q.mention_start), max(hi, q.mention_end)
    return lo, hi


class SpanIndex:
    """The attributions of one text, answering per block; updated one attribution at a time."""

    def __init__(self, text: str, offsets: OffsetMap, long_extent: int = LONG_EXTENT) -> None:
        self.offsets = offsets
        self.long_extent = long_extent
        self.block_starts: list[int] = block_starts(text)
        self._text_len = len(text)
        self.quotes: dict[str, QuoteSummary] = {}
        # Extents of the attributions that are not long, sorted by low end, and the running
        # maximum of their high ends: a block's candidates are a short walk back from its end.
        self._lows: list[int] = []
        self._highs: list[int] = []
        self._ids: list[str] = []
        self._reach: list[int] = []
        self._long: dict[str, tuple[int, int]] = {}
        self._cache: dict[int, tuple[list[Piece], list[tuple[int, str]]]] = {}

    # --- blocks -------------------------------------------------------------------------------
    def block_of(self, cp: int) -> int:
        return bisect_right(self.block_starts, cp) - 1

    def block_range_cp(self, block: int) -> tuple[int, int]:
        start = self.block_starts[block]
        end = (
            self.block_starts[block + 1] - 1
            if block + 1 < len(self.block_starts)
            else self._text_len
        )
        return start, end

    # --- building and updating ---------------------------------------------------------------
    def add_all(self, records: Iterable[AttributionRecord | QuoteSummary]) -> None:
        """Index many attributions at once (opening a document)."""
        entries = list(zip(self._lows, self._highs, self._ids, strict=True))
        for r in records:
            q = _summary(r)
            self.quotes[q.id] = q
            lo, hi = _extent(q)
            if hi - lo > self.long_extent:
                self._long[q.id] = (lo, hi)
            else:
                entries.append((lo, hi, q.id))
        entries.sort()  # nearly sorted already (records come in reading order): fast
        self._lows = [e[0] for e in entries]
        self._highs = [e[1] for e in entries]
        self._ids = [e[2] for e in entries]
        self._reach = list(accumulate(self._highs, max))
        self._cache.clear()

    def add(self, record: AttributionRecord | QuoteSummary) -> list[int]:
        """Index one attribution (replacing any with its id); returns the blocks it covers."""
        q = _summary(record)
        touched = self.remove(q.id)
        self.quotes[q.id] = q
        lo, hi = _extent(q)
        if hi - lo > self.long_extent:
            self._long[q.id] = (lo, hi)
        else:
            i = bisect_right(self._lows, lo)
            self._lows.insert(i, lo)
            self._highs.insert(i, hi)
            self._ids.insert(i, q.id)
            # the running maximum rises to `hi` where it was lower: a short stretch, not the tail
            reach = self._reach
            reach.insert(i, max(reach[i - 1], hi) if i else hi)
            j = i + 1
            while j < len(reach) and reach[j] < hi:
                reach[j] = hi
                j += 1
        blocks = self.blocks_of(q.id)
        self._forget(blocks)
        return sorted(set(touched) | set(blocks))

    def remove(self, attribution_id: str) -> list[int]:
        """Forget one attribution; returns the blocks it covered."""
        q = self.quotes.get(attribution_id)
        if q is None:
            return []
        blocks = self.blocks_of(attribution_id)
        del self.quotes[attribution_id]
        if self._long.pop(attribution_id, None) is None:
            lo = _extent(q)[0]
            i = bisect_left(self._lows, lo)
            while self._ids[i] != attribution_id:
                i += 1
            del self._lows[i], self._highs[i], self._ids[i], self._reach[i]
            # recomputed until it meets its old value again: from there on it is unchanged
            reach, highs = self._reach, self._highs
            prev = reach[i - 1] if i else -1
            for j in range(i, len(reach)):
                new = max(prev, highs[j])
                if new == reach[j]:
                    break
                reach[j] = prev = new
        self._forget(blocks)
        return blocks

    def _forget(self, blocks: Iterable[int]) -> None:
        for b in blocks:
            self._cache.pop(b, None)

    # --- questions ----------------------------------------------------------------------------
    def blocks_of(self, attribution_id: str) -> list[int]:
        """The blocks an attribution's spans cover, and the block where its content starts."""
        q = self.quotes.get(attribution_id)
        if q is None:
            return []
        starts = self.block_starts
        blocks = {bisect_right(starts, q.content[0][0]) - 1}
        for s, e, _role in q.spans():
            first = bisect_right(starts, s) - 1
            last = bisect_right(starts, max(s, e - 1)) - 1
            blocks.update(range(first, last + 1))
        return sorted(blocks)

    def pieces(self, block: int) -> list[Piece]:
        """Every span clipped to `block` (UTF-16, relative to the block's start)."""
        return self._block(block)[0]

    def starts_in(self, block: int) -> list[tuple[int, str]]:
        """(UTF-16 offset in the block, id) of the attributions whose content starts there."""
        return self._block(block)[1]

    def at(self, block: int, u16_in_block: int) -> list[Piece]:
        """Pieces covering a position (innermost first)."""
        hits = [p for p in self.pieces(block) if p.start <= u16_in_block < p.end]
        return sorted(hits, key=lambda p: (p.end - p.start, p.role, p.attribution_id))

    def _candidates(self, bs: int, be: int) -> list[str]:
        """Ids whose extent may meet [bs, be] (the end included: a content start there counts)."""
        out = [i for i, (lo, hi) in self._long.items() if lo <= be and hi > bs]
        reach, ids = self._reach, self._ids
        i = bisect_right(self._lows, be) - 1
        while i >= 0 and reach[i] > bs:
            if self._highs[i] > bs:
                out.append(ids[i])
            i -= 1
        return out

    def _block(self, block: int) -> tuple[list[Piece], list[tuple[int, str]]]:
        cached = self._cache.get(block)
        if cached is not None:
            return cached
        if not 0 <= block < len(self.block_starts):
            return [], []
        bs, be = self.block_range_cp(block)
        to16 = None if self.offsets.identity else self.offsets.to_utf16
        base = to16(bs) if to16 else bs
        pieces: list[Piece] = []
        starts: list[tuple[int, str]] = []
        for att_id in self._candidates(bs, be):
            q = self.quotes[att_id]
            for s, e, role in q.spans():
                s, e = max(s, bs), min(e, be)
                if s < e:
                    if to16 is None:
                        pieces.append(Piece(s - bs, e - bs, role, att_id))
                    else:
                        pieces.append(Piece(to16(s) - base, to16(e) - base, role, att_id))
            first = q.content[0][0]
            if bs <= first and self.block_of(first) == block:
                starts.append(((to16(first) if to16 else first) - base, att_id))
        starts.sort()
        self._cache[block] = (pieces, starts)
        return pieces, starts


def _summary(record: AttributionRecord | QuoteSummary) -> QuoteSummary:
    return record if isinstance(record, QuoteSummary) else QuoteSummary.of(record)
