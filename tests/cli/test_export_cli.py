"""`annotator export` end to end through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from annotator.cli import main
from annotator.storage.engine import Database
from tests.domain.test_export_fixtures import load_synthetic, load_turan


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    path = tmp_path / "cli.sqlite3"
    db = Database.open(path)
    load_synthetic(db)
    db.dispose()
    return path


def run(dbfile: Path, *args: str) -> int:
    return main(["--db", str(dbfile), "export", *args])


def test_export_with_split_and_seed(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code = run(
        dbfile, "--format", "quotes-csv", "--out", str(out), "--split", "0.6,0.2,0.2", "--seed", "4"
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "train:" in printed and "dev:" in printed and "test:" in printed
    assert {p.name for p in out.iterdir()} == {
        "train.csv",
        "dev.csv",
        "test.csv",
        "manifest.json",
        "README.md",
    }
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["options"]["seed"] == 4
    assert manifest["options"]["split"] == pytest.approx([0.6, 0.2, 0.2])
    assert manifest["options"]["project"] == "Synthetic"  # the only project: no --project needed


def test_status_annotator_and_context_options(dbfile: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    args = ["--format", "quotes-jsonl", "--out", str(out), "--project", "Synthetic"]
    assert (
        run(dbfile, *args, "--status", "draft", "--annotator", "ana", "--context", "document") == 0
    )
    rows = [json.loads(line) for line in (out / "quotes.jsonl").read_text().splitlines()]
    assert rows and {r["review_state"] for r in rows} == {"draft"}
    assert {r["annotator"] for r in rows} == {"ana"}
    assert all(r["context_start"] == 0 and len(r["context"]) > 200 for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--project", "Nope"], "no project named 'Nope'"),
        (["--annotator", "ghost"], "no annotator named 'ghost'"),
        (["--split", "0.8,x"], "--split"),
    ],
)
def test_bad_options_exit_2_with_a_message(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code = run(dbfile, "--format", "native", "--out", str(tmp_path / "x"), *args)
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x" / "manifest.json").exists()


def test_two_projects_need_project(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    db = Database.open(dbfile)
    load_turan(db)
    db.dispose()
    assert run(dbfile, "--format", "native", "--out", str(tmp_path / "x")) == 2
    assert "choose a project with --project" in capsys.readouterr().err
    assert run(dbfile, "--format", "brat", "--out", str(tmp_path / "b"), "--project", "Turan") == 0
    assert len(list((tmp_path / "b").glob("*.ann"))) == 1


def test_refused_records_are_reported_on_stderr(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database.open(dbfile)
    with db.session() as s:
        bad = s.execute(
            sql("SELECT id FROM attributions WHERE review_state = 'accepted' LIMIT 1")
        ).scalar_one()
        s.execute(
            sql("UPDATE attributions SET content_spans = '[[0, 999999]]' WHERE id = :i"), {"i": bad}
        )
    db.dispose()
    assert run(dbfile, "--format", "stance", "--out", str(tmp_path / "s")) == 0
    err = capsys.readouterr().err
    assert "refused: document 'Article" in err and bad in err and "outside the text" in err
    assert bad not in (tmp_path / "s" / "stance.jsonl").read_text()


def test_unwritable_output_is_one_line_error(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    assert run(dbfile, "--format", "native", "--out", str(blocker)) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: cannot write to {blocker}") and "\n" not in err


def test_default_selection_with_nothing_reviewed_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "drafts.sqlite3"
    db = Database.open(path)
    load_synthetic(db)
    with db.engine.begin() as conn:  # nothing reviewed yet: every attribution a draft
        conn.execute(sql("UPDATE attributions SET review_state = 'draft'"))
    db.dispose()
    out = tmp_path / "o"
    assert run(path, "--format", "quotes-jsonl", "--out", str(out)) == 0
    captured = capsys.readouterr()
    assert "note: no attribution is gold or accepted yet" in captured.err
    assert (out / "quotes.jsonl").read_text() == ""
    assert run(path, "--format", "quotes-jsonl", "--out", str(out), "--status", "draft") == 0
    captured = capsys.readouterr()
    assert "gold or accepted" not in captured.err
    assert (out / "quotes.jsonl").read_text().count("\n") > 0


def test_export_from_a_database_without_projects_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.sqlite3"
    Database.open(path).dispose()
    assert run(path, "--format", "native", "--out", str(tmp_path / "o")) == 2
    assert capsys.readouterr().err == "error: the database has no project yet: import files first\n"
