"""Verification: every exported span must be `text[start:end]` of its stored document.

The database stores offsets only, so a span is right when the document text is the one that was
annotated (its SHA-256 still matches) and every span lies inside it. A record that fails is
reported with its document and attribution and is never written; the rest of the export goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from annotator.model import (
    AttributionRecord,
    Confidence,
    DocumentInfo,
    Kind,
    Origin,
    Polarity,
    ReviewState,
    Span,
)
from annotator.text import sha256_text

# Enum lookups by value: a dict hit is several times cheaper than calling the enum per row.
_KIND = {m.value: m for m in Kind}
_POLARITY = {m.value: m for m in Polarity}
_CONFIDENCE = {m.value: m for m in Confidence}
_ORIGIN = {m.value: m for m in Origin}
_STATE = {m.value: m for m in ReviewState}


class SpanProblem(ValueError):
    """A span that cannot be exported; the message names the role and the offsets."""


_ONE_SPAN = re.compile(r"\[\[(\d+), ?(\d+)\]\]")
_fromiso = datetime.fromisoformat
_new = object.__new__
_set = object.__setattr__


def _span(start: Any, end: Any, role: str, length: int) -> Span:
    """A checked Span, built without Span.__init__ (its checks are done here, with messages)."""
    if type(start) is not int or type(end) is not int:
        raise SpanProblem(f"{role} span offsets must be integers, got {start!r}, {end!r}")
    if start < 0 or end <= start:
        raise SpanProblem(f"{role} span [{start}, {end}) is empty or reversed")
    if end > length:
        raise SpanProblem(f"{role} span [{start}, {end}) is outside the text (length {length})")
    span = _new(Span)
    _set(span, "start", start)
    _set(span, "end", end)
    return span


def attribution_from_row(row: tuple[Any, ...], length: int) -> AttributionRecord:
    """A verified record from a raw row (selection.ATTR_COLUMNS order): every span inside a text
    of `length` code points. Fast, since it runs 100,000s of times per export. Raises
    SpanProblem for a bad span; ValueError/TypeError/KeyError for other malformed values."""
    (
        id_,
        document_id,
        annotator_id,
        spans,
        cue_start,
        cue_end,
        mention_start,
        mention_end,
        speaker_id,
        via_id,
        kind,
        target_id,
        polarity,
        proposition,
        note,
        confidence,
        origin,
        review_state,
        reviewer_id,
        review_comment,
        sources,
        created_at,
        updated_at,
    ) = row
    if isinstance(spans, str):
        one = _ONE_SPAN.fullmatch(spans)  # the common case, without the JSON parser
        spans = [(int(one[1]), int(one[2]))] if one else json.loads(spans)
    if not spans:
        raise SpanProblem("no content span")
    if sources == "[]" or not sources:
        sources = ()
    elif isinstance(sources, str):
        sources = json.loads(sources)
    try:
        content = tuple(sorted(_span(s, e, "content", length) for s, e in spans))
    except (TypeError, ValueError) as exc:
        if isinstance(exc, SpanProblem):
            raise
        raise SpanProblem(f"content spans are malformed: {spans!r}") from exc
    return AttributionRecord(
        id=id_,
        document_id=document_id,
        annotator_id=annotator_id,
        content=content,
        cue=_span(cue_start, cue_end, "cue", length) if cue_start is not None else None,
        mention=(
            _span(mention_start, mention_end, "mention", length)
            if mention_start is not None
            else None
        ),
        speaker_id=speaker_id,
        via_id=via_id,
        kind=_KIND[kind],
        target_id=target_id,
        polarity=_POLARITY[polarity] if polarity else None,
        proposition=proposition or "",
        note=note or "",
        confidence=_CONFIDENCE[confidence] if confidence else None,
        origin=_ORIGIN[origin],
        review_state=_STATE[review_state],
        reviewer_id=reviewer_id,
        review_comment=review_comment or "",
        source_ids=tuple(sources),
        created_at=created_at if type(created_at) is not str else _fromiso(created_at),
        updated_at=updated_at if type(updated_at) is not str else _fromiso(updated_at),
    )


@dataclass(frozen=True, slots=True)
class Problem:
    document_id: str
    attribution_id: str | None
    message: str

    def __str__(self) -> str:
        return self.message


def _doc_label(info: DocumentInfo) -> str:
    title = info.title.strip() or "(untitled)"
    return f"document {title!r} ({info.id})"


def verify_document(
    info: DocumentInfo, text: str, rows: Iterable[Any]
) -> tuple[list[AttributionRecord], list[Problem]]:
    """Build records from attribution rows; return (good records sorted by position, problems)."""
    problems: list[Problem] = []
    rows = list(rows)
    if sha256_text(text) != info.text_sha256:
        msg = f"{_doc_label(info)}: text no longer matches its SHA-256; its {len(rows)} attribution(s) were not exported"
        return [], [Problem(info.id, None, msg)]
    good: list[AttributionRecord] = []
    length = len(text)
    label = None
    for row in rows:
        try:
            good.append(attribution_from_row(row, length))
        except (TypeError, ValueError, KeyError) as exc:
            label = label or _doc_label(info)
            what = str(exc) if isinstance(exc, SpanProblem) else f"bad value ({exc!r})"
            problems.append(Problem(info.id, row[0], f"{label}, attribution {row[0]}: {what}"))
    # document order; the content tuple is sorted, so its first span starts the record
    good.sort(key=lambda r: (r.content[0].start, max(s.end for s in r.content), r.id))
    return good, problems
