"""Review and adjudication services: queue, comparison, accept/reject/edit, exact undo/redo."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from annotator.model import Kind, Origin, Polarity, ReviewState, Span, WorkStatus
from annotator.native import parse_attribution
from annotator.services import attributions as attr
from annotator.services import registries as reg
from annotator.services.documents import DocumentDraft, add_document, get_work_status
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.records import attribution_columns
from annotator.team import review
from annotator.team.review_models import ReviewError, StaleChangeError

TEXT = (
    "Raisi said that stability depends on the region. "
    "He added: “Outsiders benefit no one.” "
    "Aliyev, according to APA, rejected the plan."
)


@dataclass
class Setup:
    project_id: str
    doc_id: str
    ann1: str
    ann2: str
    lead: str
    raisi: str
    aliyev: str
    stability: str


def _span(text: str, sub: str) -> Span:
    start = TEXT.index(sub)
    return Span(start, start + len(sub))


def make_setup(db: Database) -> Setup:
    project = get_or_create_project(db, "P")
    with db.session() as s:
        doc_id = add_document(s, project.id, DocumentDraft(text=TEXT, title="Raisi"))[0].id
    raisi = reg.create_actor(db, project.id, "Ebrahim Raisi").id
    aliyev = reg.create_actor(db, project.id, "Ilham Aliyev").id
    stability = reg.create_target(db, project.id, "Regional stability").id
    return Setup(
        project.id,
        doc_id,
        get_or_create_annotator(db, "ann1").id,
        get_or_create_annotator(db, "ann2").id,
        get_or_create_annotator(db, "lead").id,
        raisi,
        aliyev,
        stability,
    )


def two_analysts(db: Database, x: Setup) -> dict[str, str]:
    """ann1 and ann2 mark the same three quotes; they differ on quote 1 (boundaries, polarity),
    agree on quote 2, and only ann1 marks quote 3. Both submit."""
    ids = {}
    for ann, content, pol in (
        (x.ann1, "stability depends on the region", Polarity.SUPPORT),
        (x.ann2, "that stability depends on the region", Polarity.NEUTRAL),
    ):
        key = "q1_" + ("a" if ann == x.ann1 else "b")
        ids[key] = attr.new_attribution(
            db,
            x.doc_id,
            ann,
            [_span(TEXT, content)],
            cue=_span(TEXT, "said"),
            speaker_id=x.raisi,
            target_id=x.stability,
            polarity=pol,
        ).id
    for ann, key in ((x.ann1, "q2_a"), (x.ann2, "q2_b")):
        ids[key] = attr.new_attribution(
            db,
            x.doc_id,
            ann,
            [_span(TEXT, "Outsiders benefit no one.")],
            cue=_span(TEXT, "added"),
            speaker_id=x.raisi,
            kind=Kind.DIRECT,
            polarity=Polarity.OPPOSE,
        ).id
    ids["q3_a"] = attr.new_attribution(
        db, x.doc_id, x.ann1, [_span(TEXT, "rejected the plan")], speaker_id=x.aliyev
    ).id
    review.submit_document(db, x.doc_id, x.ann1)
    review.submit_document(db, x.doc_id, x.ann2)
    return ids


def dump(db: Database) -> dict[str, dict]:
    """Every attribution row's columns (live flag, no timestamps) and work statuses."""
    with db.session() as s:
        out = {
            r.id: {**attribution_columns(_rec(r)), "live": r.deleted_at is None}
            for r in s.scalars(select(schema.Attribution))
        }
        for w in s.scalars(select(schema.DocumentWork)):
            out[f"work:{w.annotator_id}"] = {"status": w.status}
    return out


def _rec(row: schema.Attribution):  # noqa: ANN202
    from annotator.storage.records import attribution_record

    return attribution_record(row)


def events(db: Database, attribution_id: str) -> list[tuple[str, str]]:
    with db.session() as s:
        rows = s.scalars(
            select(schema.ReviewEvent)
            .where(schema.ReviewEvent.attribution_id == attribution_id)
            .order_by(schema.ReviewEvent.created_at)
        )
        return [(e.action, e.comment) for e in rows]


