"""Review and adjudication services (team lead). No Qt: the review window calls these.

Gold = live attributions with origin "adjudicated", made by the reviewer, review_state
"accepted", `source_ids` = the analysts' attributions it was built from. Every action runs in
one unit of work, logs review_events, and returns a `ReviewChange` holding the records before and
after, so `revert_change` / `reapply_change` undo and redo it exactly (undo is logged too).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.model import AttributionRecord, Origin, ReviewState, WorkStatus, new_id, utcnow
from annotator.services.attributions import check_spans
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import attribution_columns, attribution_record
from annotator.team.alignment import field_differences
from annotator.team.review_models import (
    ReviewChange,
    ReviewError,
    StaleChangeError,
    WorkChange,
)
from annotator.team.review_queries import (
    comparison,
    comparison_in,
    outcomes_for,
    review_queue,
    reviewed_documents,
)

__all__ = [
    "accept",
    "comparison",
    "edit_gold",
    "outcomes_for",
    "reapply_change",
    "reject",
    "revert_change",
    "review_queue",
    "reviewed_documents",
    "submit_document",
]

# What a gold record takes over from the analyst's version it is built from.
_COPIED = ("content", "cue", "mention", "speaker_id", "via_id", "kind", "target_id", "polarity")
_COPIED += ("proposition", "note", "confidence")
# What a lead may change in a gold record.
EDITABLE = frozenset(_COPIED)


def _row(session: Session, attribution_id: str) -> schema.Attribution:
    row = session.get(schema.Attribution, attribution_id)
    if row is None or row.deleted_at is not None:
        raise KeyError(f"no live attribution {attribution_id}")
    return row


def _event(
    session: Session, attribution_id: str, reviewer_id: str | None, action: str, comment: str = ""
) -> None:
    session.add(
        schema.ReviewEvent(
            attribution_id=attribution_id, reviewer_id=reviewer_id, action=action, comment=comment
        )
    )


def _history(session: Session, record: AttributionRecord, reason: str) -> None:
    snapshot = attribution_columns(record)
    snapshot["updated_at"] = record.updated_at.isoformat() if record.updated_at else None
    session.add(
        schema.AttributionHistory(attribution_id=record.id, snapshot=snapshot, reason=reason)
    )


def _write(
    session: Session, row: schema.Attribution, record: AttributionRecord
) -> AttributionRecord:
    """Make `row` hold `record` (live); updated_at moves forward so merges see the newer edit."""
    for key, value in attribution_columns(record).items():
        if key != "id":
            setattr(row, key, value)
    row.deleted_at = None
    row.updated_at = utcnow()
    session.flush()
    return attribution_record(row)


def _set_state(
    session: Session,
    row: schema.Attribution,
    state: ReviewState,
    reviewer: str | None,
    comment: str,
) -> AttributionRecord:
    current = attribution_record(row)
    wanted = dataclasses.replace(
        current, review_state=state, reviewer_id=reviewer, review_comment=comment
    )
    return _write(session, row, wanted)


def submit_document(db: Database, document_id: str, annotator_id: str) -> ReviewChange:
    """The analyst hands the document in: their draft attributions, and rejected ones edited
    since the rejection, become submitted; their work status "done" (so a document with no
    quotes at all is reviewed too)."""
    with db.session() as s:
        rows = [
            row
            for row in s.scalars(
                select(schema.Attribution).where(
                    schema.Attribution.document_id == document_id,
                    schema.Attribution.annotator_id == annotator_id,
                    schema.Attribution.origin != str(Origin.ADJUDICATED),
                    schema.Attribution.review_state.in_(_RESUBMITTABLE),
                    schema.Attribution.deleted_at.is_(None),
                )
            )
            if row.review_state == str(ReviewState.DRAFT) or _edited_since_rejection(s, row)
        ]
        if s.scalar(select(schema.Document.id).where(schema.Document.id == document_id)) is None:
            raise KeyError(document_id)
        before: dict[str, AttributionRecord | None] = {}
        after: dict[str, AttributionRecord] = {}
        for row in rows:
            before[row.id] = attribution_record(row)
            after[row.id] = _set_state(s, row, ReviewState.SUBMITTED, None, "")
            _event(s, row.id, annotator_id, "submitted")
        work = _work_row(s, document_id, annotator_id)
        change = WorkChange(document_id, annotator_id, WorkStatus(work.status), WorkStatus.DONE)
        work.status = str(WorkStatus.DONE)
        work.updated_at = utcnow()
    return ReviewChange("submitted", document_id, before, after, work=change)


_RESUBMITTABLE = (str(ReviewState.DRAFT), str(ReviewState.REJECTED))


def _edited_since_rejection(session: Session, row: schema.Attribution) -> bool:
    rejected_at = session.scalar(
        select(func.max(schema.ReviewEvent.created_at)).where(
            schema.ReviewEvent.attribution_id == row.id,
            schema.ReviewEvent.action == "rejected",
        )
    )
    return rejected_at is not None and row.updated_at > rejected_at


def _work_row(session: Session, document_id: str, annotator_id: str) -> schema.DocumentWork:
    row = session.scalar(
        select(schema.DocumentWork).where(
            schema.DocumentWork.document_id == document_id,
            schema.DocumentWork.annotator_id == annotator_id,
        )
    )
    if row is None:
        row = schema.DocumentWork(
            document_id=document_id, annotator_id=annotator_id, status=str(WorkStatus.NEW)
        )
        session.add(row)
        session.flush()
    return row


def _analyst_record(
    session: Session, attribution_id: str
) -> tuple[schema.Attribution, AttributionRecord]:
    row = _row(session, attribution_id)
    record = attribution_record(row)
    if record.origin == Origin.ADJUDICATED:
        raise ReviewError("this is a gold record; edit it instead of accepting or rejecting it")
    return row, record


def accept(
    db: Database, attribution_id: str, reviewer_id: str, into_gold: bool = True
) -> ReviewChange:
    """Accept an analyst's version. With `into_gold`, the gold record of its quote is created
    (or replaced) from it; every version identical to it is marked accepted and becomes a
    source; versions the previous gold came from but the new one does not go back to submitted.
    """
    with db.session() as s:
        row, record = _analyst_record(s, attribution_id)
        before: dict[str, AttributionRecord | None] = {}
        after: dict[str, AttributionRecord] = {}
        if not into_gold:
            before[row.id] = record
            after[row.id] = _set_state(s, row, ReviewState.ACCEPTED, reviewer_id, "")
            _event(s, row.id, reviewer_id, "accepted")
            return ReviewChange("accepted", record.document_id, before, after)
        group = comparison_in(s, record.document_id).group_of(record.id)
        versions = list(group.members.values()) if group else [record]
        sources = [v for v in versions if v.id == record.id or not field_differences(record, v)]
        old_gold = group.gold if group else None
        fields: dict[str, Any] = {f: getattr(record, f) for f in _COPIED}
        common = dict(
            annotator_id=reviewer_id,
            origin=Origin.ADJUDICATED,
            review_state=ReviewState.ACCEPTED,
            reviewer_id=reviewer_id,
            review_comment="",
            source_ids=tuple(v.id for v in sources),
        )
        if old_gold is None:
            gold = AttributionRecord(
                id=new_id(), document_id=record.document_id, **fields, **common
            )
            check_spans(gold, _doc_length(s, gold.document_id))
            gold_row = schema.Attribution(**attribution_columns(gold))
            s.add(gold_row)
            s.flush()
            before[gold.id] = None
            after[gold.id] = attribution_record(gold_row)
        else:
            gold_row = _row(s, old_gold.id)
            _history(s, old_gold, "adjudication")
            before[old_gold.id] = old_gold
            after[old_gold.id] = _write(
                s, gold_row, dataclasses.replace(old_gold, **fields, **common)
            )
        _event(s, gold_row.id, reviewer_id, "adjudicated")
        for v in sources:
            if v.review_state != ReviewState.ACCEPTED or v.reviewer_id != reviewer_id:
                before[v.id] = v
                after[v.id] = _set_state(s, _row(s, v.id), ReviewState.ACCEPTED, reviewer_id, "")
            _event(s, v.id, reviewer_id, "accepted")
        dropped = set(old_gold.source_ids if old_gold else ()) - {v.id for v in sources}
        for v in versions:
            if v.id in dropped and v.review_state == ReviewState.ACCEPTED:
                before[v.id] = v
                after[v.id] = _set_state(s, _row(s, v.id), ReviewState.SUBMITTED, None, "")
                _event(s, v.id, reviewer_id, "unaccepted")
    return ReviewChange("accepted", record.document_id, before, after, gold_id=gold_row.id)


def _doc_length(session: Session, document_id: str) -> int:
    length = session.scalar(select(schema.Document.length).where(schema.Document.id == document_id))
    if length is None:
        raise KeyError(document_id)
    return length


def reject(db: Database, attribution_id: str, reviewer_id: str, comment: str) -> ReviewChange:
    """Reject an analyst's version with a comment the analyst will read."""
    comment = comment.strip()
    if not comment:
        raise ReviewError("a rejection needs a comment for the analyst")
    with db.session() as s:
        row, record = _analyst_record(s, attribution_id)
        after = _set_state(s, row, ReviewState.REJECTED, reviewer_id, comment)
        _event(s, row.id, reviewer_id, "rejected", comment)
    return ReviewChange("rejected", record.document_id, {row.id: record}, {row.id: after})


