"""`check_database`: a sound DB has no faults; each kind of damage is found and named."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from annotator.model import Kind, Span
from annotator.services import attributions as attr
from annotator.services.documents import DocumentDraft, add_document
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage.check import Fault, check_database
from annotator.storage.engine import Database
from annotator.text import sha256_text

TEXT = "The minister said the talks “went well”. 😀 Officials in İzmir disagreed."


def _fill(db: Database) -> tuple[str, str]:
    """One document with one attribution; returns (document id, attribution id)."""
    project = get_or_create_project(db, "P")
    annotator = get_or_create_annotator(db, "ann")
    with db.session() as s:
        row, _ = add_document(s, project.id, DocumentDraft(text=TEXT, title="Talks"))
        doc_id = row.id
    rec = attr.new_attribution(
        db, doc_id, annotator.id, [Span(22, 38)], cue=Span(13, 17), kind=Kind.MIXED
    )
    return doc_id, rec.id


def _raw(db: Database, sql: str, params: tuple = (), *, fk: bool = True) -> None:
    assert db.path is not None
    con = sqlite3.connect(db.path)
    try:
        con.execute(f"PRAGMA foreign_keys={'ON' if fk else 'OFF'}")
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def _checks(faults: list[Fault]) -> set[str]:
    return {f.check for f in faults}


def test_sound_database_has_no_faults(db: Database) -> None:
    _fill(db)
    assert check_database(db) == []


def test_text_changed_behind_the_hash(db: Database) -> None:
    doc_id, _ = _fill(db)
    _raw(db, "UPDATE documents SET text = ? WHERE id = ?", (TEXT.replace("well", "WELL"), doc_id))
    faults = check_database(db)
    assert [f.problem for f in faults] == ["text does not match its stored SHA-256"]
    assert doc_id in faults[0].where


def test_text_not_nfc(db: Database) -> None:
    doc_id, _ = _fill(db)
    nfd = unicodedata.normalize("NFD", "Café " + TEXT)
    _raw(
        db,
        "UPDATE documents SET text = ?, text_sha256 = ?, length = ? WHERE id = ?",
        (nfd, sha256_text(nfd), len(nfd), doc_id),
    )
    problems = [f.problem for f in check_database(db)]
    assert problems == ["text is not NFC-normalized"]


def test_length_column_disagrees_with_text(db: Database) -> None:
    doc_id, _ = _fill(db)
    _raw(db, "UPDATE documents SET length = 5 WHERE id = ?", (doc_id,))
    faults = check_database(db)
    assert _checks(faults) == {"documents"}
    assert "length column 5" in faults[0].problem


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ("[[22, 9999]]", "outside the text"),
        ("[]", "has no content span"),
        ("[[30, 30]]", "empty or reversed"),
        ('[["a", 3]]', "not a [start, end] pair"),
    ],
)
def test_bad_content_spans(db: Database, spans: str, expected: str) -> None:
    _doc_id, attr_id = _fill(db)
    _raw(db, "UPDATE attributions SET content_spans = ? WHERE id = ?", (spans, attr_id))
    faults = check_database(db)
    assert _checks(faults) == {"spans"}
    assert expected in faults[0].problem
    assert attr_id in faults[0].where


def test_cue_outside_text(db: Database) -> None:
    _doc_id, attr_id = _fill(db)
    _raw(db, "UPDATE attributions SET cue_end = 500 WHERE id = ?", (attr_id,))
    faults = check_database(db)
    assert len(faults) == 1 and faults[0].problem.startswith("cue [13, 500)")


def test_tombstoned_attributions_are_not_span_checked(db: Database) -> None:
    _doc_id, attr_id = _fill(db)
    _raw(db, "UPDATE attributions SET content_spans = '[[0, 9999]]' WHERE id = ?", (attr_id,))
    attr.delete_attribution(db, attr_id)
    assert check_database(db) == []


def test_malformed_json_column(db: Database) -> None:
    doc_id, attr_id = _fill(db)
    _raw(db, "UPDATE documents SET metadata = '{broken' WHERE id = ?", (doc_id,))
    _raw(db, "UPDATE attributions SET source_ids = '[1,' WHERE id = ?", (attr_id,))
    faults = check_database(db)
    assert {(f.check, f.problem.split(" ")[0]) for f in faults} == {
        ("json", "metadata"),
        ("json", "source_ids"),
    }


def test_foreign_key_violation(db: Database) -> None:
    _doc_id, attr_id = _fill(db)
    _raw(
        db,
        "UPDATE attributions SET speaker_id = 'no-such-actor' WHERE id = ?",
        (attr_id,),
        fk=False,
    )
    faults = check_database(db)
    assert _checks(faults) == {"foreign_keys"}
    assert "actors" in faults[0].problem


def test_document_missing_for_attribution(db: Database) -> None:
    doc_id, _ = _fill(db)
    _raw(db, "DELETE FROM documents WHERE id = ?", (doc_id,), fk=False)
    assert {"foreign_keys", "spans"} <= _checks(check_database(db))


@pytest.mark.parametrize("stamp", ["0001", "9999_from_the_future"])
def test_schema_revision_not_head(db: Database, stamp: str) -> None:
    _fill(db)
    _raw(db, "UPDATE alembic_version SET version_num = ?", (stamp,))
    faults = check_database(db)
    assert len(faults) == 1 and faults[0].check == "revision"
    assert stamp in faults[0].problem


def test_fts_index_out_of_step(db: Database) -> None:
    _fill(db)
    # Remove the index entry while the document stays: search would silently miss it.
    _raw(
        db,
        "INSERT INTO documents_fts(documents_fts, rowid, title, text)"
        " SELECT 'delete', seq, title, text FROM documents",
    )
    faults = check_database(db)
    assert _checks(faults) == {"fts"}


def test_fts_index_missing(db: Database) -> None:
    _fill(db)
    _raw(db, "DROP TABLE documents_fts")
    assert "full-text index is missing" in [f.problem for f in check_database(db)]


def test_corrupted_btree_page_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    db = Database.open(path)
    project = get_or_create_project(db, "P")
    with db.session() as s:
        for i in range(40):
            add_document(s, project.id, DocumentDraft(text=f"Document {i} " + "word " * 500))
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    con = sqlite3.connect(path)
    (root,) = con.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'ix_documents_text_sha256'"
    ).fetchone()
    (page_size,) = con.execute("PRAGMA page_size").fetchone()
    con.close()
    with path.open("r+b") as f:  # scribble over the index page's cell pointers
        f.seek(page_size * (root - 1) + 8)
        f.write(b"\x00\x00\x00\x00\x7f\x7f")
    db = Database.open(path, migrate=False)
    try:
        faults = check_database(db)
    finally:
        db.dispose()
    assert "integrity" in _checks(faults)
    assert all("\n" not in str(f) for f in faults)


def test_not_a_database_file(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not a database" * 300)
    db = Database.open(path, migrate=False)
    try:
        faults = check_database(db)
    finally:
        db.dispose()
    assert faults
    assert "not a database" in str(faults[0])


def _valid(segs: list[list[int]], size: int) -> bool:
    return bool(segs) and all(0 <= s < e <= size for s, e in segs)


def test_span_check_agrees_with_the_rule(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Property: whatever spans are stored, `check` flags the attribution iff some segment is
    empty, reversed, negative or past the end of the text (and never otherwise)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    db = Database.open(tmp_path_factory.mktemp("prop") / "p.sqlite3")
    _doc_id, attr_id = _fill(db)
    size = len(TEXT)
    seg = st.lists(st.integers(-3, size + 3), min_size=2, max_size=2)

    @settings(max_examples=25, deadline=None)
    @given(st.lists(seg, max_size=3))
    def run(segs: list[list[int]]) -> None:
        _raw(
            db,
            "UPDATE attributions SET content_spans = ? WHERE id = ?",
            (json.dumps(segs), attr_id),
        )
        faults = check_database(db)
        assert all(f.check == "spans" for f in faults)
        assert (faults == []) == _valid(segs, size), (segs, faults)

    try:
        run()
    finally:
        db.dispose()
