"""Context around a quote: its sentence(s), its paragraph(s), or the whole document.

Sentence boundaries come from a small rule-based splitter (terminal punctuation, optionally
followed by closing quotes/brackets, then whitespace) that skips common abbreviations and
initials, plus line breaks; no model is needed, so it works offline for any language.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from enum import StrEnum

from annotator.model import AttributionRecord


class ContextMode(StrEnum):
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    DOCUMENT = "document"


_ABBREVIATIONS = (
    "mr mrs ms dr prof st jr sr gen col lt sgt rep sen gov pres vs etc inc ltd co corp jan feb"
    " mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k"
)
# A sentence ends at ! ? … or a run of dots, or at a single "." that does not close an
# abbreviation or an initial (checked by fixed-width lookbehinds, so the scan stays in C),
# optionally followed by closing quotes/brackets, then whitespace; or at a line break. The
# pattern starts with a character class so the engine skips ordinary text quickly.
# The guards are grouped by length (one lookbehind per length, not one per abbreviation) and
# only run when one to four word characters precede the dot: after a longer word or after a
# non-word character no guard can match, and most dots end such words. Only the guards ignore
# case (\w, \s, \b and the punctuation have no case), so the scan's class stays case-exact.
_GUARD_WIDTH = max(len(a) for a in _ABBREVIATIONS.split()) + 1
_BY_LENGTH: dict[int, list[str]] = {}
for _a in _ABBREVIATIONS.split():
    _BY_LENGTH.setdefault(len(_a), []).append(re.escape(_a))
_GUARDS = "".join(f"(?<!\\b(?:{'|'.join(v)})\\.)" for _, v in sorted(_BY_LENGTH.items()))
_NOT_ABBREVIATION = rf"(?:(?<=\w{{{_GUARD_WIDTH}}}\.)|(?<!\w\.)|(?<!\b\w\.)(?i:{_GUARDS}))"
_CLOSE = r"[\"'”’»)\]]*(?=\s)"
_SENTENCE_END = re.compile(
    rf"[.!?…\n](?:(?<=\n)|(?<=\.){_NOT_ABBREVIATION}(?![.!?…]){_CLOSE}"
    rf"|(?<=[!?…])[.!?…]*{_CLOSE}|(?<=\.)[.!?…]+{_CLOSE})"
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


@dataclass(frozen=True, slots=True)
class Context:
    start: int
    end: int
    text: str


def sentence_bounds(text: str) -> list[int]:
    """Sorted sentence end offsets (each is the start of the following sentence's whitespace)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    return ends


def paragraph_bounds(text: str) -> list[int]:
    ends = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)]
    ends.append(len(text))
    return ends


class ContextFinder:
    """Finds the context of quotes in one document (boundaries computed once per document)."""

    def __init__(self, text: str, mode: ContextMode) -> None:
        self.text = text
        self.mode = mode = ContextMode(mode)
        if mode is ContextMode.SENTENCE:
            self._ends = sentence_bounds(text)
        elif mode is ContextMode.PARAGRAPH:
            self._ends = paragraph_bounds(text)
        else:
            self._ends = [len(text)]

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """(start, end) of the smallest run of units (sentences/paragraphs) covering [start, end):
        `around` without building a Context, for writers that take one per attribution."""
        text = self.text
        if self.mode is ContextMode.DOCUMENT:
            return 0, len(text)
        ends = self._ends
        i = bisect_right(ends, start)
        lo = ends[i - 1] if i > 0 else 0
        hi = ends[min(bisect_left(ends, end), len(ends) - 1)]
        # units begin after the separator whitespace, end before trailing whitespace
        while lo < start and text[lo].isspace():
            lo += 1
        while hi > end and text[hi - 1].isspace():
            hi -= 1
        return lo, hi

    def around(self, start: int, end: int) -> Context:
        """The smallest run of units (sentences/paragraphs) covering [start, end)."""
        lo, hi = self.bounds(start, end)
        return Context(lo, hi, self.text[lo:hi])

    def record_bounds(self, record: AttributionRecord) -> tuple[int, int]:
        """`bounds` of the content spans and the cue/mention: they belong to the same claim."""
        content = record.content  # sorted by start
        lo = content[0].start
        hi = max(s.end for s in content) if len(content) > 1 else content[0].end
        cue, mention = record.cue, record.mention
        if cue is not None:  # `is not None`, not truthiness: Span has __len__ (a Python call)
            lo = min(lo, cue.start)
            hi = max(hi, cue.end)
        if mention is not None:
            lo = min(lo, mention.start)
            hi = max(hi, mention.end)
        return self.bounds(lo, hi)

    def of(self, record: AttributionRecord) -> Context:
        """Context covering the content spans (and cue/mention: they belong to the same claim)."""
        lo, hi = self.record_bounds(record)
        return Context(lo, hi, self.text[lo:hi])
