"""Which attributions an export takes, streamed document by document in keyset-paginated batches.

Status choices (``--status``):
  auto       gold where a document has it, else accepted (the default)
  gold       live attributions made in adjudication (origin adjudicated, review_state accepted)
  draft / submitted / accepted   that review state
  all        every live attribution, any state; documents without any are kept too
Tombstoned attributions and documents are never exported.

Per-document policy (``--per-document``), applied after the status, so a dataset never holds
the same quote several times by accident when several people annotated one article:
  one-annotator  gold where the document has it, else the work of one annotator: the one with
                 the most selected records (then who started first, then id) (the default)
  gold           only adjudicated gold records; documents without gold are left out
  all            every selected record of every annotator (copies of one quote are kept)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.model import ActorRecord, AnnotatorRecord, DocumentInfo, TargetRecord
from annotator.native import Names
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import (
    ATTRIBUTION_ROW_COLUMNS,
    actor_record,
    annotator_record,
    source_file_name,
    target_record,
)

BATCH_DOCUMENTS = 200


class Status(StrEnum):
    AUTO = "auto"
    GOLD = "gold"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    ALL = "all"


class PerDocument(StrEnum):
    ONE_ANNOTATOR = "one-annotator"
    GOLD = "gold"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class Selection:
    project_id: str
    status: Status = Status.AUTO
    annotator_id: str | None = None
    per_document: PerDocument = PerDocument.ONE_ANNOTATOR


@dataclass(frozen=True, slots=True)
class RawDocument:
    """A document with its selected attribution rows, not yet verified."""

    info: DocumentInfo
    text: str
    rows: list[tuple[Any, ...]]  # attribution rows, columns in ATTR_COLUMNS order
    left_out: int = 0  # selected records of other annotators the per-document policy left out
    annotators: int = 0  # how many annotators' records the status selected here


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


def reading(db: Database, session: Session | None = None) -> AbstractContextManager[Session]:
    """`session` when the caller holds one (an export reads one consistent snapshot), else a
    fresh unit of work."""
    return nullcontext(session) if session is not None else db.reader()


def load_registry(db: Database, project_id: str, session: Session | None = None) -> Registry:
    """All actors/targets of the project (merged and deleted ones too, for old references)."""
    with reading(db, session) as s:
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


# Plain SQL through the driver: rows come back without SQLAlchemy's per-value processing
# (JSON and DateTime columns are decoded in verify.py only for the rows actually exported),
# which keeps exports within a small factor of a bare sqlite3 loop.
_DOC_SQL = (
    "SELECT seq, id, project_id, title, text, text_sha256, length, source, url, published, place,"
    " author, language, metadata, created_at, external_id, raw_path,"
    " json_extract(import_report, '$.source_file') AS reported_file FROM documents"
    " WHERE project_id = ? AND deleted_at IS NULL AND seq > ? ORDER BY seq LIMIT ?"
)
# Fixed column order: verify.attribution_from_row unpacks rows positionally (plain tuples).
ATTR_COLUMNS = ATTRIBUTION_ROW_COLUMNS
_ATTR_COLUMNS = ", ".join(ATTR_COLUMNS)
_ORIGIN = ATTR_COLUMNS.index("origin")
_ANNOTATOR = ATTR_COLUMNS.index("annotator_id")
_CREATED = ATTR_COLUMNS.index("created_at")


def _attribution_sql(selection: Selection) -> tuple[str, list[Any]]:
    """SQL selecting the chosen attributions of the documents in a JSON list (first parameter)."""
    where = ["document_id IN (SELECT value FROM json_each(?))", "deleted_at IS NULL"]
    params: list[Any] = []
    if selection.annotator_id is not None:
        where.append("annotator_id = ?")
        params.append(selection.annotator_id)
    if selection.status in (Status.AUTO, Status.ACCEPTED):
        where.append("review_state = 'accepted'")
    elif selection.status == Status.GOLD:
        where.append("review_state = 'accepted' AND origin = 'adjudicated'")
    elif selection.status != Status.ALL:
        where.append("review_state = ?")
        params.append(str(selection.status))
    sql = f"SELECT {_ATTR_COLUMNS} FROM attributions WHERE {' AND '.join(where)}"
    return sql, params


def count_documents(db: Database, project_id: str, session: Session | None = None) -> int:
    with reading(db, session) as s:
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
    gold = [r for r in rows if r[_ORIGIN] == "adjudicated"]
    return gold or rows


def apply_policy(rows: list[Any], policy: PerDocument) -> list[Any]:
    """The rows one document contributes under the per-document policy (see the module doc)."""
    if policy == PerDocument.ALL or not rows:
        return rows
    gold = [r for r in rows if r[_ORIGIN] == "adjudicated"]
    if gold or policy == PerDocument.GOLD:
        return gold
    by_annotator: dict[Any, list[Any]] = {}
    for r in rows:
        by_annotator.setdefault(r[_ANNOTATOR], []).append(r)
    if len(by_annotator) == 1:
        return rows

    def rank(item: tuple[Any, list[Any]]) -> tuple[int, str, str]:
        annotator, own = item
        first = min(str(r[_CREATED]) for r in own)
        return (-len(own), first, str(annotator or ""))  # as _CHOSEN_SQL orders them

    return min(by_annotator.items(), key=rank)[1]


def iter_documents(
    db: Database,
    selection: Selection,
    batch: int = BATCH_DOCUMENTS,
    only: set[str] | None = None,
    session: Session | None = None,
) -> Iterator[RawDocument]:
    """Documents in project order (seq) with their selected attribution rows.

    Memory holds one batch at a time. Documents with no selected attribution are skipped unless
    the status is `all`. `only` restricts to those document ids (used to write one split).
    With `session`, every batch reads the same snapshot (SQLite WAL: writers are not blocked).
    """
    last_seq = 0
    attr_sql, attr_params = _attribution_sql(selection)
    while True:
        with reading(db, session) as s:
            conn = s.connection()
            docs = conn.exec_driver_sql(_DOC_SQL, (selection.project_id, last_seq, batch)).all()
            # the DB-API cursor itself: plain tuples, the cheapest rows Python can have
            raw = conn.connection.dbapi_connection
            assert raw is not None
            if not docs:
                return
            last_seq = docs[-1].seq
            if only is not None:
                docs = [d for d in docs if d.id in only]
            by_doc: dict[str, list[Any]] = {d.id: [] for d in docs}
            if docs:
                params = (json.dumps(list(by_doc)), *attr_params)
                for row in raw.execute(attr_sql, params):
                    by_doc[row[1]].append(row)
        for d in docs:
            rows = by_doc[d.id]
            if selection.status == Status.AUTO:
                rows = _auto_pick(rows)
            annotators = len({r[_ANNOTATOR] for r in rows})
            kept = apply_policy(rows, selection.per_document)
            gold_only = selection.per_document == PerDocument.GOLD
            if not kept and (selection.status != Status.ALL or rows or gold_only):
                continue  # nothing selected, or (gold policy) no gold in this document
            yield RawDocument(_document_info(d), d.text, kept, len(rows) - len(kept), annotators)


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
        metadata=json.loads(row.metadata) if row.metadata and row.metadata != "{}" else {},
        created_at=_timestamp(row.created_at),
        external_id=row.external_id or "",
        source_file=source_file_name(row.raw_path or "", row.reported_file),
    )


def _timestamp(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


@dataclass(frozen=True, slots=True)
class Preview:
    """What an export would take, before verification: for the dialog's preview."""

    documents: int
    attributions: int
    polarity: dict[str, int]


