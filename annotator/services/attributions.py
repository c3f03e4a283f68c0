"""Attributions: create, update, delete (tombstone), restore, list. Spans are checked."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.model import AttributionRecord, Span, new_id, utcnow
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import attribution_columns, attribution_record


class SpanError(ValueError):
    """A span lies outside its document's text."""


def check_spans(record: AttributionRecord, text_length: int) -> None:
    if not record.content:
        raise SpanError("an attribution needs at least one content span")
    for role, span in record.spans:
        if span.end > text_length:
            raise SpanError(
                f"{role} span [{span.start}, {span.end}) is outside the text (length {text_length})"
            )


def _document_length(session: Session, document_id: str) -> int:
    length = session.scalar(select(schema.Document.length).where(schema.Document.id == document_id))
    if length is None:
        raise KeyError(f"no document {document_id}")
    return length


def insert_attribution(session: Session, record: AttributionRecord) -> schema.Attribution:
    """Insert within an open session (used by importers and bundles too)."""
    check_spans(record, _document_length(session, record.document_id))
    row = schema.Attribution(**attribution_columns(record))
    if record.created_at is not None:
        row.created_at = record.created_at
    if record.updated_at is not None:
        row.updated_at = record.updated_at
    session.add(row)
    session.flush()
    return row


def create_attribution(db: Database, record: AttributionRecord) -> AttributionRecord:
    if not record.id:
        record = dataclasses.replace(record, id=new_id())
    with db.session() as s:
        return attribution_record(insert_attribution(s, record))


def new_attribution(
    db: Database, document_id: str, annotator_id: str | None, content: list[Span], **fields: Any
) -> AttributionRecord:
    return create_attribution(
        db,
        AttributionRecord(
            id=new_id(),
            document_id=document_id,
            annotator_id=annotator_id,
            content=tuple(sorted(content)),
            **fields,
        ),
    )


def get_attribution(db: Database, attribution_id: str) -> AttributionRecord:
    with db.reader() as s:
        row = s.get(schema.Attribution, attribution_id)
        if row is None:
            raise KeyError(attribution_id)
        return attribution_record(row)


def update_attribution(db: Database, attribution_id: str, **changes: Any) -> AttributionRecord:
    """Change fields of an attribution (any AttributionRecord field but ids and timestamps)."""
    with db.session() as s:
        row = s.get(schema.Attribution, attribution_id)
        if row is None or row.deleted_at is not None:
            raise KeyError(attribution_id)
        current = attribution_record(row)
        if "content" in changes:
            changes["content"] = tuple(sorted(changes["content"]))
        updated = dataclasses.replace(current, **changes)
        check_spans(updated, _document_length(s, row.document_id))
        for key, value in attribution_columns(updated).items():
            if key != "id":
                setattr(row, key, value)
        row.updated_at = utcnow()
        s.flush()
        return attribution_record(row)


def delete_attribution(db: Database, attribution_id: str) -> None:
    """Tombstone: the row stays so a merge cannot resurrect it."""
    with db.session() as s:
        row = s.get(schema.Attribution, attribution_id)
        if row is None:
            raise KeyError(attribution_id)
        now = utcnow()
        row.deleted_at = now
        row.updated_at = now


def restore_attribution(db: Database, attribution_id: str) -> AttributionRecord:
    """Undo of a delete."""
    with db.session() as s:
        row = s.get(schema.Attribution, attribution_id)
        if row is None:
            raise KeyError(attribution_id)
        row.deleted_at = None
        row.updated_at = utcnow()
        s.flush()
        return attribution_record(row)


def list_attributions(
    db: Database, document_id: str, annotator_id: str | None = None, *, all_annotators: bool = False
) -> list[AttributionRecord]:
    """Live attributions of a document, by position. One annotator's unless `all_annotators`."""
    with db.reader() as s:
        query = select(schema.Attribution).where(
            schema.Attribution.document_id == document_id,
            schema.Attribution.deleted_at.is_(None),
        )
        if not all_annotators:
            query = query.where(schema.Attribution.annotator_id == annotator_id)
        records = [attribution_record(r) for r in s.scalars(query)]
    return sorted(records, key=lambda r: (r.start, r.end, r.id))
