"""Progress dashboard data: documents done and attributions made per annotator, by day.

A document counts as done on the day its work status was last set to done (document_work's
updated_at); an attribution counts on the day it was created. Tombstoned attributions and
deleted documents are left out. Days are UTC calendar days.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from sqlalchemy import func, select

from annotator.model import WorkStatus
from annotator.storage import schema
from annotator.storage.engine import Database


@dataclass(frozen=True)
class ProgressData:
    """Daily counts per annotator over a continuous range of days (oldest first)."""

    days: list[date]
    annotator_names: dict[str, str]  # id -> name, for annotators with any activity
    documents_done: dict[str, list[int]]  # annotator id -> count per day
    attributions: dict[str, list[int]]  # annotator id -> count per day
    total_documents: int
    status_counts: dict[str, dict[str, int]]  # annotator id -> status -> documents

    @property
    def annotators(self) -> list[str]:
        """Annotator ids ordered by name."""
        return sorted(self.annotator_names, key=lambda a: (self.annotator_names[a].casefold(), a))

    @staticmethod
    def cumulative(series: list[int]) -> list[int]:
        return list(accumulate(series))


def _by_day(rows: list[tuple[str, str, int]]) -> dict[str, dict[date, int]]:
    out: dict[str, dict[date, int]] = defaultdict(dict)
    for annotator, day, count in rows:
        if day is not None:
            out[annotator][date.fromisoformat(str(day)[:10])] = int(count)
    return out


def project_progress(db: Database, project_id: str) -> ProgressData:
    live_docs = (
        select(schema.Document.id)
        .where(schema.Document.project_id == project_id, schema.Document.deleted_at.is_(None))
        .scalar_subquery()
    )
    with db.reader() as s:
        work_day = func.date(schema.DocumentWork.updated_at)
        done_rows = s.execute(
            select(schema.DocumentWork.annotator_id, work_day, func.count())
            .where(
                schema.DocumentWork.document_id.in_(live_docs),
                schema.DocumentWork.status == str(WorkStatus.DONE),
            )
            .group_by(schema.DocumentWork.annotator_id, work_day)
        ).all()
        created_day = func.date(schema.Attribution.created_at)
        attr_rows = s.execute(
            select(schema.Attribution.annotator_id, created_day, func.count())
            .where(
                schema.Attribution.document_id.in_(live_docs),
                schema.Attribution.deleted_at.is_(None),
                schema.Attribution.annotator_id.is_not(None),
            )
            .group_by(schema.Attribution.annotator_id, created_day)
        ).all()
        status_rows = s.execute(
            select(schema.DocumentWork.annotator_id, schema.DocumentWork.status, func.count())
            .where(schema.DocumentWork.document_id.in_(live_docs))
            .group_by(schema.DocumentWork.annotator_id, schema.DocumentWork.status)
        ).all()
        total = int(
            s.scalar(
                select(func.count())
                .select_from(schema.Document)
                .where(
                    schema.Document.project_id == project_id,
                    schema.Document.deleted_at.is_(None),
                )
            )
            or 0
        )
        names = dict(s.execute(select(schema.Annotator.id, schema.Annotator.name)).all())

    done = _by_day([tuple(r) for r in done_rows])  # type: ignore[misc]
    made = _by_day([tuple(r) for r in attr_rows])  # type: ignore[misc]
    status: dict[str, dict[str, int]] = defaultdict(dict)
    for annotator, state, count in status_rows:
        status[annotator][state] = int(count)
    active = set(done) | set(made) | set(status)
    all_days = [d for series in (*done.values(), *made.values()) for d in series]
    days: list[date] = []
    if all_days:
        first, last = min(all_days), max(all_days)
        days = [first + timedelta(n) for n in range((last - first).days + 1)]

    def series(source: dict[str, dict[date, int]], annotator: str) -> list[int]:
        counts = source.get(annotator, {})
        return [counts.get(d, 0) for d in days]

    return ProgressData(
        days=days,
        annotator_names={a: names.get(a, a) for a in active},
        documents_done={a: series(done, a) for a in active},
        attributions={a: series(made, a) for a in active},
        total_documents=total,
        status_counts={a: dict(status.get(a, {})) for a in active},
    )