def preview_counts(db: Database, selection: Selection) -> Preview:
    """Counts by aggregate SQL (milliseconds even for 100,000 attributions)."""
    sql, params = _attribution_sql(selection)
    where = sql.split(" WHERE ", 1)[1].replace(
        "document_id IN (SELECT value FROM json_each(?))",
        "document_id IN (SELECT id FROM documents WHERE project_id = ? AND deleted_at IS NULL)",
    )
    if selection.status == Status.AUTO:
        gold = "g.review_state = 'accepted' AND g.origin = 'adjudicated' AND g.deleted_at IS NULL"
        if selection.annotator_id is not None:
            gold += " AND g.annotator_id = ?"
            params = [*params, selection.annotator_id]
        where += (
            " AND (origin = 'adjudicated' OR NOT EXISTS (SELECT 1 FROM attributions g"
            f" WHERE g.document_id = attributions.document_id AND {gold}))"
        )
    args = (selection.project_id, *params)
    chosen = _chosen_sql(where, selection.per_document)
    with db.reader() as s:
        conn = s.connection()
        polarity = {
            str(p or "none"): int(n)
            for p, n in conn.exec_driver_sql(
                f"SELECT polarity, COUNT(*) FROM ({chosen}) GROUP BY polarity", args
            )
        }
        if selection.status == Status.ALL and selection.per_document != PerDocument.GOLD:
            documents = count_documents(db, selection.project_id)  # documents without any too
        else:
            documents = int(
                conn.exec_driver_sql(
                    f"SELECT COUNT(DISTINCT document_id) FROM ({chosen})", args
                ).scalar_one()
            )
    return Preview(documents, sum(polarity.values()), dict(sorted(polarity.items())))


def _chosen_sql(where: str, policy: PerDocument) -> str:
    """SQL for the rows `apply_policy` keeps out of those matching `where` (same order of
    preference: gold, else the annotator with the most records, who started first, then id)."""
    if policy == PerDocument.ALL:
        return f"SELECT document_id, polarity FROM attributions WHERE {where}"
    base = (
        "SELECT document_id, annotator_id, origin, polarity, created_at"
        f" FROM attributions WHERE {where}"
    )
    if policy == PerDocument.GOLD:
        return f"SELECT document_id, polarity FROM ({base}) WHERE origin = 'adjudicated'"
    return (
        f"WITH sel AS ({base}),"
        " per AS (SELECT document_id, annotator_id, COUNT(*) AS n, MIN(created_at) AS first"
        " FROM sel GROUP BY document_id, annotator_id),"
        " pick AS (SELECT document_id, annotator_id FROM (SELECT document_id, annotator_id,"
        " ROW_NUMBER() OVER (PARTITION BY document_id ORDER BY n DESC, first,"
        " COALESCE(annotator_id, '')) AS rk FROM per) WHERE rk = 1),"
        " gold AS (SELECT DISTINCT document_id FROM sel WHERE origin = 'adjudicated')"
        " SELECT document_id, polarity FROM sel WHERE CASE"
        " WHEN document_id IN (SELECT document_id FROM gold) THEN origin = 'adjudicated'"
        " ELSE annotator_id IS (SELECT p.annotator_id FROM pick p"
        " WHERE p.document_id = sel.document_id) END"
    )
