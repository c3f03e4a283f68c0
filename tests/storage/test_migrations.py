"""Alembic at start-up: old DBs are backed up then upgraded, newer ones refused untouched,
and schema.py matches the head migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from annotator.services.attributions import list_attributions
from annotator.services.documents import get_document_text, search_documents
from annotator.services.projects import list_projects
from annotator.services.registries import find_actors
from annotator.storage import schema
from annotator.storage.check import check_database
from annotator.storage.engine import Database
from annotator.storage.migrate import (
    DatabaseTooNewError,
    current_revision,
    head_revision,
    upgrade,
)
from annotator.storage.opening import DatabaseRefused

FIRST = "0001"
OLD_TEXT = "Ahmadiyyan stressed that Iran opposes any change of borders in the Caucasus."
NOW = "2024-01-02 03:04:05.000000"


def make_db_at_first_revision(path: Path) -> Path:
    """A database as version 0001 of the app left it, filled with raw SQL."""
    db = Database.open(path, migrate=False)
    upgrade(db, FIRST)
    db.dispose()
    con = sqlite3.connect(path)
    rows = [
        ("INSERT INTO projects VALUES ('Old', '', '', NULL, 'p1', ?, ?)", (NOW, NOW)),
        ("INSERT INTO annotators VALUES ('ana', 'a1', ?, ?)", (NOW, NOW)),
        (
            "INSERT INTO actors (project_id, name, type, role, affiliation, wikidata_id, id,"
            " created_at, updated_at) VALUES ('p1', 'Ali Akbar Ahmadian', 'person', '', '', '',"
            " 'act1', ?, ?)",
            (NOW, NOW),
        ),
        (
            "INSERT INTO actor_aliases (actor_id, alias, normalized, id, created_at, updated_at)"
            " VALUES ('act1', 'Ahmadiyyan', 'ahmadiyyan', 'al1', ?, ?)",
            (NOW, NOW),
        ),
        (
            "INSERT INTO documents (id, project_id, title, text, text_sha256, length, source, url,"
            " published, place, author, language, metadata, raw_path, raw_sha256, import_report,"
            " created_at, updated_at) VALUES ('d1', 'p1', 'Borders', ?, ?, ?, '', '', '', '', '',"
            " 'en', '{\"k\": 1}', '', '', '{}', ?, ?)",
            (OLD_TEXT, _sha(OLD_TEXT), len(OLD_TEXT), NOW, NOW),
        ),
        (
            "INSERT INTO attributions (id, document_id, annotator_id, content_spans, cue_start,"
            " cue_end, mention_start, mention_end, speaker_id, kind, proposition, note, origin,"
            " review_state, review_comment, source_ids, created_at, updated_at) VALUES ('at1',"
            " 'd1', 'a1', '[[25, 75]]', 11, 19, 0, 10, 'act1', 'indirect', '', '', 'manual',"
            " 'draft', '', '[]', ?, ?)",
            (NOW, NOW),
        ),
    ]
    for sql, params in rows:
        con.execute(sql, params)
    con.commit()
    con.close()
    return path


def _sha(text: str) -> str:
    from annotator.text import sha256_text

    return sha256_text(text)


def test_first_revision_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = make_db_at_first_revision(tmp_path / "old.sqlite3")
    assert head_revision() != FIRST  # otherwise this test proves nothing

    db = Database.open(path)
    try:
        assert current_revision(db) == head_revision()
        projects = list_projects(db)
        assert [p.name for p in projects] == ["Old"]
        assert get_document_text(db, "d1") == OLD_TEXT
        (rec,) = list_attributions(db, "d1", "a1")
        assert OLD_TEXT[rec.content[0].start : rec.content[0].end].startswith("Iran opposes")
        # FTS arrived in 0002: old rows must be searchable, diacritic-insensitively too.
        assert search_documents(db, "p1", "Caucasus") == ["d1"]
        assert search_documents(db, "p1", "cáucasus") == ["d1"]
        assert find_actors(db, "p1", "Ahmadiyyan")[0].name == "Ali Akbar Ahmadian"
        assert check_database(db) == []
    finally:
        db.dispose()

    backups = sorted(tmp_path.glob("old.pre-*.sqlite3"))
    assert len(backups) == 1, list(tmp_path.iterdir())
    con = sqlite3.connect(backups[0])
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(FIRST,)]
        assert con.execute("SELECT text FROM documents").fetchall() == [(OLD_TEXT,)]
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()


def test_second_open_at_head_makes_no_backup(tmp_path: Path) -> None:
    path = make_db_at_first_revision(tmp_path / "old.sqlite3")
    Database.open(path).dispose()
    Database.open(path).dispose()
    assert len(list(tmp_path.glob("old.pre-*"))) == 1


def test_new_database_is_created_at_head_without_backup(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "fresh.sqlite3")
    try:
        assert current_revision(db) == head_revision()
    finally:
        db.dispose()
    assert sorted(p.name for p in tmp_path.iterdir() if "pre-" in p.name) == []


def _checkpointed_bytes(path: Path) -> bytes:
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path.read_bytes()


def test_newer_database_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    Database.open(path).dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    con.commit()
    con.close()
    before = _checkpointed_bytes(path)
    files_before = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(DatabaseTooNewError) as info:
        Database.open(path)
    message = str(info.value)
    assert "newer version of Annotator" in message
    assert "0099_from_the_future" in message and head_revision() in message
    assert "not changed" in message

    assert _checkpointed_bytes(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before  # no backup, no new file


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (x TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    assert before[18:20] == b"\x01\x01"  # a rollback-journal file
    with pytest.raises(DatabaseRefused, match="not an Annotator database.*not changed"):
        Database.open(path)
    assert path.read_bytes() == before  # not switched to WAL (the app's connection pragma)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite3"]


def test_schema_matches_head_migration(db: Database) -> None:
    def include(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
        # The FTS5 virtual table and its shadow tables are made by raw SQL in 0002. Alembic only
        # approximates expression indexes (COLLATE NOCASE): the next test compares their SQL.
        if type_ == "index" and name in EXPRESSION_INDEXES:
            return False
        return not (type_ == "table" and name and name.startswith("documents_fts"))

    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": include, "compare_type": True}
        )
        diff = compare_metadata(ctx, schema.Base.metadata)
    assert diff == []


EXPRESSION_INDEXES = ("ix_documents_sort_title", "ix_documents_sort_source")


def test_expression_indexes_match_the_schema(db: Database, tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    def index_sql(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents'"
            )
            return {n: " ".join(sql.split()) for n, sql in rows if n in EXPRESSION_INDEXES}

    fresh = create_engine(f"sqlite:///{tmp_path / 'create_all.sqlite3'}")
    schema.Base.metadata.create_all(fresh)
    migrated = index_sql(db.engine)
    assert sorted(migrated) == sorted(EXPRESSION_INDEXES)
    assert all("COLLATE NOCASE" in sql for sql in migrated.values())
    assert index_sql(fresh) == migrated
    fresh.dispose()


def test_compare_metadata_would_notice_a_drift(db: Database) -> None:
    """Guard the guard: a column missing from the DB shows up as a difference."""
    from sqlalchemy import Column, Integer, MetaData

    meta = MetaData()
    for table in schema.Base.metadata.tables.values():
        table.to_metadata(meta)
    meta.tables["projects"].append_column(Column("extra", Integer))
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        diff = compare_metadata(ctx, meta)
    assert any(d[0] == "add_column" and d[3].name == "extra" for d in diff)


def test_file_that_is_not_sqlite_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"Meeting notes, not a database.\n" * 200)
    before = path.read_bytes()
    with pytest.raises(DatabaseRefused) as info:
        Database.open(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message and "not an SQLite database" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_every_revision_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    """Each migration's downgrade() works, step by step, and the chain comes back to head
    matching schema.py: a guard for every revision the team adds."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from annotator.storage.migrate import alembic_config

    path = make_db_at_first_revision(tmp_path / "m.sqlite3")
    db = Database.open(path)
    cfg = alembic_config()
    chain = [r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()]  # head first
    try:
        for rev in chain[1:]:
            with db.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, rev)
            assert current_revision(db) == rev
        assert current_revision(db) == FIRST
        upgrade(db)
        assert current_revision(db) == head_revision()
        assert search_documents(db, "p1", "Caucasus") == ["d1"]
        assert check_database(db) == []
    finally:
        db.dispose()


@pytest.mark.parametrize("start", ["old", "new"])
def test_instances_started_together_migrate_once(tmp_path: Path, start: str) -> None:
    """Three app instances opening the same old (or not yet existing) database at once: all
    succeed, the schema is migrated once, and only one backup is made."""
    import subprocess
    import sys

    path = tmp_path / "shared.sqlite3"
    if start == "old":
        make_db_at_first_revision(path)
    code = f"from annotator.storage.engine import Database; Database.open({str(path)!r}).dispose()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    assert len(list(tmp_path.glob("shared.pre-*.sqlite3"))) == (1 if start == "old" else 0)
    assert list(tmp_path.glob("*.partial")) == []
    db = Database.open(path, migrate=False)
    try:
        assert current_revision(db) == head_revision()
        assert check_database(db) == []
    finally:
        db.dispose()
