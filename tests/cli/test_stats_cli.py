"""`annotator stats [--json]` and `annotator projects` count what is live in the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.model import ActorType, Span
from annotator.services.attributions import delete_attribution, new_attribution
from annotator.services.documents import DocumentDraft, add_document
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.services.registries import create_actor, create_target
from annotator.storage.engine import Database

REQUIRED = ("projects", "documents", "attributions", "actors", "targets", "annotators")


def _fill(path: Path) -> None:
    db = Database.open(path)
    a = get_or_create_project(db, "Alpha")
    get_or_create_project(db, "Beta")
    ann1 = get_or_create_annotator(db, "ana")
    get_or_create_annotator(db, "ben")
    doc_ids = []
    with db.session() as s:
        for i in range(3):
            row, _ = add_document(s, a.id, DocumentDraft(text=f"Article {i}: “No,” she said."))
            doc_ids.append(row.id)
        # a duplicate text is not a new document
        assert not add_document(s, a.id, DocumentDraft(text="Article 0: “No,” she said."))[1]
    create_actor(db, a.id, "Maria Lopez", aliases=("Lopez",))
    create_actor(db, a.id, "Central Bank", ActorType.ORGANIZATION)
    create_target(db, a.id, "Rate cut")
    keep = new_attribution(db, doc_ids[0], ann1.id, [Span(12, 14)])
    gone = new_attribution(db, doc_ids[1], ann1.id, [Span(12, 14)])
    delete_attribution(db, gone.id)
    assert keep.id != gone.id
    db.dispose()


def test_stats_json_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.sqlite3"
    _fill(path)
    assert main(["--db", str(path), "stats", "--json"]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1  # one JSON object, machine-readable
    stats = json.loads(out)
    assert all(type(stats[k]) is int for k in REQUIRED)
    assert {k: stats[k] for k in REQUIRED} == {
        "projects": 2,
        "documents": 3,
        "attributions": 1,  # the tombstoned one is not counted as live
        "actors": 2,
        "targets": 1,
        "annotators": 2,
    }
    assert stats["deleted_attributions"] == 1


def test_stats_on_empty_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Database.open(tmp_path / "e.sqlite3").dispose()
    assert main(["--db", str(tmp_path / "e.sqlite3"), "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert {k: stats[k] for k in REQUIRED} == dict.fromkeys(REQUIRED, 0)


def test_stats_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.sqlite3"
    _fill(path)
    assert main(["--db", str(path), "stats"]) == 0
    lines = {
        key.strip(): value.strip()
        for key, value in (line.split(":", 1) for line in capsys.readouterr().out.splitlines())
    }
    assert lines["documents"] == "3"
    assert lines["actors"] == "2"


def test_projects_lists_names_with_document_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.sqlite3"
    _fill(path)
    assert main(["--db", str(path), "projects"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.strip().splitlines()]
    assert rows == [["Alpha", "3 documents"], ["Beta", "0 documents"]]


def test_projects_on_an_empty_database_says_how_to_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Database.open(tmp_path / "e.sqlite3").dispose()
    assert main(["--db", str(tmp_path / "e.sqlite3"), "projects"]) == 0
    out = capsys.readouterr()
    assert out.out == "" and "no projects yet" in out.err


def test_newer_db_is_refused_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    path = tmp_path / "s.sqlite3"
    _fill(path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0999'")
    con.commit()
    con.close()
    assert main(["--db", str(path), "stats", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "newer version" in err


def test_output_into_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    """`annotator stats | head -0`: the reader has gone; the command ends quietly."""
    import subprocess
    import sys

    _fill(tmp_path / "a.sqlite3")
    child = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(tmp_path / "a.sqlite3"), "stats"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # before the child writes anything
    err = child.stderr.read().decode()
    child.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


@pytest.mark.parametrize(
    "command",
    [["stats", "--json"], ["projects"], ["agreement"], ["export", "--format", "native"]],
)
def test_reading_commands_never_create_a_database_at_a_mistyped_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    from annotator.cli import main

    typo = tmp_path / "missing" / "typo.sqlite3"
    extra = ["--out", str(tmp_path / "out")] if command[0] == "export" else []
    assert main(["--db", str(typo), *command, *extra]) == 2
    assert capsys.readouterr().err == f"error: no database at {typo}\n"
    assert not typo.parent.exists()
