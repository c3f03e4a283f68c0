"""Which attributions an export takes, streamed document by document in keyset-paginated batches.

Status choices (``--status``):
  auto       gold where a document has it, else accepted (the default)
  gold       live attributions made in adjudication (origin adjudicated, review_state accepted)
  draft / submitted / accepted   that review state
  all        every live attribution, any state; documents without any are kept too
Tombstoned attributions and documents are never exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select

from annotator.model import ActorRecord, AnnotatorRecord, DocumentInfo, TargetRecord
from annotator.native import Names
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import actor_record, annotator_record, target_record

BATCH_DOCUMENTS = 200


class Status(StrEnum):
    AUTO = "auto"
    GOLD = "gold"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class Selection:
    project_id: str
    status: Status = Status.AUTO
    annotator_id: str | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A document with its selected attribution rows, not yet verified."""

    info: DocumentInfo
    text: str
    rows: list[Any]  # SQLAlchemy Rows with the attribution columns


@dataclass(frozen=True, slots=True)
class Registry:
    """Everything looked up by id while writing: actors, targets, annotators."""

    actors: dict[str, ActorRecord]
    targets: dict[str, TargetRecord]
    annotators: dict[str, AnnotatorRecord]
    live_actors: list[ActorRecord]
    live_targets: list[TargetRecord]

    def names(self) -> Names:
        return Names(
            actors={k: v.name for k, v in self.actors.items()},
            targets={k: v.name for k, v in self.targets.items()},
            annotators={k: v.name for k, v in self.annotators.items()},
        )


def load_registry(db: Database, project_id: str) -> Registry:
    """All actors/targets of the project (merged and deleted ones too, for old references)."""
    with db.session() as s:
        actor_rows = list(
            s.scalars(select(schema.Actor).where(schema.Actor.project_id == project_id))
        )
        target_rows = list(
            s.scalars(select(schema.Target).where(schema.Target.project_id == project_id))
        )
        actors = {r.id: actor_record(r) for r in actor_rows}
        targets = {r.id: target_record(r) for r in target_rows}
        live_a = sorted(
            (actors[r.id] for r in actor_rows if r.deleted_at is None),
            key=lambda a: (a.name, a.id),
        )
        live_t = sorted(
            (targets[r.id] for r in target_rows if r.deleted_at is None),
            key=lambda t: (t.name, t.id),
        )
        annotators = {r.id: annotator_record(r) for r in s.scalars(select(schema.Annotator))}
    return Registry(actors, targets, annotators, live_a, live_t)


_DOC_COLUMNS = (
    schema.Document.seq,
    schema.Document.id,
    schema.Document.project_id,
    schema.Document.title,
    schema.Document.text,
    schema.Document.text_sha256,
    schema.Document.length,
    schema.Document.source,
    schema.Document.url,
    schema.Document.published,
    schema.Document.place,
    schema.Document.author,
    schema.Document.language,
    schema.Document.meta.label("meta"),
    schema.Document.created_at,
)
_ATTR_COLUMNS = tuple(c for c in schema.Attribution.__table__.columns if c.key != "deleted_at")


def _attribution_filter(selection: Selection) -> list[Any]:
    a = schema.Attribution
    where: list[Any] = [a.deleted_at.is_(None)]
    if selection.annotator_id is not None:
        where.append(a.annotator_id == selection.annotator_id)
    if selection.status in (Status.AUTO, Status.ACCEPTED):
        where.append(a.review_state == "accepted")
    elif selection.status is Status.GOLD:
        where += [a.review_state == "accepted", a.origin == "adjudicated"]
    elif selection.status is not Status.ALL:
        where.append(a.review_state == str(selection.status))
    return where


def count_documents(db: Database, project_id: str) -> int:
    with db.session() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(schema.Document)
                .where(
                    schema.Document.project_id == project_id, schema.Document.deleted_at.is_(None)
                )
            )
            or 0
        )


def _auto_pick(rows: list[Any]) -> list[Any]:
    gold = [r for r in rows if r.origin == "adjudicated"]
    return gold or rows


def iter_documents(
    db: Database, selection: Selection, batch: int = BATCH_DOCUMENTS, only: set[str] | None = None
) -> Iterator[RawDocument]:
    """Documents in project order (seq) with their selected attribution rows.

    Memory holds one batch at a time. Documents with no selected attribution are skipped unless
    the status is `all`. `only` restricts to those document ids (used to write one split).
    """
    last_seq = 0
    where_attr = _attribution_filter(selection)
    while True:
        with db.session() as s:
            docs = s.execute(
                select(*_DOC_COLUMNS)
                .where(
                    schema.Document.project_id == selection.project_id,
                    schema.Document.deleted_at.is_(None),
                    schema.Document.seq > last_seq,
                )
                .order_by(schema.Document.seq)
                .limit(batch)
            ).all()
            if not docs:
                return
            last_seq = docs[-1].seq
            if only is not None:
                docs = [d for d in docs if d.id in only]
            by_doc: dict[str, list[Any]] = {d.id: [] for d in docs}
            if docs:
                for row in s.execute(
                    select(*_ATTR_COLUMNS).where(
                        schema.Attribution.document_id.in_(list(by_doc)), *where_attr
                    )
                ):
                    by_doc[row.document_id].append(row)
        for d in docs:
            rows = by_doc[d.id]
            if selection.status is Status.AUTO:
                rows = _auto_pick(rows)
            if not rows and selection.status is not Status.ALL:
                continue
            yield RawDocument(info=_document_info(d), text=d.text, rows=rows)


def _document_info(row: Any) -> DocumentInfo:
    return DocumentInfo(
        id=row.id,
        project_id=row.project_id,
        title=row.title or "",
        source=row.source or "",
        url=row.url or "",
        published=row.published or "",
        place=row.place or "",
        author=row.author or "",
        language=row.language or "",
        text_sha256=row.text_sha256,
        length=row.length,
        metadata=dict(row.meta or {}),
        created_at=row.created_at,
    )
