"""`annotator suggest` and `annotator evaluate` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.model import Origin
from annotator.services.attributions import list_attributions
from annotator.services.documents import list_document_ids
from annotator.services.projects import find_project, get_or_create_annotator
from annotator.storage.engine import Database, default_db_path

TEXT = (
    "Talks resume.\n"
    "“We will not give up,” Donald Trump said on Tuesday.\n"
    "According to the ministry, the talks will resume next week.\n"
)
# offsets in TEXT
Q1, TRUMP, SAID = (14, 36), (37, 49), (50, 54)
ACC, MINISTRY, Q2 = (67, 79), (80, 92), (94, 125)
ANN = (
    f"T1\tSource {TRUMP[0]} {TRUMP[1]}\tDonald Trump\n"
    f"T2\tCue {SAID[0]} {SAID[1]}\tsaid\n"
    f"T3\tContent {Q1[0]} {Q1[1]}\t“We will not give up,”\n"
    "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n"
    f"T4\tSource {MINISTRY[0]} {MINISTRY[1]}\tthe ministry\n"
    f"T5\tCue {ACC[0]} {ACC[1]}\tAccording to\n"
    f"T6\tContent {Q2[0]} {Q2[1]}\tthe talks will resume next week\n"
    "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "talks.txt").write_text(TEXT, encoding="utf-8")
    (folder / "talks.ann").write_text(ANN, encoding="utf-8")
    assert TEXT[Q1[0] : Q1[1]] == "“We will not give up,”"
    assert TEXT[Q2[0] : Q2[1]] == "the talks will resume next week"
    return folder


@pytest.fixture
def db_path(tmp_path: Path, gold: Path) -> Path:
    """The gold article imported with its annotations (by "gold"), and a plain one."""
    path = tmp_path / "work.sqlite3"
    src = tmp_path / "plain"
    src.mkdir()
    (src / "other.txt").write_text("Weather.\n“It will rain,” the forecaster said.\n", "utf-8")
    args = ["--db", str(path), "import", str(gold), str(src), "--project", "News"]
    assert main([*args, "--annotator", "gold"]) == 0
    return path


def test_evaluate_suggestions_without_a_database(gold: Path, capsys) -> None:
    code, out, err = run(capsys, "evaluate", "--gold", str(gold), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["documents"] == 1 and data["documents_outside_database"] == 1
    every = data["kinds"]["all"]
    assert every["content_exact"]["f1"] == 1.0
    assert every["cue_exact"]["f1"] == 1.0
    assert every["speaker_accuracy_on_matched"] == {"value": 1.0, "items": 2, "right": 2}
    assert data["kinds"]["direct"]["content_exact"]["gold"] == 1
    assert data["kinds"]["indirect"]["content_exact"]["gold"] == 1
    assert not default_db_path().exists()  # evaluating suggestions creates no database


def test_evaluate_table_and_floor(gold: Path, capsys) -> None:
    code, out, _ = run(capsys, "evaluate", "--gold", str(gold))
    assert code == 0
    assert "direct+mixed: 1 gold, 1 predicted" in out and "all: 2 gold, 2 predicted" in out
    assert "content, exact                 1.000   1.000   1.000" in out
    code, out, _ = run(capsys, "evaluate", "--gold", str(gold), "--floor", "0.95")
    assert code == 0 and "all: 2 gold, 0 predicted" in out  # both score 0.9


def test_evaluate_an_annotator_against_gold(gold: Path, db_path: Path, capsys) -> None:
    code, out, err = run(
        capsys, "--db", str(db_path), "evaluate", "--gold", str(gold), "--annotator", "gold",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["kinds"]["all"]["content_exact"]["f1"] == 1.0  # gold against itself
    assert main(["--db", str(db_path), "suggest", "--write", "--annotator", "ana"]) == 0
    capsys.readouterr()
    code, out, err = run(
        capsys, "--db", str(db_path), "evaluate", "--gold", str(gold), "--annotator", "ana",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["scored"] == "annotator ana" and data["documents_in_database"] == 1
    assert data["kinds"]["all"]["content_exact"]["f1"] == 1.0
    code, _, err = run(capsys, "--db", str(db_path), "evaluate", "--gold", str(gold),
                       "--annotator", "nobody")  # fmt: skip
    assert code == 2 and "no annotator named 'nobody'" in err


def test_suggest_caches_then_writes_once(db_path: Path, capsys) -> None:
    code, out, err = run(capsys, "--db", str(db_path), "suggest", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["documents"], data["computed"], data["suggestions"]) == (2, 2, 3)
    assert data["written"] == 0
    code, out, _ = run(capsys, "--db", str(db_path), "suggest", "--write", "--annotator", "ana")
    assert code == 0
    assert "2 documents (0 computed, 2 cached)" in out and "3 attributions written" in out
    code, out, _ = run(capsys, "--db", str(db_path), "suggest", "--write", "--annotator", "ana")
    assert "0 attributions written" in out  # never twice, never over the analyst's work
    db = Database.open(db_path)
    project = find_project(db, "News")
    ana = get_or_create_annotator(db, "ana").id
    records = [r for d in list_document_ids(db, project.id) for r in list_attributions(db, d, ana)]
    db.dispose()
    assert len(records) == 3 and {r.origin for r in records} == {Origin.SUGGESTED}


def test_suggested_origin_is_kept_by_the_native_export(db_path: Path, tmp_path: Path, capsys):
    assert main(["--db", str(db_path), "suggest", "--write", "--annotator", "ana"]) == 0
    out = tmp_path / "export"
    args = ["--db", str(db_path), "export", "--format", "native", "--out", str(out)]
    assert main([*args, "--annotator", "ana", "--status", "all"]) == 0
    capsys.readouterr()
    lines = [json.loads(x) for f in out.glob("*.jsonl") for x in f.read_text("utf-8").splitlines()]
    origins = {a["origin"] for line in lines for a in line.get("attributions", [])}
    assert origins == {"suggested"}


def test_suggest_settings_and_errors(db_path: Path, capsys) -> None:
    code, out, _ = run(capsys, "--db", str(db_path), "suggest", "--set", "enabled=no")
    assert code == 0 and out.strip() == "suggestions off, layers rules, floor 0.6"
    code, out, _ = run(capsys, "--db", str(db_path), "suggest")
    assert code == 0 and out.startswith("Suggestions are off for this project")
    code, _, err = run(capsys, "--db", str(db_path), "suggest", "--set", "floor=2")
    assert code == 2 and "between 0 and 1" in err
    code, _, err = run(capsys, "--db", str(db_path), "suggest", "--document", "nope")
    assert code == 2 and "no document nope" in err
    code, _, err = run(capsys, "--db", str(db_path), "suggest", "--set", "colour=red")
    assert code == 2 and "cannot set" in err


def test_evaluate_reports_missing_gold(tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "evaluate", "--gold", str(tmp_path / "nothing"))
    assert code == 1 and "no such file or folder" in err and "no annotated document" in err
