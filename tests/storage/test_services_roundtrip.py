"""Round trips through the core services on a real SQLite file."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.model import Kind, Polarity, Span
from annotator.services import attributions as attr
from annotator.services import registries as reg
from annotator.services.documents import (
    DocumentDraft,
    add_document,
    get_document_text,
    search_documents,
)
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage.engine import Database

TEXT = "Ali said: “We will not move.” İRNA reported it. 😀 Then Ahmadiyyan added more."


def _doc(db: Database) -> tuple[str, str, str]:
    project = get_or_create_project(db, "P")
    annotator = get_or_create_annotator(db, "ann")
    with db.session() as s:
        row, created = add_document(s, project.id, DocumentDraft(text=TEXT, title="T"))
        assert created
        doc_id = row.id
    return project.id, annotator.id, doc_id


def test_pragmas(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_duplicate_text_not_stored_twice(db: Database) -> None:
    project_id, _, doc_id = _doc(db)
    with db.session() as s:
        row, created = add_document(s, project_id, DocumentDraft(text=TEXT, title="again"))
        assert not created and row.id == doc_id


def test_attribution_roundtrip_update_delete_restore(db: Database) -> None:
    project_id, annotator_id, doc_id = _doc(db)
    actor = reg.create_actor(db, project_id, "Ali Akbar Ahmadian", aliases=("Ahmadiyyan",))
    target = reg.create_target(db, project_id, "Moving")
    start = TEXT.index("We will")
    rec = attr.new_attribution(
        db,
        doc_id,
        annotator_id,
        [Span(start, start + 17)],
        cue=Span(4, 8),
        speaker_id=actor.id,
        kind=Kind.DIRECT,
        target_id=target.id,
        polarity=Polarity.OPPOSE,
    )
    got = attr.get_attribution(db, rec.id)
    assert got == rec
    assert got.content[0].text(get_document_text(db, doc_id)) == "We will not move."
    changed = attr.update_attribution(db, rec.id, polarity=Polarity.SUPPORT, note="n")
    assert changed.polarity is Polarity.SUPPORT and changed.note == "n"
    attr.delete_attribution(db, rec.id)
    assert attr.list_attributions(db, doc_id, annotator_id) == []
    attr.restore_attribution(db, rec.id)
    assert [r.id for r in attr.list_attributions(db, doc_id, annotator_id)] == [rec.id]


def test_span_outside_text_refused(db: Database) -> None:
    _, annotator_id, doc_id = _doc(db)
    with pytest.raises(attr.SpanError):
        attr.new_attribution(db, doc_id, annotator_id, [Span(0, len(TEXT) + 1)])
    assert attr.list_attributions(db, doc_id, all_annotators=True) == []


def test_fuzzy_alias_and_merge(db: Database) -> None:
    project_id, annotator_id, doc_id = _doc(db)
    a = reg.create_actor(db, project_id, "Ali Akbar Ahmadian")
    b = reg.create_actor(db, project_id, "Ahmadiyyan")
    assert reg.find_actors(db, project_id, "ahmadian")[0].entry_id == a.id
    irna = reg.create_actor(db, project_id, "IRNA")
    assert reg.find_actors(db, project_id, "İRNA")[0].entry_id == irna.id  # Turkish dotted capital
    rec = attr.new_attribution(db, doc_id, annotator_id, [Span(0, 3)], speaker_id=b.id)
    assert reg.merge_actors(db, a.id, b.id) == 1
    assert attr.get_attribution(db, rec.id).speaker_id == a.id
    assert "Ahmadiyyan" in reg.get_actor(db, a.id).aliases
    assert {x.id for x in reg.list_actors(db, project_id)} == {a.id, irna.id}


def test_full_text_search(db: Database) -> None:
    project_id, _, doc_id = _doc(db)
    assert search_documents(db, project_id, "ahmadiyyan") == [doc_id]
    assert search_documents(db, project_id, "irna") == [doc_id]  # diacritics removed
    assert search_documents(db, project_id, "nonexistentword") == []


def test_foreign_keys_enforced(db: Database) -> None:
    path = db.path
    assert path is not None
    with db.session() as s, pytest.raises(Exception):  # noqa: B017
        s.connection().exec_driver_sql(
            "INSERT INTO attributions (id, document_id, content_spans, kind, origin, review_state,"
            " proposition, note, review_comment, source_ids, created_at, updated_at)"
            " VALUES ('x', 'missing', '[[0,1]]', 'direct', 'manual', 'draft', '', '', '', '[]',"
            " '2020-01-01', '2020-01-01')"
        )
    assert sqlite3.connect(path).execute("select count(*) from attributions").fetchone() == (0,)


def test_shared_attribution_column_lists_match_the_schema() -> None:
    """The positional fast paths (export, bundles) rely on this tuple naming every column."""
    from annotator.storage.records import ATTRIBUTION_ROW_COLUMNS
    from annotator.storage.schema import Attribution

    assert set(ATTRIBUTION_ROW_COLUMNS) == {c.name for c in Attribution.__table__.columns} - {
        "deleted_at"
    }
    assert len(set(ATTRIBUTION_ROW_COLUMNS)) == len(ATTRIBUTION_ROW_COLUMNS)
