"""The suggestion services: cache, settings, rejections, accept/reject with undo, batch."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.model import Origin, WorkStatus
from annotator.services import suggestion_actions as act
from annotator.services import suggestions as sv
from annotator.services.attributions import list_attributions, new_attribution
from annotator.services.documents import DocumentDraft, add_document, set_work_status
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.services.registries import create_actor, list_actors
from annotator.services.suggest_batch import Cancelled, suggest_documents
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.storage.migrate import current_revision, head_revision, upgrade
from annotator.suggest import engines as engines_module
from annotator.suggest.model import Span
from annotator.suggest.rules import RuleEngine

TEXT = (
    "“We will not give up,” Donald Trump said on Tuesday. “Nobody can stop us.”\n"
    "The economy is growing faster than expected, the minister said.\n"
    "“It is over,” he said."
)


@pytest.fixture
def setup(db: Database) -> tuple[Database, str, str, str]:
    project = get_or_create_project(db, "News")
    ana = get_or_create_annotator(db, "ana").id
    with db.session() as s:
        row, _ = add_document(s, project.id, DocumentDraft(text=TEXT, title="t"))
    return db, project.id, row.id, ana


def test_suggestions_are_computed_once_and_cached(setup, monkeypatch) -> None:
    db, _project, doc, ana = setup
    calls = []

    class Counting(RuleEngine):
        def suggest(self, request):
            calls.append(1)
            return super().suggest(request)

    monkeypatch.setitem(engines_module._FACTORIES, "rules", lambda reg: Counting(reg))
    first = sv.document_suggestions(db, doc, ana)
    assert len(first) == 3 and calls == [1]
    assert sv.document_suggestions(db, doc, ana) == first and calls == [1]
    with db.reader() as s:
        row = s.query(schema.SuggestionCache).one()
        assert row.count == 3 and row.engine == "rules" and row.engine_key.startswith("rules:")

    class Newer(Counting):
        version = "999"

    monkeypatch.setitem(engines_module._FACTORIES, "rules", lambda reg: Newer(reg))
    assert sv.document_suggestions(db, doc, ana) == first
    assert calls == [1, 1]  # a new engine version recomputes


def test_not_computed_yet_returns_none_without_waiting(setup) -> None:
    db, _project, doc, ana = setup
    assert sv.document_suggestions(db, doc, ana, compute=False) is None
    sv.document_suggestions(db, doc, ana)
    assert len(sv.document_suggestions(db, doc, ana, compute=False)) == 3


def test_settings_switch_off_filter_and_validate(setup) -> None:
    db, project, doc, ana = setup
    assert sv.get_settings(db, project) == sv.SuggestionSettings()
    sv.set_settings(db, project, floor=0.9)
    assert all(s.confidence >= 0.9 for s in sv.document_suggestions(db, doc, ana))
    assert len(sv.document_suggestions(db, doc, ana)) == 2
    sv.set_settings(db, project, enabled=False)
    assert sv.document_suggestions(db, doc, ana) == []
    assert sv.get_settings(db, project).floor == 0.9  # the other settings are kept
    with pytest.raises(sv.SuggestionError, match="floor"):
        sv.set_settings(db, project, floor=1.5)
    with pytest.raises(sv.SuggestionError, match="unknown suggestion layer"):
        sv.set_settings(db, project, layers=["oracle"])
    sv.set_settings(db, project, enabled=True, layers=["rules", "learned"])
    assert len(sv.document_suggestions(db, doc, ana)) == 2  # "learned" is not available yet


def test_rejection_is_remembered_per_analyst_and_undoable(setup) -> None:
    db, _project, doc, ana = setup
    ben = get_or_create_annotator(db, "ben").id
    items = sv.document_suggestions(db, doc, ana)
    rejected = act.reject_suggestion(db, doc, items[1], ana)
    assert items[1].key not in {s.key for s in sv.document_suggestions(db, doc, ana)}
    assert len(sv.document_suggestions(db, doc, ben)) == 3  # ben never said no
    assert sv.pending_counts(db, [doc], ana) == {doc: 2}
    act.undo_reject(db, rejected)
    assert len(sv.document_suggestions(db, doc, ana)) == 3
    act.redo_reject(db, rejected)
    assert len(sv.document_suggestions(db, doc, ana)) == 2


def test_accept_makes_a_suggested_attribution_and_undo_takes_it_back(setup) -> None:
    db, project, doc, ana = setup
    item = sv.document_suggestions(db, doc, ana)[0]
    accepted = act.accept_suggestion(db, doc, item, ana)
    rec = accepted.attribution
    assert rec.origin == Origin.SUGGESTED and rec.annotator_id == ana
    assert rec.content == item.content and rec.cue == item.cue and rec.mention == item.mention
    assert rec.kind == item.kind
    actor = next(a for a in list_actors(db, project) if a.id == rec.speaker_id)
    assert actor.name == "Donald Trump" and accepted.created_actor_id == actor.id
    assert item.key not in {s.key for s in sv.document_suggestions(db, doc, ana)}
    # the speaker's name now reads as the actor through the registry, in any document
    with db.session() as s:
        row, _ = add_document(
            s, project, DocumentDraft(text="“Yes,” Trump said.\n“We win,” he said.", title="2")
        )
    other = sv.document_suggestions(db, row.id, ana)
    assert [(x.speaker_id, x.speaker_name) for x in other] == [(actor.id, "Donald Trump")] * 2
    act.undo_accept(db, act.accept_suggestion(db, row.id, other[0], ana))
    act.undo_accept(db, accepted)
    assert list_attributions(db, doc, ana) == []
    assert list_actors(db, project) == []  # the actor made for it goes too
    assert len(sv.document_suggestions(db, doc, ana)) == 3
    act.redo_accept(db, accepted)
    assert [r.id for r in list_attributions(db, doc, ana)] == [rec.id]
    assert [a.id for a in list_actors(db, project)] == [actor.id]


def test_accept_uses_the_registry_and_never_overwrites(setup) -> None:
    db, project, doc, ana = setup
    trump = create_actor(db, project, "Donald J. Trump", aliases=("Donald Trump",))
    item = sv.document_suggestions(db, doc, ana)[0]
    assert item.speaker_id == trump.id  # resolved through the alias at read time
    accepted = act.accept_suggestion(db, doc, item, ana)
    assert accepted.attribution.speaker_id == trump.id and accepted.created_actor_id is None
    with pytest.raises(sv.SuggestionError, match="already"):
        act.accept_suggestion(db, doc, item, ana)


def test_accept_all_is_one_pair_of_calls(setup) -> None:
    db, _project, doc, ana = setup
    new_attribution(db, doc, ana, [Span(60, 74)])  # the analyst's own work on "Nobody can..."
    accepted = act.accept_all(db, doc, ana)
    assert len(accepted) == 2  # the continued quote overlaps the analyst's attribution
    assert len(list_attributions(db, doc, ana)) == 3
    assert sv.document_suggestions(db, doc, ana) == [] or all(
        s.content[0].start >= 0 for s in sv.document_suggestions(db, doc, ana)
    )
    act.undo_accept_all(db, accepted)
    assert len(list_attributions(db, doc, ana)) == 1
    act.redo_accept_all(db, accepted)
    assert len(list_attributions(db, doc, ana)) == 3


def test_batch_writes_once_and_leaves_done_documents_alone(setup) -> None:
    db, project, doc, ana = setup
    with db.session() as s:
        row, _ = add_document(s, project, DocumentDraft(text="“Yes,” Smith said.", title="2"))
        done_doc = row.id
    set_work_status(db, done_doc, ana, WorkStatus.DONE)
    seen = []
    report = suggest_documents(
        db, project, write=True, annotator_id=ana, progress=lambda d, t: seen.append((d, t))
    )
    assert (report.documents, report.computed, report.skipped_done) == (2, 2, 1)
    assert report.written == 3 and seen[-1] == (2, 2)
    assert all(r.origin == Origin.SUGGESTED for r in list_attributions(db, doc, ana))
    assert list_attributions(db, done_doc, ana) == []
    again = suggest_documents(db, project, write=True, annotator_id=ana)
    assert (again.written, again.from_cache, again.computed) == (0, 2, 0)
    with pytest.raises(Cancelled):
        suggest_documents(db, project, cancel=lambda: True)


def test_pending_counts_come_from_the_cache_only(setup) -> None:
    db, project, doc, ana = setup
    assert sv.pending_counts(db, [doc], ana) == {}
    suggest_documents(db, project)
    assert sv.pending_counts(db, [doc], ana) == {doc: 3}
    sv.set_settings(db, project, floor=0.9)
    assert sv.pending_counts(db, [doc], ana) == {doc: 2}


def test_upgrade_from_the_previous_revision_adds_the_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database.open(path, migrate=False)
    upgrade(old, "0005")
    old.dispose()
    con = sqlite3.connect(path)
    assert "suggestion_cache" not in {
        r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    con.close()
    db = Database.open(path)  # backs up, then upgrades
    try:
        assert current_revision(db) == head_revision()
        assert list(tmp_path.glob("old.pre-*.sqlite3"))
        project = get_or_create_project(db, "P")
        with db.session() as s:
            row, _ = add_document(s, project.id, DocumentDraft(text="“Yes,” Smith said."))
        assert len(sv.document_suggestions(db, row.id)) == 1
    finally:
        db.dispose()
