"""`annotator import`: exit codes, one line per problem, summary, project and annotator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.cli import main
from annotator.storage import schema
from annotator.storage.engine import Database
from tests.conftest import TURAN_QUOTES, TURAN_TXT


def test_clean_import_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus: Path):
    db = tmp_path / "a.sqlite3"
    code = main(
        [
            "--db",
            str(db),
            "import",
            str(TURAN_TXT),
            str(TURAN_QUOTES),
            "--project",
            "Caucasus",
            "--annotator",
            "ana",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert out.strip() == (
        "1 documents added, 0 duplicates, 14 attributions, 0 problems (1 files, project 'Caucasus')"
    )
    database = Database.open(db)
    with database.session() as s:
        project = s.scalar(select(schema.Project).where(schema.Project.name == "Caucasus"))
        annotators = {a.name for a in s.scalars(select(schema.Annotator))}
        assert project is not None and "ana" in annotators
        atts = list(s.scalars(select(schema.Attribution)))
        assert {a.annotator_id for a in atts} == {
            s.scalar(select(schema.Annotator.id).where(schema.Annotator.name == "ana"))
        }
    database.dispose()


def test_problems_exit_1_and_rest_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Title A\n\nBody of A.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Title B\n\nBody of B.\n", encoding="utf-8")
    (folder / "rows.jsonl").write_text('{"text": "Row."}\n{bad json\n', encoding="utf-8")
    (folder / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    code = main(["--db", str(tmp_path / "b.sqlite3"), "import", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1
    lines = err.strip().splitlines()
    assert lines == [
        f"{folder / 'bin.txt'}: binary file, not text",
        lines[1],
    ] and lines[1].startswith(f"{folder / 'rows.jsonl'}:2: malformed JSON")
    assert out.startswith("3 documents added, 0 duplicates, 0 attributions, 2 problems")
    # the same folder again: everything is a duplicate, the problems are still reported
    code = main(
        ["--db", str(tmp_path / "b.sqlite3"), "import", str(folder), "--project", "Default"]
    )
    out, _ = capsys.readouterr()
    assert code == 1 and out.startswith("0 documents added, 3 duplicates")


def test_default_annotator_and_project(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setattr("annotator.cli.importcmd.default_annotator_name", lambda: "login-name")
    (tmp_path / "c.json").write_text(
        '{"text": "Bo said no.", "quotes": [{"cue": {"start": 3, "end": 7, "text": "said"},'
        ' "sources": [{"start": 0, "end": 2, "text": "Bo"}],'
        ' "contents": [{"start": 8, "end": 10, "text": "no"}]}]}',
        encoding="utf-8",
    )
    db = tmp_path / "c.sqlite3"
    assert main(["--db", str(db), "import", str(tmp_path / "c.json")]) == 0
    database = Database.open(db)
    with database.session() as s:
        att = s.scalar(select(schema.Attribution))
        assert s.get(schema.Annotator, att.annotator_id).name == "login-name"
        assert s.scalar(select(schema.Project.name)) == "Default"
        assert s.get(schema.Actor, att.speaker_id).name == "Bo"
    database.dispose()


def test_subprocess_progress_and_exit_code(tmp_path: Path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):  # more than 50 files: progress is shown even without a terminal
        (folder / f"{i:02d}.txt").write_text(f"Story {i}\n\nText number {i}.\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotator",
            "--db",
            str(tmp_path / "d.sqlite3"),
            "import",
            str(folder),
            str(tmp_path / "missing.txt"),
        ],
        capture_output=True,
        timeout=120,
    )
    stderr, stdout = done.stderr.decode(), done.stdout.decode()
    assert done.returncode == 1
    assert "\rimporting 61/61 files\n" in stderr  # a carriage-return counter
    assert f"{tmp_path / 'missing.txt'}: no such file or folder" in stderr
    assert stdout.startswith("60 documents added")


def test_blank_project_or_annotator_name_is_refused_and_names_are_trimmed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "a.sqlite3"
    article = tmp_path / "a.txt"
    article.write_text("“We will not sign,” the delegate said.\n", encoding="utf-8")
    for option in ("--project", "--annotator"):
        with pytest.raises(SystemExit) as exc:
            main(["--db", str(db), "import", str(article), option, "  "])
        assert exc.value.code == 2
        assert "a name cannot be blank" in capsys.readouterr().err
    assert main(["--db", str(db), "import", str(article), "--project", " Caucasus "]) == 0
    assert "project 'Caucasus'" in capsys.readouterr().out
    database = Database.open(db)
    with database.session() as s:
        assert list(s.scalars(select(schema.Project.name))) == ["Caucasus"]
    database.dispose()


def test_reimported_annotations_are_reported_as_already_present(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus: Path
) -> None:
    """Nothing is added twice, and the summary says why nothing was added (a re-imported file
    with a corrected polarity on the same spans is not silently taken as new work)."""
    argv = ["--db", str(tmp_path / "a.sqlite3"), "import", str(TURAN_TXT), str(TURAN_QUOTES)]
    assert main([*argv, "--annotator", "ana"]) == 0
    assert "14 attributions, 0 problems" in capsys.readouterr().out
    assert main([*argv, "--annotator", "ana"]) == 0
    out = capsys.readouterr().out
    assert "0 documents added, 1 duplicates, 0 attributions (14 already present), 0 problems" in out
    assert main([*argv, "--annotator", "ben"]) == 0  # another analyst's copy is new work
    assert "1 duplicates, 14 attributions, 0 problems" in capsys.readouterr().out


def test_project_names_match_whatever_the_letter_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "c.sqlite3"
    for i, project in enumerate(["Default", "default", "DEFAULT"]):
        article = tmp_path / f"a{i}.txt"
        article.write_text(f"Title {i}\n\nThe minister said {i} things.\n", encoding="utf-8")
        assert main(["--db", str(db_path), "import", str(article), "--project", project]) == 0
    assert "project 'Default'" in capsys.readouterr().out.splitlines()[-1]
    db = Database.open(db_path)
    with db.reader() as s:
        assert list(s.scalars(select(schema.Project.name))) == ["Default"]
        assert len(list(s.scalars(select(schema.Document.id)))) == 3
    db.dispose()
    assert main(["--db", str(db_path), "export", "--format", "native", "--project", "DEFAULT",
                 "--status", "all", "--out", str(tmp_path / "out")]) == 0  # fmt: skip
