"""Agreement over a project, read from the database. Safe to call from a worker thread.

Which attributions count: live ones (not tombstoned) made by an annotator, excluding gold
(origin "adjudicated"): agreement measures the analysts, not the adjudication. An annotator
coded a document when they marked it done or made at least one such attribution on it
(`done_only=True` keeps only documents marked done).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from sqlalchemy import select

from annotator.model import AttributionRecord, Origin, WorkStatus
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import attribution_record
from annotator.team.agreement import AgreementReport, DocumentAnnotations, compute_agreement

ProgressFn = Callable[[int, int], None]  # (documents done, documents total)
CancelFn = Callable[[], bool]

_TEXT_BATCH = 200


class AgreementCancelled(RuntimeError):
    """Raised when the caller's `cancelled()` turned true."""


def _canonical(
    db: Database, table: type[schema.Actor] | type[schema.Target], project_id: str
) -> dict[str, str]:
    """Merged id -> the surviving record it was merged into (chains followed)."""
    with db.reader() as s:
        rows = s.execute(
            select(table.id, table.merged_into_id).where(
                table.project_id == project_id, table.merged_into_id.is_not(None)
            )
        ).all()
    parent = {old: into for old, into in rows}
    out: dict[str, str] = {}
    for start in parent:
        seen = {start}
        node = parent[start]
        while node in parent and node not in seen:  # guard against a cycle from bad data
            seen.add(node)
            node = parent[node]
        out[start] = node
    return out


def canonical_actors(db: Database, project_id: str) -> dict[str, str]:
    """Merged actor id -> the surviving actor it was merged into (chains followed)."""
    return _canonical(db, schema.Actor, project_id)


def canonical_targets(db: Database, project_id: str) -> dict[str, str]:
    """Merged target id -> the surviving target."""
    return _canonical(db, schema.Target, project_id)


def _load_coding(
    db: Database, project_id: str, done_only: bool
) -> tuple[dict[str, dict[str, list[AttributionRecord]]], dict[str, str]]:
    """doc id -> annotator id -> attributions, for documents coded by >= 2 annotators."""
    by_doc: dict[str, dict[str, list[AttributionRecord]]] = defaultdict(dict)
    with db.reader() as s:
        live_docs = (
            select(schema.Document.id)
            .where(schema.Document.project_id == project_id, schema.Document.deleted_at.is_(None))
            .scalar_subquery()
        )
        done = s.execute(
            select(schema.DocumentWork.document_id, schema.DocumentWork.annotator_id).where(
                schema.DocumentWork.document_id.in_(live_docs),
                schema.DocumentWork.status == str(WorkStatus.DONE),
            )
        ).all()
        for doc_id, ann in done:
            by_doc[doc_id].setdefault(ann, [])
        # Plain rows (no ORM identity map): a project can hold 100,000s of attributions, and
        # attribution_record only reads column values by name.
        table = schema.Attribution.__table__
        rows = s.execute(
            select(table).where(
                table.c.document_id.in_(live_docs),
                table.c.deleted_at.is_(None),
                table.c.annotator_id.is_not(None),
                table.c.origin != str(Origin.ADJUDICATED),
            )
        )
        for row in rows:
            coders = by_doc[row.document_id]
            if done_only and row.annotator_id not in coders:
                continue
            coders.setdefault(str(row.annotator_id), []).append(attribution_record(row))  # type: ignore[arg-type]
        names = dict(s.execute(select(schema.Annotator.id, schema.Annotator.name)).all())
    multi = {d: coders for d, coders in by_doc.items() if len(coders) >= 2}
    return multi, names


def _documents(
    db: Database, coding: dict[str, dict[str, list[AttributionRecord]]]
) -> Iterator[DocumentAnnotations]:
    """The coded documents in import order, texts read in batches."""
    with db.reader() as s:
        order = s.execute(
            select(schema.Document.id, schema.Document.seq).where(
                schema.Document.id.in_(list(coding))
            )
        ).all()
    ids = [doc_id for doc_id, _ in sorted(order, key=lambda r: r[1])]
    for i in range(0, len(ids), _TEXT_BATCH):
        batch = ids[i : i + _TEXT_BATCH]
        with db.reader() as s:
            rows = s.execute(
                select(schema.Document.id, schema.Document.title, schema.Document.text).where(
                    schema.Document.id.in_(batch)
                )
            ).all()
        found = {doc_id: (title, text) for doc_id, title, text in rows}
        for doc_id in batch:
            title, text = found[doc_id]
            yield DocumentAnnotations(doc_id, title or "", text, coding[doc_id])


def project_agreement(
    db: Database,
    project_id: str,
    *,
    min_overlap: float = 0.5,
    done_only: bool = False,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> AgreementReport:
    """Agreement report for a project. Raises AgreementCancelled when `cancelled()` is true."""
    with db.reader() as s:
        project = s.get(schema.Project, project_id)
        if project is None:
            raise KeyError(f"no project {project_id}")
        project_name = project.name
    coding, names = _load_coding(db, project_id, done_only)
    total = len(coding)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)
        if cancelled is not None and cancelled():
            raise AgreementCancelled("agreement cancelled")

    if cancelled is not None and cancelled():
        raise AgreementCancelled("agreement cancelled")
    if progress is not None:
        progress(0, total)
    coders = {a for doc in coding.values() for a in doc}
    return compute_agreement(
        _documents(db, coding),
        annotator_names={a: names.get(a, a) for a in coders},
        canonical_actor=canonical_actors(db, project_id),
        canonical_target=canonical_targets(db, project_id),
        min_overlap=min_overlap,
        project_name=project_name,
        on_document=step,
    )
