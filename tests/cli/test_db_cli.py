"""`annotator db check|backup|upgrade` through the real argument parser."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.model import Span
from annotator.services.attributions import new_attribution
from annotator.services.documents import DocumentDraft, add_document
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage.engine import Database
from annotator.storage.migrate import head_revision
from tests.storage.test_migrations import FIRST, make_db_at_first_revision

TEXT = "“We will not sign,” the delegate said."


def _make(path: Path) -> Path:
    db = Database.open(path)
    project = get_or_create_project(db, "P")
    ann = get_or_create_annotator(db, "ann")
    with db.session() as s:
        doc_id = add_document(s, project.id, DocumentDraft(text=TEXT))[0].id
    new_attribution(db, doc_id, ann.id, [Span(1, 17)])
    db.dispose()
    return path


def _doc_count(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()


def test_check_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _make(tmp_path / "a.sqlite3")
    assert main(["--db", str(path), "db", "check"]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith(
        "ok (integrity, foreign keys, schema, full-text index, texts, spans,"
        " every field's type and range)"
    )


def test_check_reports_each_fault_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _make(tmp_path / "a.sqlite3")
    con = sqlite3.connect(path)
    con.execute("UPDATE documents SET text = 'tampered'")
    con.execute("UPDATE attributions SET content_spans = '[[1, 900]]'")
    con.commit()
    con.close()
    assert main(["--db", str(path), "db", "check"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert any(line.startswith("[documents] document ") and "SHA-256" in line for line in lines)
    assert any(line.startswith("[spans] attribution ") and "outside" in line for line in lines)
    assert "fault(s) found" in captured.err


def test_check_stale_revision_is_a_fault_and_not_migrated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_db_at_first_revision(tmp_path / "old.sqlite3")
    assert main(["--db", str(path), "db", "check"]) == 1
    out = capsys.readouterr().out
    assert f"schema revision {FIRST}, this version expects {head_revision()}" in out
    assert list(tmp_path.glob("old.pre-*")) == []  # check never upgrades


def test_check_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nope.sqlite3"
    assert main(["--db", str(path), "db", "check"]) == 1
    assert f"no database at {path}" in capsys.readouterr().err
    assert not path.exists()


@pytest.mark.parametrize("action", ["check", "backup"])
def test_looking_at_a_mistyped_path_creates_no_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], action: str
) -> None:
    path = tmp_path / "typo" / "deeper" / "nope.sqlite3"
    assert main(["--db", str(path), "db", action]) == 1
    assert f"no database at {path}" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_backup_default_location(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _make(tmp_path / "a.sqlite3")
    assert main(["--db", str(path), "db", "backup"]) == 0
    (copy,) = tmp_path.glob("a.backup-*.sqlite3")
    assert str(copy) in capsys.readouterr().out
    assert _doc_count(copy) == 1
    assert main(["--db", str(copy), "db", "check"]) == 0


def test_backup_out_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _make(tmp_path / "a.sqlite3")
    out = tmp_path / "safe" / "copy.sqlite3"
    assert main(["--db", str(path), "db", "backup", "--out", str(out)]) == 0
    assert _doc_count(out) == 1
    assert main(["--db", str(path), "db", "backup", "--out", str(path)]) == 1
    assert "must differ" in capsys.readouterr().err


def test_backup_never_replaces_an_existing_file_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _make(tmp_path / "a.sqlite3")
    earlier = tmp_path / "earlier.sqlite3"
    assert main(["--db", str(path), "db", "backup", "--out", str(earlier)]) == 0
    capsys.readouterr()
    db = Database.open(path)
    project_id = get_or_create_project(db, "P").id
    with db.session() as s:
        add_document(s, project_id, DocumentDraft(text="A second one."))
    db.dispose()
    before = earlier.read_bytes()
    assert main(["--db", str(path), "db", "backup", "--out", str(earlier)]) == 1
    err = capsys.readouterr().err
    assert err == f"error: {earlier} already exists; pass --force to replace it\n"
    assert earlier.read_bytes() == before and _doc_count(earlier) == 1
    assert main(["--db", str(path), "db", "backup", "--out", str(earlier), "--force"]) == 0
    assert _doc_count(earlier) == 2


def test_upgrade_reports_versions_and_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_db_at_first_revision(tmp_path / "old.sqlite3")
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert f"upgraded schema {FIRST} -> {head_revision()}" in out
    (copy,) = tmp_path.glob("old.pre-*.sqlite3")
    assert str(copy) in out
    assert main(["--db", str(path), "db", "check"]) == 0
    capsys.readouterr()
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_upgrade_refuses_newer_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _make(tmp_path / "a.sqlite3")
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0999'")
    con.commit()
    con.close()
    assert main(["--db", str(path), "db", "upgrade"]) == 2
    assert "newer version of Annotator" in capsys.readouterr().err
    assert list(tmp_path.glob("a.pre-*")) == []


def test_upgrade_creates_new_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.sqlite3"
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    assert f"created at schema {head_revision()}" in capsys.readouterr().out
    assert main(["--db", str(path), "db", "check"]) == 0


def test_not_a_database_gets_one_line_per_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"not sqlite at all\n" * 500)
    before = path.read_bytes()
    assert main(["--db", str(path), "db", "check"]) == 1
    out = capsys.readouterr()
    assert out.out == "" and out.err.count("\n") == 1
    assert out.err.startswith(f"error: {path} is not an SQLite database")
    assert main(["--db", str(path), "db", "backup"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path} is not an SQLite database") and err.count("\n") == 1
    assert main(["--db", str(path), "db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot read {path}") and err.count("\n") == 1
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.sqlite3"]  # no litter


def test_check_and_backup_leave_the_file_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copied database in rollback-journal mode stays byte-identical (not switched to WAL)."""
    path = _make(tmp_path / "a.sqlite3")
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    before = path.read_bytes()
    assert main(["--db", str(path), "db", "check"]) == 0
    assert main(["--db", str(path), "db", "backup", "--out", str(tmp_path / "b.sqlite3")]) == 0
    assert path.read_bytes() == before
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        con.close()


