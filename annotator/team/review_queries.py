"""Read side of review: the queue, the side-by-side comparison, analysts' outcomes.

"Submitted work" on a document = an analyst's live attributions that left draft (submitted,
accepted or rejected); and when the analyst's work status is "done", all their live
attributions (marking a document done hands it in, even without `submit_document`; a document
done with no quotes at all still reaches the lead). Gold = live attributions with origin "adjudicated".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import Session

from annotator.model import (
    AnnotatorRecord,
    AttributionRecord,
    Origin,
    ReviewState,
    Span,
    WorkStatus,
)
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import attribution_record
from annotator.team.alignment import align, field_differences
from annotator.team.review_models import (
    ComparisonGroup,
    DocumentComparison,
    Outcome,
    QueueItem,
    ReviewedDocument,
)

GOLD = str(Origin.ADJUDICATED)
DRAFT = str(ReviewState.DRAFT)
SUBMITTED = str(ReviewState.SUBMITTED)
_A = schema.Attribution


def _names(session: Session, table: type, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = session.execute(select(table.id, table.name).where(table.id.in_(wanted)))
    return {i: n for i, n in rows}


def review_queue(
    db: Database, project_id: str, document_ids: Collection[str] | None = None
) -> list[QueueItem]:
    """Documents of the project with submitted work, in document order (only `document_ids`
    when given: the window refreshes one entry after a decision, not the whole queue)."""
    with db.reader() as s:
        live = (_A.deleted_at.is_(None), schema.Document.deleted_at.is_(None))
        in_project = and_(
            schema.Document.project_id == project_id,
            true() if document_ids is None else schema.Document.id.in_(list(document_ids)),
        )
        rows = s.execute(
            select(_A.document_id, _A.annotator_id, _A.origin, _A.review_state, func.count())
            .join(schema.Document, schema.Document.id == _A.document_id)
            .where(in_project, *live)
            .group_by(_A.document_id, _A.annotator_id, _A.origin, _A.review_state)
        ).all()
        done = s.execute(
            select(schema.DocumentWork.document_id, schema.DocumentWork.annotator_id)
            .join(schema.Document, schema.Document.id == schema.DocumentWork.document_id)
            .where(in_project, schema.DocumentWork.status == str(WorkStatus.DONE))
        ).all()
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        pending: dict[str, int] = defaultdict(int)
        gold: dict[str, int] = defaultdict(int)
        finished = set(done)
        for doc_id, ann_id, origin, state, n in rows:
            if origin == GOLD:
                gold[doc_id] += n
            elif ann_id is not None and state == DRAFT and (doc_id, ann_id) in finished:
                counts[doc_id][ann_id] += n  # marked done without submitting: awaiting review
                pending[doc_id] += n
            elif state != DRAFT and ann_id is not None:
                counts[doc_id][ann_id] += n
                pending[doc_id] += n if state == SUBMITTED else 0
        for doc_id, ann_id in done:
            counts[doc_id][ann_id] += 0
        if not counts:
            return []
        docs = s.execute(
            select(schema.Document.id, schema.Document.title)
            .where(schema.Document.id.in_(counts))
            .order_by(schema.Document.seq)
        ).all()
        names = _names(s, schema.Annotator, {a for c in counts.values() for a in c})
    items = []
    for doc_id, title in docs:
        by_name = {names.get(a, a): n for a, n in counts[doc_id].items()}
        items.append(
            QueueItem(
                document_id=doc_id,
                title=title or "(untitled)",
                annotators=tuple(sorted(by_name, key=str.casefold)),
                counts=by_name,
                pending=pending[doc_id],
                gold_count=gold[doc_id],
            )
        )
    return items


def _content_overlap(a: AttributionRecord, b: AttributionRecord) -> int:
    return sum(
        max(0, min(x.end, y.end) - max(x.start, y.start)) for x in a.content for y in b.content
    )


def _attach_gold(
    groups: list[dict[str, AttributionRecord]], gold: list[AttributionRecord]
) -> list[AttributionRecord | None]:
    """Pair each group with its gold: by source_ids first, else the best content overlap."""
    out: list[AttributionRecord | None] = [None] * len(groups)
    loose: list[AttributionRecord] = []
    for g in gold:
        sources = set(g.source_ids)
        hit = next(
            (
                i
                for i, m in enumerate(groups)
                if out[i] is None and sources & {r.id for r in m.values()}
            ),
            None,
        )
        if hit is None:
            loose.append(g)
        else:
            out[hit] = g
    for g in loose:
        best = max(
            (
                (_content_overlap(g, r), i)
                for i, m in enumerate(groups)
                if out[i] is None
                for r in m.values()
            ),
            default=(0, -1),
        )
        if best[0] > 0:
            out[best[1]] = g
        else:  # a quote only the lead marked: a group of its own
            groups.append({})
            out.append(g)
    return out


def comparison_in(session: Session, document_id: str) -> DocumentComparison:
    """The comparison of one document, inside an open session (actions reuse it)."""
    doc = session.scalar(select(schema.Document).where(schema.Document.id == document_id))
    if doc is None:
        raise KeyError(document_id)
    records = [
        attribution_record(r)
        for r in session.scalars(
            select(_A).where(_A.document_id == document_id, _A.deleted_at.is_(None))
        )
    ]
    gold = sorted((r for r in records if r.origin == Origin.ADJUDICATED), key=_position)
    # An analyst who marked the document done has handed in all of it, drafts included.
    finished = set(
        session.scalars(
            select(schema.DocumentWork.annotator_id).where(
                schema.DocumentWork.document_id == document_id,
                schema.DocumentWork.status == str(WorkStatus.DONE),
            )
        )
    )
    by_annotator: dict[str, list[AttributionRecord]] = {a: [] for a in finished}
    for r in records:
        if r.origin == Origin.ADJUDICATED or not r.annotator_id:
            continue
        if r.review_state != ReviewState.DRAFT or r.annotator_id in finished:
            by_annotator.setdefault(r.annotator_id, []).append(r)
    ann_names = _names(session, schema.Annotator, [*by_annotator, *(g.annotator_id for g in gold)])
    annotators = tuple(
        sorted(
            (AnnotatorRecord(a, ann_names.get(a, a)) for a in by_annotator),
            key=lambda a: (a.name.casefold(), a.id),
        )
    )
    aligned = align(by_annotator, doc.text)
    member_maps = [dict(g.members) for g in aligned]
    overlaps = [g.overlap for g in aligned]
    golds = _attach_gold(member_maps, gold)
    groups = []
    for i, members in enumerate(member_maps):
        versions = list(members.values())
        diffs = {
            f for a in versions for b in versions if a.id < b.id for f in field_differences(a, b)
        }
        groups.append(
            ComparisonGroup(
                index=0,
                members=members,
                overlap=overlaps[i] if i < len(overlaps) else 1.0,
                differences=frozenset(diffs),
                missing=tuple(a.id for a in annotators if a.id not in members),
                gold=golds[i],
            )
        )
    groups.sort(key=lambda g: (g.start, min((r.id for r in g.members.values()), default="")))
    groups = [_renumber(g, i) for i, g in enumerate(groups)]
    used = [*records]
    return DocumentComparison(
        document_id=document_id,
        title=doc.title or "(untitled)",
        text=doc.text,
        annotators=annotators,
        groups=tuple(groups),
        gold=tuple(gold),
        actor_names=_names(
            session, schema.Actor, [x for r in used for x in (r.speaker_id, r.via_id)]
        ),
        target_names=_names(session, schema.Target, [r.target_id for r in used]),
        annotator_names=ann_names,
    )


def _position(r: AttributionRecord) -> tuple[int, int, str]:
    return (r.start, r.end, r.id)


def _renumber(g: ComparisonGroup, index: int) -> ComparisonGroup:
    return ComparisonGroup(index, g.members, g.overlap, g.differences, g.missing, g.gold)


def comparison(db: Database, document_id: str) -> DocumentComparison:
    """Each analyst's submitted attributions aligned into groups, differences marked, + gold."""
    with db.reader() as s:
        return comparison_in(s, document_id)


