"""Checks on an edit the analyst is about to make that is probably a slip: a second identical
attribution, a cue or speaker mention far from its quote, or on the words of the other role.
The workspace warns and lets the analyst insist; nothing here refuses anything."""

from __future__ import annotations

import re
from collections.abc import Iterable

from annotator.model import AttributionRecord, Span

FAR_CHARS = 400  # farther than this from every content segment is far, in any paragraph
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*)*")


def identical_attribution(
    records: Iterable[AttributionRecord], content: Iterable[Span]
) -> AttributionRecord | None:
    """A live attribution (of the same analyst: `records`) with exactly these content spans."""
    wanted = tuple(sorted(content))
    return next((r for r in records if tuple(sorted(r.content)) == wanted), None)


def gap(a: Span, b: Span) -> tuple[int, int]:
    """The text between two spans, as [start, end) (empty when they touch or overlap)."""
    if a.end <= b.start:
        return a.end, b.start
    if b.end <= a.start:
        return b.end, a.start
    return a.start, a.start


def far_from_content(text: str, content: Iterable[Span], span: Span) -> bool:
    """The span is far from all of the quote: a whole paragraph or more between them, or more
    than FAR_CHARS characters. The paragraph before or after the quote is near ("he said:"
    closing one paragraph, the quotation opening the next)."""
    for segment in content:
        start, end = gap(segment, span)
        between = text[start:end]
        if len(between) <= FAR_CHARS and len(_PARAGRAPH_BREAK.findall(between)) < 2:
            return False
    return True


def role_clash(record: AttributionRecord, role: str, span: Span) -> str | None:
    """The other role ("cue" / "mention") this span overlaps on the record, if any."""
    other = record.mention if role == "cue" else record.cue
    if other is not None and span.overlaps(other):
        return "speaker mention" if role == "cue" else "cue"
    return None
