"""Conversions between ORM rows and the domain records of annotator.model."""

from __future__ import annotations

from typing import Any

from annotator.model import (
    ActorRecord,
    ActorType,
    AnnotatorRecord,
    AttributionRecord,
    Confidence,
    DocumentInfo,
    Kind,
    Origin,
    Polarity,
    ProjectRecord,
    ReviewState,
    Span,
    TargetRecord,
)
from annotator.storage import schema

# An attribution's user-editable columns, in schema order: what merges compare and copy, and
# (framed by ids and timestamps) the positional row layout of the fast export and bundle paths.
ATTRIBUTION_FIELD_COLUMNS = (
    "annotator_id",
    "content_spans",
    "cue_start",
    "cue_end",
    "mention_start",
    "mention_end",
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
)
ATTRIBUTION_ROW_COLUMNS = (
    "id",
    "document_id",
    *ATTRIBUTION_FIELD_COLUMNS,
    "created_at",
    "updated_at",
    "external_id",  # import provenance: set once, never edited or merged
)


def span_or_none(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else Span(start, end)


def attribution_record(row: schema.Attribution) -> AttributionRecord:
    return AttributionRecord(
        id=row.id,
        document_id=row.document_id,
        annotator_id=row.annotator_id,
        content=tuple(Span(int(s), int(e)) for s, e in row.content_spans),
        cue=span_or_none(row.cue_start, row.cue_end),
        mention=span_or_none(row.mention_start, row.mention_end),
        speaker_id=row.speaker_id,
        via_id=row.via_id,
        kind=Kind(row.kind),
        target_id=row.target_id,
        polarity=Polarity(row.polarity) if row.polarity else None,
        proposition=row.proposition or "",
        note=row.note or "",
        confidence=Confidence(row.confidence) if row.confidence else None,
        origin=Origin(row.origin),
        review_state=ReviewState(row.review_state),
        reviewer_id=row.reviewer_id,
        review_comment=row.review_comment or "",
        source_ids=tuple(row.source_ids or ()),
        created_at=row.created_at,
        updated_at=row.updated_at,
        external_id=row.external_id or "",
    )


def attribution_columns(record: AttributionRecord) -> dict[str, Any]:
    """The column values of an attribution row for `record` (timestamps excluded)."""
    return {
        "id": record.id,
        "document_id": record.document_id,
        "annotator_id": record.annotator_id,
        "content_spans": [[s.start, s.end] for s in sorted(record.content)],
        "cue_start": record.cue.start if record.cue else None,
        "cue_end": record.cue.end if record.cue else None,
        "mention_start": record.mention.start if record.mention else None,
        "mention_end": record.mention.end if record.mention else None,
        "speaker_id": record.speaker_id,
        "via_id": record.via_id,
        "kind": str(record.kind),
        "target_id": record.target_id,
        "polarity": str(record.polarity) if record.polarity else None,
        "proposition": record.proposition,
        "note": record.note,
        "confidence": str(record.confidence) if record.confidence else None,
        "origin": str(record.origin),
        "review_state": str(record.review_state),
        "reviewer_id": record.reviewer_id,
        "review_comment": record.review_comment,
        "source_ids": list(record.source_ids),
        "external_id": record.external_id,
    }


def document_info(row: Any, metadata: dict[str, Any] | None = None) -> DocumentInfo:
    """From an ORM document, or from a Core row of the documents table given its `metadata`
    (an ORM document keeps that column as `meta`: `metadata` is the class's MetaData)."""
    return DocumentInfo(
        id=row.id,
        project_id=row.project_id,
        title=row.title,
        source=row.source,
        url=row.url,
        published=row.published,
        place=row.place,
        author=row.author,
        language=row.language,
        text_sha256=row.text_sha256,
        length=row.length,
        metadata=dict((row.meta if metadata is None else metadata) or {}),
        created_at=row.created_at,
        external_id=getattr(row, "external_id", "") or "",
        source_file=source_file_name(
            row.raw_path or "", (getattr(row, "import_report", None) or {}).get("source_file")
        ),
    )


def source_file_name(raw_path: str, reported: object = None) -> str:
    """The name of the file a document came from, without folders (exports name no local
    paths): the one a re-imported export named (import_report["source_file"]), else the
    imported file's own."""
    if isinstance(reported, str):  # even empty: the exported document had no file
        return reported
    return raw_path.replace("\\", "/").rsplit("/", 1)[-1]


def actor_record(row: schema.Actor) -> ActorRecord:
    return ActorRecord(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        type=ActorType(row.type),
        role=row.role,
        affiliation=row.affiliation,
        wikidata_id=row.wikidata_id,
        aliases=tuple(a.alias for a in row.aliases if a.deleted_at is None),
    )


def target_record(row: schema.Target) -> TargetRecord:
    return TargetRecord(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        description=row.description,
        aliases=tuple(a.alias for a in row.aliases if a.deleted_at is None),
    )


def project_record(row: schema.Project) -> ProjectRecord:
    return ProjectRecord(id=row.id, name=row.name, description=row.description)


def annotator_record(row: schema.Annotator) -> AnnotatorRecord:
    return AnnotatorRecord(id=row.id, name=row.name)
