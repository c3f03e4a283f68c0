"""The one place converting code-point offsets (stored) <-> UTF-16 code units (Qt).

Stored offsets count Unicode code points; QTextDocument positions count UTF-16 code units, where
each astral character (emoji, U+1D400...) takes two. Texts without astral characters (nearly all
news) map one to one at no cost; otherwise a sorted table of astral positions is built once and
each conversion is a binary search (fast for 1 MB texts).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _has_astral(text: str) -> bool:
    """Whether `text` holds a character outside the BMP (which UTF-16 stores as two units)."""
    if text.isascii():  # O(1): CPython knows it
        return False
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


class OffsetMap:
    """Converts offsets of one text. Build once per document, reuse for every span."""

    __slots__ = ("_astral", "_astral_u16", "length", "utf16_length")

    def __init__(self, text: str) -> None:
        # Positions (code points) of astral characters, and the same in UTF-16 units. Most
        # texts have none, which is cheaper to learn than to search for (5 MB: 1 ms, not 20).
        self._astral: list[int] = (
            [m.start() for m in _ASTRAL.finditer(text)] if _has_astral(text) else []
        )
        self._astral_u16: list[int] = [p + k for k, p in enumerate(self._astral)]
        self.length = len(text)
        self.utf16_length = len(text) + len(self._astral)

    @property
    def identity(self) -> bool:
        return not self._astral

    def to_utf16(self, cp: int) -> int:
        """UTF-16 position of code-point offset `cp` (0 <= cp <= len(text))."""
        if not self._astral:
            return cp
        return cp + bisect_left(self._astral, cp)

    def to_cp(self, u16: int) -> int:
        """Code-point offset of UTF-16 position `u16`.

        A position inside a surrogate pair (which Qt can report) snaps back to the start of
        that character, so a span never cuts an emoji in half.
        """
        if not self._astral:
            return u16
        # astral characters starting strictly before u16
        k = bisect_left(self._astral_u16, u16)
        if k and self._astral_u16[k - 1] + 1 == u16:
            return self._astral[k - 1]
        return u16 - k

    def span_to_utf16(self, start: int, end: int) -> tuple[int, int]:
        return self.to_utf16(start), self.to_utf16(end)

    def span_to_cp(self, start: int, end: int) -> tuple[int, int]:
        """Map a UTF-16 range; an end inside a surrogate pair extends to include the character."""
        s = self.to_cp(start)
        e = self.to_cp(end)
        if self._astral and self.to_utf16(e) < end:
            e += 1
        return s, e

    def many_to_utf16(self, offsets: Sequence[int]) -> list[int]:
        if not self._astral:
            return list(offsets)
        return [self.to_utf16(o) for o in offsets]