def test_submit_makes_drafts_submitted_and_reaches_queue(db: Database) -> None:
    x = make_setup(db)
    a = attr.new_attribution(db, x.doc_id, x.ann1, [Span(0, 5)])
    assert review.review_queue(db, x.project_id) == []
    change = review.submit_document(db, x.doc_id, x.ann1)
    assert attr.get_attribution(db, a.id).review_state is ReviewState.SUBMITTED
    assert events(db, a.id) == [("submitted", "")]
    assert get_work_status(db, x.doc_id, x.ann1) is WorkStatus.DONE
    [item] = review.review_queue(db, x.project_id)
    assert (item.document_id, item.annotators, item.counts, item.pending) == (
        x.doc_id,
        ("ann1",),
        {"ann1": 1},
        1,
    )
    assert not item.has_gold
    review.revert_change(db, change)
    assert attr.get_attribution(db, a.id).review_state is ReviewState.DRAFT
    assert get_work_status(db, x.doc_id, x.ann1) is WorkStatus.NEW
    assert review.review_queue(db, x.project_id) == []


def test_document_submitted_without_quotes_is_queued(db: Database) -> None:
    x = make_setup(db)
    review.submit_document(db, x.doc_id, x.ann2)
    [item] = review.review_queue(db, x.project_id)
    assert item.counts == {"ann2": 0} and item.pending == 0
    assert [a.name for a in review.comparison(db, x.doc_id).annotators] == ["ann2"]


def test_drafts_are_not_compared(db: Database) -> None:
    x = make_setup(db)
    attr.new_attribution(db, x.doc_id, x.ann1, [Span(0, 5)])
    cmp = review.comparison(db, x.doc_id)
    assert cmp.groups == () and cmp.annotators == ()