def edit_gold(db: Database, gold_id: str, reviewer_id: str, **changes: Any) -> ReviewChange:
    """Change fields of a gold record (any of EDITABLE); the old version goes to history."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ReviewError(f"cannot edit {', '.join(sorted(unknown))} of a gold record")
    if "content" in changes:
        changes["content"] = tuple(sorted(changes["content"]))
    with db.session() as s:
        row = _row(s, gold_id)
        old = attribution_record(row)
        if old.origin != Origin.ADJUDICATED:
            raise ReviewError("only gold (adjudicated) records are edited here")
        new = dataclasses.replace(old, reviewer_id=reviewer_id, **changes)
        check_spans(new, _doc_length(s, old.document_id))
        _history(s, old, "gold edit")
        after = _write(s, row, new)
        _event(s, row.id, reviewer_id, "edited", ", ".join(sorted(changes)))
    return ReviewChange(
        "edited", old.document_id, {gold_id: old}, {gold_id: after}, gold_id=gold_id
    )


def _same(row: schema.Attribution | None, record: AttributionRecord | None) -> bool:
    """Whether the row currently holds `record` (None: the row is absent or tombstoned)."""
    if record is None:
        return row is None or row.deleted_at is not None
    if row is None or row.deleted_at is not None:
        return False
    return attribution_columns(attribution_record(row)) == attribution_columns(record)


def _apply(
    db: Database,
    change: ReviewChange,
    frm: dict[str, AttributionRecord | None],
    to: dict[str, AttributionRecord | None],
    reviewer_id: str | None,
    action: str,
    undo: bool,
) -> None:
    with db.session() as s:
        rows = {i: s.get(schema.Attribution, i) for i in change.after}
        stale = [i for i in change.after if not _same(rows[i], frm[i])]
        if stale:
            raise StaleChangeError(
                f"{len(stale)} record(s) changed since this {change.action} action; not undone"
            )
        for att_id, record in to.items():
            row = rows[att_id]
            if record is None:
                assert row is not None
                row.deleted_at = row.updated_at = utcnow()
            elif row is None:
                s.add(schema.Attribution(**attribution_columns(record)))
            else:
                _write(s, row, record)
            _event(s, att_id, reviewer_id, action)
        if change.work is not None:
            w = change.work
            work = _work_row(s, w.document_id, w.annotator_id)
            work.status = str(w.before if undo else w.after)
            work.updated_at = utcnow()


def revert_change(db: Database, change: ReviewChange, reviewer_id: str | None = None) -> None:
    """Undo `change` exactly: records back as before (created ones tombstoned), event logged.
    Raises StaleChangeError, touching nothing, when the records changed in between."""
    frm: dict[str, AttributionRecord | None] = dict(change.after)
    _apply(db, change, frm, dict(change.before), reviewer_id, "reverted", True)


def reapply_change(db: Database, change: ReviewChange, reviewer_id: str | None = None) -> None:
    """Redo `change` after `revert_change`: the records become exactly `change.after` again."""
    to: dict[str, AttributionRecord | None] = dict(change.after)
    _apply(db, change, dict(change.before), to, reviewer_id, change.action, False)