def test_backup_into_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _make(tmp_path / "a.sqlite3")
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main(["--db", str(path), "db", "backup", "--out", str(folder)]) == 0
    (copy,) = folder.glob("a.backup-*.sqlite3")
    assert _doc_count(copy) == 1
    assert str(copy) in capsys.readouterr().out


def test_backup_to_unwritable_place_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _make(tmp_path / "a.sqlite3")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--db", str(path), "db", "backup", "--out", str(blocker / "b.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot back up") and err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [["stats"], ["import", "x.txt"], ["db", "check"], ["db", "upgrade"], ["db", "backup"]],
)
@pytest.mark.parametrize(
    ("db", "expected"),
    [
        ("{tmp}/file/sub/a.sqlite3", "cannot create the folder"),  # a file where a folder should be
        ("nosuchdialect://host/db", "cannot use the database URL nosuchdialect://host/db"),
        ("::://nonsense", "cannot use the database URL"),
    ],
)
def test_unusable_db_location_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], db: str, expected: str
) -> None:
    (tmp_path / "file").write_text("x")
    looking = argv in (["db", "check"], ["db", "backup"]) and "://" not in db
    if (looking or argv == ["stats"]) and "://" not in db:
        # check, backup and the reading commands make no folder: there is no database there
        expected = "no database at"
    assert main(["--db", db.format(tmp=tmp_path), *argv]) == (1 if looking else 2)
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err and err.count("\n") == 1


def test_backup_never_replaces_a_database_with_a_live_wal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Replacing a file whose -wal is still beside it would pair the copy with a foreign WAL:
    SQLite replays it on open and the 'backup' is corrupt. Refuse, and leave the file alone."""
    path = _make(tmp_path / "a.sqlite3")
    other = _make(tmp_path / "other.sqlite3")
    con = sqlite3.connect(other)  # open (or crashed) with committed pages only in its WAL
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("UPDATE documents SET title = 'edited'")
    con.commit()
    try:
        assert (tmp_path / "other.sqlite3-wal").stat().st_size > 0
        before = other.read_bytes()
        assert main(["--db", str(path), "db", "backup", "--out", str(other), "--force"]) == 1
        err = capsys.readouterr().err
        assert err.startswith("error: cannot back up") and "other.sqlite3-wal" in err
        assert err.count("\n") == 1
        assert other.read_bytes() == before
    finally:
        con.close()
    assert main(["--db", str(other), "db", "check"]) == 0


@pytest.mark.parametrize("command", [["db", "check"], ["db", "backup"]])
def test_a_file_that_is_no_database_and_a_folder_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("shopping list, not a database\n")
    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    assert main(["--db", str(notes), *command]) == 1
    assert capsys.readouterr().err == (
        f"error: {notes} is not an SQLite database (its first bytes say otherwise)\n"
    )
    assert notes.read_text() == "shopping list, not a database\n"
    assert main(["--db", str(folder), *command]) == 1
    assert capsys.readouterr().err == f"error: {folder} is a folder, not a database file\n"