def test_comparison_aligns_and_marks_differences(db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    cmp = review.comparison(db, x.doc_id)
    assert [a.name for a in cmp.annotators] == ["ann1", "ann2"]
    assert len(cmp.groups) == 3
    g1, g2, g3 = cmp.groups
    assert {r.id for r in g1.members.values()} == {ids["q1_a"], ids["q1_b"]}
    assert g1.differences == {"content", "polarity"}
    assert g1.differs("content") and g1.differs("polarity") and not g1.differs("speaker")
    assert not g1.agreed
    assert g2.agreed and g2.differences == frozenset()
    assert g3.missing == (x.ann2,) and g3.differs("content") and not g3.agreed
    assert cmp.actor_names[x.raisi] == "Ebrahim Raisi"
    assert cmp.target_names[x.stability] == "Regional stability"
    assert all(g.gold is None for g in cmp.groups)


def test_accept_creates_gold_linked_to_sources(db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    change = review.accept(db, ids["q2_b"], x.lead)
    gold = attr.get_attribution(db, change.gold_id)
    assert gold.origin is Origin.ADJUDICATED
    assert gold.review_state is ReviewState.ACCEPTED
    assert gold.annotator_id == x.lead and gold.reviewer_id == x.lead
    assert set(gold.source_ids) == {ids["q2_a"], ids["q2_b"]}  # identical versions both count
    assert gold.content == attr.get_attribution(db, ids["q2_b"]).content
    assert gold.kind is Kind.DIRECT and gold.polarity is Polarity.OPPOSE
    for key in ("q2_a", "q2_b"):
        src = attr.get_attribution(db, ids[key])
        assert src.review_state is ReviewState.ACCEPTED and src.reviewer_id == x.lead
        assert events(db, ids[key])[-1] == ("accepted", "")
    assert events(db, gold.id) == [("adjudicated", "")]
    cmp = review.comparison(db, x.doc_id)
    assert cmp.groups[1].gold == gold and cmp.gold == (gold,)
    [item] = review.review_queue(db, x.project_id)
    assert item.gold_count == 1 and item.pending == 3


def test_accept_other_version_replaces_gold_and_keeps_history(db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    first = review.accept(db, ids["q1_a"], x.lead)
    assert attr.get_attribution(db, first.gold_id).source_ids == (ids["q1_a"],)
    assert attr.get_attribution(db, ids["q1_b"]).review_state is ReviewState.SUBMITTED
    second = review.accept(db, ids["q1_b"], x.lead)
    assert second.gold_id == first.gold_id  # the quote's gold is updated, not duplicated
    gold = attr.get_attribution(db, second.gold_id)
    assert gold.polarity is Polarity.NEUTRAL and gold.source_ids == (ids["q1_b"],)
    assert attr.get_attribution(db, ids["q1_a"]).review_state is ReviewState.SUBMITTED
    assert attr.get_attribution(db, ids["q1_b"]).review_state is ReviewState.ACCEPTED
    with db.session() as s:
        [hist] = s.scalars(
            select(schema.AttributionHistory).where(
                schema.AttributionHistory.attribution_id == gold.id
            )
        ).all()
        assert hist.snapshot["polarity"] == "support" and hist.reason == "adjudication"
    assert len(review.comparison(db, x.doc_id).gold) == 1


def test_accept_without_gold_only_marks_state(db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    change = review.accept(db, ids["q3_a"], x.lead, into_gold=False)
    assert change.gold_id is None
    assert attr.get_attribution(db, ids["q3_a"]).review_state is ReviewState.ACCEPTED
    assert review.comparison(db, x.doc_id).gold == ()


def test_reject_needs_comment_and_shows_in_outcomes(db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    with pytest.raises(ReviewError):
        review.reject(db, ids["q3_a"], x.lead, "   ")
    review.reject(db, ids["q3_a"], x.lead, "Aliyev is reported via APA: set via.")
    rec = attr.get_attribution(db, ids["q3_a"])
    assert rec.review_state is ReviewState.REJECTED and rec.reviewer_id == x.lead
    assert events(db, rec.id)[-1] == ("rejected", "Aliyev is reported via APA: set via.")
    review.accept(db, ids["q2_a"], x.lead)
    outcomes = {o.attribution.id: o for o in review.outcomes_for(db, x.doc_id, x.ann1)}
    assert outcomes[rec.id].comment == "Aliyev is reported via APA: set via."
    assert outcomes[rec.id].reviewer == "lead" and outcomes[rec.id].decided_at is not None
    assert outcomes[rec.id].excerpt == "rejected the plan" and not outcomes[rec.id].in_gold
    assert outcomes[ids["q2_a"]].state is ReviewState.ACCEPTED and outcomes[ids["q2_a"]].in_gold
    assert outcomes[ids["q1_a"]].state is ReviewState.SUBMITTED
    assert outcomes[ids["q1_a"]].decided_at is None
    [doc] = review.reviewed_documents(db, x.ann1)
    assert doc.counts == {"submitted": 1, "accepted": 1, "rejected": 1}


def test_resubmit_sends_back_only_rejections_the_analyst_edited(db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    review.reject(db, ids["q3_a"], x.lead, "set via APA")
    review.reject(db, ids["q1_a"], x.lead, "too short")
    assert review.submit_document(db, x.doc_id, x.ann1).after == {}  # nothing edited yet
    attr.update_attribution(db, ids["q3_a"], via_id=x.aliyev)
    change = review.submit_document(db, x.doc_id, x.ann1)
    assert set(change.after) == {ids["q3_a"]}
    assert attr.get_attribution(db, ids["q3_a"]).review_state is ReviewState.SUBMITTED
    assert attr.get_attribution(db, ids["q1_a"]).review_state is ReviewState.REJECTED
    review.revert_change(db, change, x.ann1)
    assert attr.get_attribution(db, ids["q3_a"]).review_comment == "set via APA"


def test_gold_cannot_be_accepted_or_rejected(db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    gold_id = review.accept(db, ids["q2_a"], x.lead).gold_id
    assert gold_id is not None
    with pytest.raises(ReviewError):
        review.reject(db, gold_id, x.lead, "no")
    with pytest.raises(ReviewError):
        review.accept(db, gold_id, x.lead)
    with pytest.raises(ReviewError):
        review.edit_gold(db, ids["q2_a"], x.lead, polarity=Polarity.SUPPORT)


def test_edit_gold_and_revert(db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    gold_id = review.accept(db, ids["q1_a"], x.lead).gold_id
    assert gold_id is not None
    before = dump(db)
    change = review.edit_gold(
        db, gold_id, x.lead, polarity=Polarity.OPPOSE, content=[_span(TEXT, "stability")]
    )
    gold = attr.get_attribution(db, gold_id)
    assert gold.polarity is Polarity.OPPOSE and gold.content == (_span(TEXT, "stability"),)
    assert events(db, gold_id)[-1] == ("edited", "content, polarity")
    with pytest.raises(ReviewError):
        review.edit_gold(db, gold_id, x.lead, origin=Origin.MANUAL)
    with pytest.raises(attr.SpanError):
        review.edit_gold(db, gold_id, x.lead, content=[Span(0, len(TEXT) + 1)])
    review.revert_change(db, change, x.lead)
    assert dump(db) == before


def test_revert_and_reapply_are_exact(db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    start = dump(db)
    change = review.accept(db, ids["q2_a"], x.lead)
    done = dump(db)
    review.revert_change(db, change, x.lead)
    undone = dump(db)
    # The created gold stays as a tombstone (never erased); everything else is as before.
    assert undone.pop(change.gold_id)["live"] is False
    assert undone == start
    review.reapply_change(db, change, x.lead)
    assert dump(db) == done
    assert [a for a, _ in events(db, ids["q2_a"])] == [
        "submitted",
        "accepted",
        "reverted",
        "accepted",
    ]


def test_stale_undo_is_refused_and_changes_nothing(db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    change = review.reject(db, ids["q3_a"], x.lead, "wrong speaker")
    attr.update_attribution(db, ids["q3_a"], note="analyst fixed it")
    before = dump(db)
    with pytest.raises(StaleChangeError):
        review.revert_change(db, change, x.lead)
    assert dump(db) == before


def test_corpus_records_compare_against_themselves(db: Database, corpus: Path) -> None:
    """The 14 hand-made Turan records, entered by two analysts identically, all agree."""
    from tests.conftest import TURAN_QUOTES, TURAN_TXT

    text = TURAN_TXT.read_text(encoding="utf-8")
    project = get_or_create_project(db, "Turan")
    with db.session() as s:
        doc_id = add_document(s, project.id, DocumentDraft(text=text, title="Turan"))[0].id
    anns = [get_or_create_annotator(db, n).id for n in ("ann1", "ann2")]
    lines = TURAN_QUOTES.read_text(encoding="utf-8").splitlines()
    for ann in anns:
        for line in lines:
            p = parse_attribution(json.loads(line), text)
            with db.session() as s:
                speaker = reg.ensure_actor(s, project.id, p.speaker).id if p.speaker else None
            attr.new_attribution(
                db, doc_id, ann, list(p.content), cue=p.cue, mention=p.mention,
                speaker_id=speaker, kind=p.kind, polarity=p.polarity,
            )  # fmt: skip
        review.submit_document(db, doc_id, ann)
    cmp = review.comparison(db, doc_id)
    assert len(cmp.groups) == len(lines) == 14
    assert all(g.agreed for g in cmp.groups)


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["accept", "reject", "edit", "accept_only"]),
        st.sampled_from(["q1_a", "q1_b", "q2_a", "q2_b", "q3_a"]),
        st.sampled_from(list(Polarity)),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions=ACTIONS)
def test_any_sequence_undoes_and_redoes_exactly(actions: list[tuple[str, str, Polarity]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "p.sqlite3")
        try:
            x = make_setup(db)
            ids = two_analysts(db, x)
            snapshots = [dump(db)]
            changes = []
            for kind, key, pol in actions:
                if kind == "accept":
                    changes.append(review.accept(db, ids[key], x.lead))
                elif kind == "accept_only":
                    changes.append(review.accept(db, ids[key], x.lead, into_gold=False))
                elif kind == "reject":
                    changes.append(review.reject(db, ids[key], x.lead, f"no {pol}"))
                else:
                    gold = review.comparison(db, x.doc_id).gold
                    if not gold:
                        continue
                    changes.append(review.edit_gold(db, gold[0].id, x.lead, polarity=pol))
                snapshots.append(dump(db))
                gold_per_group = [g for g in review.comparison(db, x.doc_id).groups if g.gold]
                assert len(gold_per_group) == len(review.comparison(db, x.doc_id).gold)
            for change, snap in zip(reversed(changes), reversed(snapshots[:-1]), strict=True):
                review.revert_change(db, change, x.lead)
                assert _live(dump(db)) == _live(snap)
            for change, snap in zip(changes, snapshots[1:], strict=True):
                review.reapply_change(db, change, x.lead)
                now = dump(db)  # plus tombstones of golds that later actions create
                assert {k: v for k, v in now.items() if k in snap} == snap
                assert _live(now) == _live(snap)
        finally:
            db.dispose()


def _live(d: dict[str, dict]) -> dict[str, dict]:
    """Undo leaves created gold records as tombstones; compare the live records."""
    return {k: v for k, v in d.items() if v.get("live", True)}


QUOTES = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, len(TEXT) - 2), st.integers(1, 40)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quotes=QUOTES, accepts=st.lists(st.integers(0, 11), max_size=5))
def test_comparison_partitions_submitted_work(
    quotes: list[tuple[int, int, int]], accepts: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "p.sqlite3")
        try:
            x = make_setup(db)
            anns = [x.ann1, x.ann2, get_or_create_annotator(db, "ann3").id]
            made = []
            for who, start, length in quotes:
                span = Span(start, min(start + length, len(TEXT)))
                made.append(attr.new_attribution(db, x.doc_id, anns[who], [span]).id)
            for ann in anns:
                review.submit_document(db, x.doc_id, ann)
            for k in accepts:
                if k < len(made):
                    review.accept(db, made[k], x.lead)
            cmp = review.comparison(db, x.doc_id)
            seen = [r.id for g in cmp.groups for r in g.members.values()]
            assert sorted(seen) == sorted(made)  # every quote in exactly one group
            golds = [g.gold.id for g in cmp.groups if g.gold is not None]
            assert sorted(golds) == sorted(g.id for g in cmp.gold)  # each gold shown once
            for g in cmp.groups:
                assert set(g.missing) == {a.id for a in cmp.annotators} - set(g.members)
                if g.gold is not None and g.members:
                    assert set(g.gold.source_ids) <= {r.id for r in g.members.values()}
            assert [g.index for g in cmp.groups] == list(range(len(cmp.groups)))
        finally:
            db.dispose()


def test_marking_done_hands_in_drafts(db: Database) -> None:
    """The main window's "mark done" (work status) is enough for the lead to see the work."""
    from annotator.services.documents import set_work_status

    x = make_setup(db)
    draft = attr.new_attribution(db, x.doc_id, x.ann1, [_span(TEXT, "rejected the plan")])
    assert review.review_queue(db, x.project_id) == []
    assert review.reviewed_documents(db, x.ann1) == []
    set_work_status(db, x.doc_id, x.ann1, WorkStatus.DONE)
    [item] = review.review_queue(db, x.project_id)
    assert item.counts == {"ann1": 1} and item.pending == 1
    [group] = review.comparison(db, x.doc_id).groups
    assert group.members == {x.ann1: attr.get_attribution(db, draft.id)}
    [doc] = review.reviewed_documents(db, x.ann1, x.project_id)
    assert doc.done and doc.counts == {"draft": 1}
    change = review.accept(db, draft.id, x.lead)
    assert attr.get_attribution(db, draft.id).review_state is ReviewState.ACCEPTED
    assert review.review_queue(db, x.project_id)[0].pending == 0
    review.revert_change(db, change, x.lead)
    assert attr.get_attribution(db, draft.id).review_state is ReviewState.DRAFT
    other = get_or_create_project(db, "Other")
    assert review.reviewed_documents(db, x.ann1, other.id) == []
