"""Reads for the workspace that must be fast on big documents (20,000 attributions).

`document_attributions` returns exactly what `attributions.list_attributions` returns, but reads
the columns with one plain query instead of loading ORM objects (4x faster on 5,000 rows).
Opening a document needs less: `document_summaries` reads only what highlights, the margin and
the table show (no timestamps, texts or review fields, no record objects: ~6x cheaper again), and
`attribution_record` reads one full record when the analyst selects it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import text

from annotator.model import (
    AttributionRecord,
    Confidence,
    Kind,
    Origin,
    Polarity,
    ReviewState,
    Span,
)
from annotator.storage.engine import Database

_KIND = {k.value: k for k in Kind}
_POLARITY = {p.value: p for p in Polarity}
_CONFIDENCE = {c.value: c for c in Confidence}
_ORIGIN = {o.value: o for o in Origin}
_REVIEW = {r.value: r for r in ReviewState}

_COLUMNS = (
    "SELECT id, document_id, annotator_id, content_spans, cue_start, cue_end, mention_start,"
    " mention_end, speaker_id, via_id, kind, target_id, polarity, proposition, note, confidence,"
    " origin, review_state, reviewer_id, review_comment, source_ids, created_at, updated_at"
    " FROM attributions"
)
_OF_DOCUMENT = (
    " WHERE document_id = :d AND deleted_at IS NULL"
    " AND (annotator_id = :a OR (:a IS NULL AND annotator_id IS NULL))"
)
_QUERY = text(_COLUMNS + _OF_DOCUMENT)
_ONE = text(_COLUMNS + " WHERE id = :id AND deleted_at IS NULL")


def _ts(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _span(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else Span(start, end)


def document_attributions(
    db: Database, document_id: str, annotator_id: str | None
) -> list[AttributionRecord]:
    """Live attributions of one annotator on a document, by position (start, end, id)."""
    with db.reader() as s:
        rows = s.execute(_QUERY, {"d": document_id, "a": annotator_id}).all()
    out = [_record(r) for r in rows]
    out.sort(key=lambda rec: (rec.content[0].start, max(sp.end for sp in rec.content), rec.id))
    return out


def attribution_record(db: Database, attribution_id: str) -> AttributionRecord | None:
    """One live attribution, or None if it is gone (deleted, or never stored)."""
    with db.reader() as s:
        row = s.execute(_ONE, {"id": attribution_id}).first()
    return _record(row) if row is not None else None


def _record(r: Any) -> AttributionRecord:
    spans = r[3] if isinstance(r[3], list) else json.loads(r[3])
    sources = r[20] if isinstance(r[20], list) or r[20] is None else json.loads(r[20])
    return AttributionRecord(
        id=r[0],
        document_id=r[1],
        annotator_id=r[2],
        content=tuple(Span(int(a), int(b)) for a, b in spans),
        cue=_span(r[4], r[5]),
        mention=_span(r[6], r[7]),
        speaker_id=r[8],
        via_id=r[9],
        kind=_KIND[r[10]],
        target_id=r[11],
        polarity=_POLARITY[r[12]] if r[12] else None,
        proposition=r[13] or "",
        note=r[14] or "",
        confidence=_CONFIDENCE[r[15]] if r[15] else None,
        origin=_ORIGIN[r[16]],
        review_state=_REVIEW[r[17]],
        reviewer_id=r[18],
        review_comment=r[19] or "",
        source_ids=tuple(sources or ()),
        created_at=_ts(r[21]),
        updated_at=_ts(r[22]),
    )


class QuoteSummary(NamedTuple):
    """What the article view, margin and table show of an attribution: its spans (code points)
    and the ids and values they name. Plain tuples: 20,000 of them build in a few milliseconds."""

    id: str
    content: tuple[tuple[int, int], ...]  # sorted segments
    cue_start: int | None
    cue_end: int | None
    mention_start: int | None
    mention_end: int | None
    speaker_id: str | None
    via_id: str | None
    target_id: str | None
    polarity: str | None
    kind: str

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)

    @property
    def cue(self) -> Span | None:
        return _span(self.cue_start, self.cue_end)

    @property
    def mention(self) -> Span | None:
        return _span(self.mention_start, self.mention_end)

    def spans(self) -> list[tuple[int, int, int]]:
        """(start, end, role) of every span: role 0 content, 1 cue, 2 mention."""
        out = [(s, e, 0) for s, e in self.content]
        if self.cue_start is not None and self.cue_end is not None:
            out.append((self.cue_start, self.cue_end, 1))
        if self.mention_start is not None and self.mention_end is not None:
            out.append((self.mention_start, self.mention_end, 2))
        return out

    @classmethod
    def of(cls, rec: AttributionRecord) -> QuoteSummary:
        return cls(
            rec.id,
            tuple((s.start, s.end) for s in rec.content),
            rec.cue.start if rec.cue else None,
            rec.cue.end if rec.cue else None,
            rec.mention.start if rec.mention else None,
            rec.mention.end if rec.mention else None,
            rec.speaker_id,
            rec.via_id,
            rec.target_id,
            str(rec.polarity) if rec.polarity else None,
            str(rec.kind),
        )


_SUMMARIES = text(
    "SELECT id, content_spans, cue_start, cue_end, mention_start, mention_end, speaker_id,"
    " via_id, target_id, polarity, kind FROM attributions" + _OF_DOCUMENT
)


def summary_key(q: QuoteSummary) -> tuple[int, int, str]:
    """Reading order: by start, then end, then id (the table's and J/K's order)."""
    return (q.content[0][0], max(e for _, e in q.content), q.id)


def document_summaries(
    db: Database, document_id: str, annotator_id: str | None
) -> list[QuoteSummary]:
    """What `document_attributions` returns, summarized, in the same order."""
    with db.reader() as s:
        rows = s.execute(_SUMMARIES, {"d": document_id, "a": annotator_id}).all()
    if not rows:
        return []
    columns = list(zip(*rows, strict=True))
    raw = columns[1]
    # SQLite hands JSON over as text: parse all of it in one call
    parsed = json.loads("[" + ",".join(raw) + "]") if isinstance(raw[0], str) else raw
    content = [tuple(map(tuple, c)) if len(c) > 1 else ((c[0][0], c[0][1]),) for c in parsed]
    out = list(map(QuoteSummary._make, zip(columns[0], content, *columns[2:], strict=True)))
    # In summary_key order: sorting by one int (start, end packed) is twice as fast as by
    # tuples; only when two share both start and end do their ids decide, by the slower key.
    keys = [c[0][0] << 32 | (c[0][1] if len(c) == 1 else max(e for _, e in c)) for c in content]
    ranked = [out[i] for i in sorted(range(len(out)), key=keys.__getitem__)]
    if len(set(keys)) != len(keys):
        ranked.sort(key=summary_key)
    return ranked
