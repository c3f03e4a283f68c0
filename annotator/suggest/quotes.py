"""Quotation marks of many scripts, paired with nesting, without mistaking apostrophes.

One left-to-right pass over the text pairs opening and closing marks on a stack, the way
CommonMark pairs emphasis: a mark can open when it is followed by text and preceded by space or
an opening punctuation mark, and can close when it follows text. Which marks pair is a table
(`PAIRS`) covering English “…” ‘…’, German and Polish „…“ „…” ‚…‘, French and Russian « … »,
Danish » … «, Swedish ”…”, CJK 「…」 『…』, straight "…" and '…', and the typewriter ''…'' and
``…'' of wire copy. Inside a double quote a single quote nests (‘…’), and the other way round.

An apostrophe is not a quote: ’ or ' between two letters (don’t, Iran’s) is skipped, so is one
before digits (’90s); a ’ after a word (voters’) closes only an open ‘.

A quote left open at the end of a paragraph is "continued" when the next paragraph opens a quote
of the same class (the English convention for multi-paragraph quotations: no closing mark until
the last paragraph); otherwise it ends with its paragraph and is marked unclosed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

DOUBLE, SINGLE = "double", "single"

# opening mark -> the marks that may close it
PAIRS: dict[str, str] = {
    '"': '"',
    "''": "''",
    "``": "''",
    "\u201c": "\u201d\u201c",  # “…” (English), “…“ (rare)
    "\u201e": "\u201c\u201d",  # „…“ (German, Czech), „…” (Polish, Hungarian, Romanian)
    "\u201f": "\u201d",
    "\u201d": "\u201d",  # ”…” (Swedish, Finnish)
    "\u00ab": "\u00bb",  # « … » (French, Russian, Spanish, Italian...)
    "\u00bb": "\u00ab",  # » … « (Danish, German books)
    "\u2039": "\u203a",
    "\u203a": "\u2039",
    "\u300c": "\u300d",  # 「…」 (Japanese, Chinese)
    "\u300e": "\u300f",  # 『…』
    "\ufe41": "\ufe42",
    "\ufe43": "\ufe44",
    "\u301d": "\u301e\u301f",
    "\u2018": "\u2019\u2018",  # ‘…’ (English), ‚…‘ below
    "\u201a": "\u2018\u2019",  # ‚…‘ (German), ‚…’ (Polish)
    "\u201b": "\u2019",
    "'": "'",
    "\u2019": "\u2019",  # ’…’ (Swedish)
}
CLASS: dict[str, str] = {}
for _m in ('"', "''", "``", "\u201c", "\u201d", "\u201e", "\u201f", "\u00ab", "\u00bb"):
    CLASS[_m] = DOUBLE
for _m in ("\u300c", "\u300d", "\u300e", "\u300f", "\ufe41", "\ufe42", "\ufe43", "\ufe44"):
    CLASS[_m] = DOUBLE
for _m in ("\u301d", "\u301e", "\u301f"):
    CLASS[_m] = DOUBLE
for _m in ("\u2018", "\u2019", "\u201a", "\u201b", "'", "\u2039", "\u203a"):
    CLASS[_m] = SINGLE

# Sloppy copy mixes straight and curly double quotes (“…" or "…”): they close each other.
_LATIN_DOUBLE = {'"', "\u201c", "\u201d", "\u201e", "\u201f", "''", "``"}
_LATIN_DOUBLE_CLOSERS = {'"', "\u201d", "\u201c", "''"}

# Marks whose direction never depends on their neighbours (spacing inside « … » is usual).
_ALWAYS_OPEN = set("\u201e\u201a\u300c\u300e\ufe41\ufe43\u301d\u201f\u201b") | {"``"}
_ALWAYS_CLOSE = set("\u300d\u300f\ufe42\ufe44\u301e\u301f")
_GUILLEMETS = set("\u00ab\u00bb\u2039\u203a")

MARK_CHARS = "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a" + (
    "\u300c\u300d\u300e\u300f\ufe41\ufe42\ufe43\ufe44\u301d\u301e\u301f"
)
_MARK = re.compile(
    r"''|``|\u2018\u2018|\u2019\u2019|[" + re.escape(MARK_CHARS.replace("`", "")) + "]"
)
_AS_DOUBLE = {"\u2018\u2018": "\u201c", "\u2019\u2019": "\u201d"}
# What may stand before an opening mark besides space: opening brackets, dashes, slashes.
_BEFORE_OPEN = set("([{\u2014\u2013-/:;") | set(MARK_CHARS)


@dataclass(frozen=True, slots=True)
class QuoteRegion:
    """A quotation: marks at [start, inner_start) and [inner_end, end).

    `closed` is false for a quote that runs to the end of its paragraph without a closing mark;
    `continued` says the quotation goes on in the next paragraph (its next region). `depth` is 0
    for a top-level quote, 1 for one nested inside it, and so on.
    """

    start: int
    end: int
    inner_start: int
    inner_end: int
    opener: str
    closer: str
    depth: int
    closed: bool = True
    continued: bool = False

    @property
    def kind_class(self) -> str:
        return CLASS.get(self.opener, DOUBLE)


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _paragraph_ends(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\n", text)] + [len(text)]


@dataclass(slots=True)
class _Open:
    pos: int
    mark: str
    depth: int


def find_quotes(text: str) -> list[QuoteRegion]:
    """Every quotation in `text`, sorted by start (top-level and nested)."""
    regions: list[QuoteRegion] = []
    para_ends = _paragraph_ends(text)
    stack: list[_Open] = []
    para_index = 0
    n = len(text)

    def flush_paragraph(end: int, next_start: int) -> None:
        """Close what is still open at a paragraph end `end`; `next_start` begins the next."""
        nonlocal stack
        if not stack:
            return
        following = text[next_start : next_start + 8].lstrip()
        nxt = _MARK.match(following)
        next_mark = _AS_DOUBLE.get(nxt.group(), nxt.group()) if nxt else ""
        for bottom in stack:
            continued = bool(next_mark) and CLASS.get(next_mark) == CLASS.get(bottom.mark)
            # a lone single mark left open is far more often an apostrophe than a quote
            if CLASS.get(bottom.mark) == DOUBLE or continued:
                break
        else:
            stack = []
            return
        inner_end = end
        while inner_end > bottom.pos and text[inner_end - 1].isspace():
            inner_end -= 1
        if inner_end > bottom.pos + len(bottom.mark):
            regions.append(
                QuoteRegion(
                    bottom.pos,
                    inner_end,
                    bottom.pos + len(bottom.mark),
                    inner_end,
                    bottom.mark,
                    "",
                    bottom.depth,
                    closed=False,
                    continued=continued,
                )
            )
        stack = []

    for m in _MARK.finditer(text):
        i, raw = m.start(), m.group()
        while para_index < len(para_ends) - 1 and i > para_ends[para_index]:
            flush_paragraph(para_ends[para_index], para_ends[para_index] + 1)
            para_index += 1
        mark = _AS_DOUBLE.get(raw, raw)
        j = m.end()
        before = text[i - 1] if i > 0 else " "
        after = text[j] if j < n else " "
        if mark in ("\u2019", "'") and (
            _is_word(before) and _is_word(after) or after.isdigit() and not _is_word(before)
        ):
            continue  # don't, Iran's, '90s
        if mark in ("\u2018", "'") and before.isalpha() and after.isalpha():
            continue  # a ‘ typed for an apostrophe inside a word
        can_open = after.strip() != "" and (before.isspace() or before in _BEFORE_OPEN or i == 0)
        can_close = before.strip() != "" and before not in "([{"
        if mark in _ALWAYS_OPEN:
            can_open, can_close = True, False
        elif mark in _ALWAYS_CLOSE:
            can_open, can_close = False, True
        elif mark in _GUILLEMETS:
            can_open = can_close = True
        cls = CLASS.get(mark, DOUBLE)
        if mark == "\u2019" and before in "sS" and _later_closer(text, j):
            continue  # ‘the voters’ choice’: the plural possessive, the quote closes later
        closed_here = False
        if can_close:
            for k in range(len(stack) - 1, -1, -1):
                opener = stack[k]
                if CLASS.get(opener.mark) != cls:
                    continue
                if mark in PAIRS.get(opener.mark, "") or (
                    opener.mark in _LATIN_DOUBLE and mark in _LATIN_DOUBLE_CLOSERS
                ):
                    regions.append(
                        QuoteRegion(
                            opener.pos,
                            j,
                            opener.pos + len(opener.mark),
                            i,
                            opener.mark,
                            mark,
                            opener.depth,
                        )
                    )
                    del stack[k:]
                    closed_here = True
                break  # only the innermost open quote of this class may close
            if not closed_here and cls == SINGLE and mark == "\u2019":
                continue  # voters’: a possessive, nothing to close
        if closed_here or not can_open or mark not in PAIRS:
            continue
        stack.append(_Open(i, mark, len(stack)))
    while para_index < len(para_ends) - 1:
        flush_paragraph(para_ends[para_index], para_ends[para_index] + 1)
        para_index += 1
    flush_paragraph(n, n)
    regions.sort(key=lambda r: (r.start, -r.end))
    return regions


def _later_closer(text: str, j: int) -> bool:
    """Another ’ closes later on this line, with no ‘ opening before it."""
    end = text.find("\n", j)
    rest = text[j : end if end >= 0 else len(text)]
    k = rest.find("\u2019")
    while k >= 0:
        if "\u2018" in rest[:k]:
            return False
        if (
            k > 0
            and not rest[k - 1].isspace()
            and not (k + 1 < len(rest) and rest[k + 1].isalnum())
        ):
            return True
        k = rest.find("\u2019", k + 1)
    return False


def top_level(regions: list[QuoteRegion]) -> list[QuoteRegion]:
    """Quotations not inside another one."""
    out: list[QuoteRegion] = []
    for r in regions:
        if out and r.start < out[-1].end:
            continue
        out.append(r)
    return out


class QuoteMap:
    """Which code points of a text lie inside a top-level quotation (for kinds and rules)."""

    def __init__(self, text: str, regions: list[QuoteRegion] | None = None) -> None:
        self.regions = top_level(regions if regions is not None else find_quotes(text))
        self._starts = [r.start for r in self.regions]

    def region_at(self, offset: int) -> QuoteRegion | None:
        k = bisect_right(self._starts, offset) - 1
        if k >= 0 and offset < self.regions[k].end:
            return self.regions[k]
        return None

    def inside(self, offset: int) -> bool:
        region = self.region_at(offset)
        return region is not None and region.inner_start <= offset < region.inner_end