def _excerpt(text: str, spans: Iterable[Span], limit: int = 120) -> str:
    joined = " … ".join(text[s.start : s.end] for s in sorted(spans))
    if len(joined) <= limit:
        return joined
    half = limit // 2 - 1
    head, tail = joined[:half], joined[-half:]
    # cut at word boundaries so the excerpt never shows half a word
    head = head.rsplit(" ", 1)[0] if " " in head else head
    tail = tail.split(" ", 1)[1] if " " in tail else tail
    return head + " … " + tail


def outcomes_for(db: Database, document_id: str, annotator_id: str) -> list[Outcome]:
    """The analyst's live attributions on a document with review state, reviewer and comment."""
    with db.reader() as s:
        text = s.scalar(select(schema.Document.text).where(schema.Document.id == document_id))
        if text is None:
            raise KeyError(document_id)
        rows = s.scalars(
            select(_A).where(
                _A.document_id == document_id,
                _A.annotator_id == annotator_id,
                _A.origin != GOLD,
                _A.deleted_at.is_(None),
            )
        )
        records = sorted((attribution_record(r) for r in rows), key=_position)
        gold_sources = {
            i
            for ids in s.scalars(
                select(_A.source_ids).where(
                    _A.document_id == document_id, _A.origin == GOLD, _A.deleted_at.is_(None)
                )
            )
            for i in ids or ()
        }
        reviewers = _names(s, schema.Annotator, [r.reviewer_id for r in records])
        decided: dict[str, object] = {}
        if records:
            for att_id, at in s.execute(
                select(schema.ReviewEvent.attribution_id, func.max(schema.ReviewEvent.created_at))
                .where(
                    schema.ReviewEvent.attribution_id.in_([r.id for r in records]),
                    schema.ReviewEvent.action.in_(("accepted", "rejected")),
                )
                .group_by(schema.ReviewEvent.attribution_id)
            ):
                decided[att_id] = at
    return [
        Outcome(
            attribution=r,
            excerpt=_excerpt(text, r.content),
            state=r.review_state,
            reviewer=reviewers.get(r.reviewer_id or "", ""),
            comment=r.review_comment,
            decided_at=decided.get(r.id) if r.review_state in _DECIDED else None,  # type: ignore[arg-type]
            in_gold=r.id in gold_sources,
        )
        for r in records
    ]


