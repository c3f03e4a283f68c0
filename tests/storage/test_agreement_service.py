"""Agreement and progress read from a real database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from annotator.model import AttributionRecord, Origin, ReviewState, WorkStatus, new_id
from annotator.native import parse_attribution
from annotator.services.attributions import (
    create_attribution,
    delete_attribution,
    list_attributions,
)
from annotator.services.documents import (
    DocumentDraft,
    add_document,
    list_document_ids,
    set_work_status,
)
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.services.registries import create_actor, create_target, merge_actors, merge_targets
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.team.agreement import DocumentAnnotations, compute_agreement
from annotator.team.agreement_service import (
    AgreementCancelled,
    canonical_actors,
    canonical_targets,
    project_agreement,
)
from annotator.team.progress import project_progress
from annotator.text import normalize_text
from tests.agreement_seed import seed_project
from tests.conftest import TURAN_QUOTES, TURAN_TXT


def test_report_equals_pure_computation_over_listed_attributions(db: Database) -> None:
    pid = seed_project(db)
    report = project_agreement(db, pid)
    docs = []
    for doc_id in list_document_ids(db, pid):
        recs = list_attributions(db, doc_id, all_annotators=True)
        by: dict[str, list[AttributionRecord]] = {}
        for r in recs:
            by.setdefault(str(r.annotator_id), []).append(r)
        with db.session() as s:
            text = s.query(schema.Document.text).filter_by(id=doc_id).scalar()
        docs.append(DocumentAnnotations(doc_id, "", text, by))
    direct = compute_agreement(docs)
    assert report.project.to_dict() == direct.project.to_dict()
    assert report.project_name == "Harbour"
    assert sorted(report.annotator_names.values()) == ["alice", "bob", "carol"]
    assert report.project.documents == 4
    assert report.project.stance_coefficient == "krippendorff_alpha"
    assert len(report.pairs) == 3
    # the seeded drift is real: agreement is high but not perfect
    assert 0.3 < report.project.overlap_f1.value < 1.0  # type: ignore[operator]
    assert report.project.exact_f1.value < report.project.overlap_f1.value  # type: ignore[operator]


def test_tombstones_and_gold_are_left_out(db: Database) -> None:
    pid = seed_project(db, annotators=("alice", "bob"))
    before = project_agreement(db, pid)
    doc_id = list_document_ids(db, pid)[0]
    victim = list_attributions(db, doc_id, all_annotators=True)[0]
    lead = get_or_create_annotator(db, "lead")
    create_attribution(
        db,
        AttributionRecord(
            id=new_id(),
            document_id=doc_id,
            annotator_id=lead.id,
            content=victim.content,
            origin=Origin.ADJUDICATED,
            review_state=ReviewState.ACCEPTED,
            source_ids=(victim.id,),
        ),
    )
    assert project_agreement(db, pid).project.quotes == before.project.quotes
    delete_attribution(db, victim.id)
    after = project_agreement(db, pid)
    assert after.project.quotes == before.project.quotes - 1
    assert set(after.annotator_names.values()) == {"alice", "bob"}


def test_done_only_drops_unfinished_coders(db: Database) -> None:
    pid = seed_project(db, annotators=("alice", "bob"), n_docs=2)
    doc_id = list_document_ids(db, pid)[0]
    bob = get_or_create_annotator(db, "bob")
    set_work_status(db, doc_id, bob.id, WorkStatus.IN_PROGRESS)
    assert project_agreement(db, pid).project.documents == 2
    assert project_agreement(db, pid, done_only=True).project.documents == 1


def test_canonical_actors_follow_merge_chains(db: Database) -> None:
    pid = get_or_create_project(db, "P").id
    a, b, c = (create_actor(db, pid, n).id for n in ("Ahmadian", "Ahmadiyyan", "Ahmadijan"))
    merge_actors(db, b, c)
    merge_actors(db, a, b)
    assert canonical_actors(db, pid) == {b: a, c: a}
    t1, t2 = (create_target(db, pid, n).id for n in ("Zangezur corridor", "Zangazur corridor"))
    merge_targets(db, t1, t2)
    assert canonical_targets(db, pid) == {t2: t1}


def test_progress_and_cancel(db: Database) -> None:
    pid = seed_project(db, n_docs=3)
    seen: list[tuple[int, int]] = []
    project_agreement(db, pid, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    calls = []

    def cancel_after_one() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(AgreementCancelled):
        project_agreement(db, pid, cancelled=cancel_after_one)
    with pytest.raises(KeyError):
        project_agreement(db, "no-such-project")


def test_progress_dashboard_counts_by_day(db: Database) -> None:
    pid = seed_project(db, n_docs=3)
    data = project_progress(db, pid)
    names = [data.annotator_names[a] for a in data.annotators]
    assert names == ["alice", "bob", "carol"]
    # seed: document d is done by annotator k on day START + d + k
    assert data.days[0] == date(2026, 3, 2)
    assert data.days[-1] == date(2026, 3, 6)
    assert len(data.days) == 5
    alice, bob, carol = data.annotators
    assert data.documents_done[alice] == [1, 1, 1, 0, 0]
    assert data.documents_done[carol] == [0, 0, 1, 1, 1]
    assert data.cumulative(data.documents_done[bob]) == [0, 1, 2, 3, 3]
    assert data.total_documents == 3
    assert data.status_counts[alice] == {"done": 3}
    with db.session() as s:
        for ann in data.annotators:
            live = s.query(schema.Attribution).filter_by(annotator_id=ann, deleted_at=None).count()
            assert sum(data.attributions[ann]) == live
    assert data.attributions[alice][:3] == [5, 5, 5]  # alice keeps all five quotes


def test_progress_of_empty_project(db: Database) -> None:
    pid = get_or_create_project(db, "Empty").id
    data = project_progress(db, pid)
    assert data.days == [] and data.annotators == [] and data.total_documents == 0


def _load_turan(db: Database, corpus: Path, annotators: tuple[str, ...]) -> str:
    pid = get_or_create_project(db, "Turan").id
    text = normalize_text(TURAN_TXT.read_text(encoding="utf-8"))
    with db.session() as s:
        doc_id = add_document(s, pid, DocumentDraft(text=text, title="Turan"))[0].id
    lines = [json.loads(x) for x in TURAN_QUOTES.read_text(encoding="utf-8").splitlines() if x]
    for name in annotators:
        ann = get_or_create_annotator(db, name).id
        for obj in lines:
            parsed = parse_attribution(obj, text)
            create_attribution(
                db,
                AttributionRecord(
                    id=new_id(), document_id=doc_id, annotator_id=ann, content=parsed.content
                ),
            )
    return pid


def test_identical_coding_of_the_sample_article_agrees_fully(db: Database, corpus: Path) -> None:
    pid = _load_turan(db, corpus, ("ann", "ben"))
    fig = project_agreement(db, pid).project
    assert fig.quotes == 28 and fig.matched == 14
    assert fig.exact_f1.value == 1.0 and fig.overlap_f1.value == 1.0
    assert fig.token_alpha.value == pytest.approx(1.0)
    assert fig.token_alpha.items > 400  # every word of the article is a unit
    assert fig.speaker.items == 0  # no speakers set: nothing to compare, not "agreement"
