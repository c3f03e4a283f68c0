"""Verification: every exported span must be `text[start:end]` of its stored document.

The database stores offsets only, so a span is right when the document text is the one that was
annotated (its SHA-256 still matches) and every span lies inside it. A record that fails is
reported with its document and attribution and is never written; the rest of the export goes on.
"""

from __future__ import annotations

import json
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


def attribution_from_row(row: tuple[Any, ...]) -> AttributionRecord:
    """Like storage.records.attribution_record, for raw rows (selection.ATTR_COLUMNS order), and
    fast: it runs 100,000s of times per export. Raises ValueError/TypeError/KeyError on a
    malformed row (bad span, unknown enum value)."""
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
        spans = json.loads(spans)
    if isinstance(sources, str):
        sources = json.loads(sources)
    return AttributionRecord(
        id=id_,
        document_id=document_id,
        annotator_id=annotator_id,
        content=tuple(Span(int(s), int(e)) for s, e in spans),
        cue=Span(cue_start, cue_end) if cue_start is not None else None,
        mention=Span(mention_start, mention_end) if mention_start is not None else None,
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
        source_ids=tuple(sources or ()),
        created_at=_timestamp(created_at),
        updated_at=_timestamp(updated_at),
    )


def _timestamp(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


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
    for row in rows:
        try:
            record = attribution_from_row(row)
        except (TypeError, ValueError, KeyError) as exc:
            problems.append(
                Problem(
                    info.id, row[0], f"{_doc_label(info)}, attribution {row[0]}: bad span ({exc})"
                )
            )
            continue
        bad = _bad_span(record, length)
        if bad:
            problems.append(
                Problem(info.id, record.id, f"{_doc_label(info)}, attribution {record.id}: {bad}")
            )
            continue
        good.append(record)
    good.sort(key=lambda r: (r.start, r.end, r.id))
    return good, problems


def _bad_span(record: AttributionRecord, length: int) -> str:
    if not record.content:
        return "no content span"
    for role, span in record.spans:
        if span.end > length:
            return f"{role} span [{span.start}, {span.end}) is outside the text (length {length})"
    return ""