_DECIDED = (ReviewState.ACCEPTED, ReviewState.REJECTED)


def reviewed_documents(
    db: Database, annotator_id: str, project_id: str | None = None
) -> list[ReviewedDocument]:
    """Documents (of one project, or all) on which the analyst has submitted work or which they
    marked done, with counts by review state, in document order."""
    in_project = () if project_id is None else (schema.Document.project_id == project_id,)
    live_doc = (schema.Document.deleted_at.is_(None), *in_project)
    with db.reader() as s:
        finished = set(
            s.scalars(
                select(schema.DocumentWork.document_id)
                .join(schema.Document, schema.Document.id == schema.DocumentWork.document_id)
                .where(
                    schema.DocumentWork.annotator_id == annotator_id,
                    schema.DocumentWork.status == str(WorkStatus.DONE),
                    *live_doc,
                )
            )
        )
        rows = s.execute(
            select(schema.Document.id, _A.review_state, func.count())
            .join(schema.Document, schema.Document.id == _A.document_id)
            .where(
                _A.annotator_id == annotator_id,
                _A.origin != GOLD,
                _A.deleted_at.is_(None),
                *live_doc,
            )
            .group_by(schema.Document.id, _A.review_state)
        ).all()
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for doc_id, state, n in rows:
            if state != DRAFT or doc_id in finished:
                counts[doc_id][state] = n
        for doc_id in finished:
            counts.setdefault(doc_id, {})
        docs = s.execute(
            select(schema.Document.id, schema.Document.title)
            .where(schema.Document.id.in_(counts))
            .order_by(schema.Document.seq)
        ).all()
    return [
        ReviewedDocument(doc_id, title or "(untitled)", counts[doc_id], doc_id in finished)
        for doc_id, title in docs
    ]
