"""Verification: every exported span must be `text[start:end]` of its stored document.

The database stores offsets only, so a span is right when the document text is the one that was
annotated (its SHA-256 still matches) and every span lies inside it. A record that fails is
reported with its document and attribution and is never written; a document whose text fails is
reported once and never written at all (nor its attributions); the rest of the export goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
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


# AttributionRecord is filled through its slot descriptors: its frozen __init__ costs about
# half of this function per row. Every field is set, in this order (checked at import, so a
# change in the model cannot silently shift values or leave a slot empty).
_RECORD_FIELDS = (
    "id",
    "document_id",
    "annotator_id",
    "content",
    "cue",
    "mention",
    "speaker_id",
    "via_id",
    "kind",
    "target_id",
    "polarity",
    "proposition",
    "note",
    "confidence",
    "origin",
    "review_state",
    "reviewer_id",
    "review_comment",
    "source_ids",
    "created_at",
    "updated_at",
    "external_id",
)
if tuple(f.name for f in fields(AttributionRecord)) != _RECORD_FIELDS:
    raise ImportError("verify.py: AttributionRecord fields changed; update _RECORD_FIELDS")
_SLOT_SETTERS = tuple(AttributionRecord.__dict__[name].__set__ for name in _RECORD_FIELDS)


def _record(values: tuple[Any, ...]) -> AttributionRecord:
    record: AttributionRecord = _new(AttributionRecord)
    for setter, value in zip(_SLOT_SETTERS, values, strict=True):
        setter(record, value)
    return record


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
        external_id,
    ) = row
    content: tuple[Span, ...] | None = None
    if isinstance(spans, str):
        one = _ONE_SPAN.fullmatch(spans)  # the common case, without the JSON parser
        if one:
            start, end = int(one[1]), int(one[2])
            if 0 <= start < end <= length:  # valid: build it here, skipping _span's call
                span = _new(Span)
                _set(span, "start", start)
                _set(span, "end", end)
                content = (span,)
            else:
                spans = [(start, end)]
        else:
            spans = json.loads(spans)
    if content is None and not spans:
        raise SpanProblem("no content span")
    if sources == "[]" or not sources:
        sources = ()
    elif isinstance(sources, str):
        sources = json.loads(sources)
    if content is None:
        try:
            content = tuple(sorted(_span(s, e, "content", length) for s, e in spans))
        except (TypeError, ValueError) as exc:
            if isinstance(exc, SpanProblem):
                raise
            raise SpanProblem(f"content spans are malformed: {spans!r}") from exc
    # valid cue/mention built inline; anything else goes to _span, which raises with a message
    if cue_start is None:
        cue = None
    elif type(cue_start) is int and type(cue_end) is int and 0 <= cue_start < cue_end <= length:
        cue = _new(Span)
        _set(cue, "start", cue_start)
        _set(cue, "end", cue_end)
    else:
        cue = _span(cue_start, cue_end, "cue", length)
    if mention_start is None:
        mention = None
    elif (
        type(mention_start) is int
        and type(mention_end) is int
        and 0 <= mention_start < mention_end <= length
    ):
        mention = _new(Span)
        _set(mention, "start", mention_start)
        _set(mention, "end", mention_end)
    else:
        mention = _span(mention_start, mention_end, "mention", length)
    return _record(
        (
            id_,
            document_id,
            annotator_id,
            content,
            cue,
            mention,
            speaker_id,
            via_id,
            _KIND[kind],
            target_id,
            _POLARITY[polarity] if polarity else None,
            proposition or "",
            note or "",
            _CONFIDENCE[confidence] if confidence else None,
            _ORIGIN[origin],
            _STATE[review_state],
            reviewer_id,
            review_comment or "",
            tuple(sources),
            created_at if type(created_at) is not str else _fromiso(created_at),
            updated_at if type(updated_at) is not str else _fromiso(updated_at),
            external_id or "",
        )
    )


@dataclass(frozen=True, slots=True)
class Problem:
    document_id: str
    attribution_id: str | None
    message: str

    @property
    def whole_document(self) -> bool:
        """The document itself is refused (its text is not the one annotated): nothing of it,
        neither its text nor any attribution, may be written or counted."""
        return self.attribution_id is None

    def __str__(self) -> str:
        return self.message


def _doc_label(info: DocumentInfo) -> str:
    title = info.title.strip() or "(untitled)"
    return f"document {title!r} ({info.id})"


def _position(r: AttributionRecord) -> tuple[int, int, str]:
    """Document order: the content tuple is sorted, so its first span starts the record."""
    content = r.content
    end = content[0].end if len(content) == 1 else max(s.end for s in content)
    return content[0].start, end, r.id


def verify_document(
    info: DocumentInfo, text: str, rows: Iterable[Any]
) -> tuple[list[AttributionRecord], list[Problem]]:
    """Build records from attribution rows; return (good records sorted by position, problems).
    A text that no longer matches its SHA-256 gives no records and one problem whose
    `whole_document` is true: the caller must then leave the document out entirely."""
    problems: list[Problem] = []
    rows = list(rows)
    if sha256_text(text) != info.text_sha256:
        msg = (
            f"{_doc_label(info)}: text no longer matches its SHA-256; the document and its"
            f" {len(rows)} attribution(s) were not exported (run `annotator db check`)"
        )
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
    good.sort(key=_position)
    return good, problems
