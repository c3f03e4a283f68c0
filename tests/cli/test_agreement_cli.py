"""`annotator agreement`: table and JSON output, project choice, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.services.projects import get_or_create_project
from annotator.storage.engine import Database
from annotator.team.agreement_service import project_agreement
from tests.agreement_seed import seed_project


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "team.sqlite3"
    db = Database.open(path)
    seed_project(db)
    seed_project(db, name="Pair", annotators=("alice", "bob"), seed=5)
    db.dispose()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_matches_service(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(db_path), "agreement", "--project", "Harbour", "--json")
    assert code == 0
    data = json.loads(out)
    db = Database.open(db_path)
    project = get_or_create_project(db, "Harbour")
    expected = project_agreement(db, project.id)
    db.dispose()
    assert data == json.loads(json.dumps(expected.to_dict()))
    assert data["overall"]["annotators"] == ["alice", "bob", "carol"]
    assert data["overall"]["stance_coefficient"] == "krippendorff_alpha"
    assert [(p["a"], p["b"]) for p in data["pairs"]] == [
        ("alice", "bob"),
        ("alice", "carol"),
        ("bob", "carol"),
    ]
    assert len(data["documents"]) == 4
    for key in ("exact_f1", "overlap_f1", "token_alpha", "speaker", "target", "stance"):
        assert data["overall"][key]["items"] > 0


def test_table_shows_every_figure_with_items(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(db_path), "agreement", "--project", "Pair")
    assert code == 0
    db = Database.open(db_path)
    report = project_agreement(db, get_or_create_project(db, "Pair").id)
    db.dispose()
    fig = report.project
    assert "2 annotators (alice, bob)" in out
    assert "Stance, Cohen's kappa" in out
    exact_line = next(line for line in out.splitlines() if "exact-match F1" in line)
    assert f"{fig.exact_f1.value:.3f}" in exact_line
    assert f"{fig.exact_f1.items} quotes" in exact_line
    assert f"{fig.exact_f1.agree} agree" in exact_line
    pair_line = next(line for line in out.splitlines() if line.startswith("alice / bob"))
    assert f"{fig.stance.value:.3f} ({fig.stance.items})" in pair_line
    assert "Document" not in out


def test_documents_table(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--db", str(db_path), "agreement", "--project", "Pair", "--documents"
    )
    assert code == 0
    assert [line.split()[1] for line in out.splitlines() if line.startswith("Harbour ")] == [
        "1",
        "2",
        "3",
        "4",
    ]


def test_project_must_be_chosen_among_several(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(db_path), "agreement")
    assert code == 2 and out == ""
    assert "several projects (Harbour, Pair)" in err
    code, _, err = run(capsys, "--db", str(db_path), "agreement", "--project", "Nope")
    assert code == 2 and "no project named 'Nope'" in err
    code, _, err = run(
        capsys, "--db", str(db_path), "agreement", "--project", "Pair", "--min-overlap", "0"
    )
    assert code == 2 and "--min-overlap" in err


def test_single_project_is_the_default_and_min_overlap_matters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "one.sqlite3"
    db = Database.open(path)
    seed_project(db, annotators=("alice", "bob"))
    db.dispose()
    _, strict, _ = run(capsys, "--db", str(path), "agreement", "--json", "--min-overlap", "1")
    _, loose, _ = run(capsys, "--db", str(path), "agreement", "--json", "--min-overlap", "0.2")
    strict_fig, loose_fig = json.loads(strict)["overall"], json.loads(loose)["overall"]
    assert strict_fig["matched"] == strict_fig["exact_f1"]["agree"]
    assert loose_fig["matched"] > strict_fig["matched"]
    assert json.loads(strict)["min_overlap"] == 1.0


def test_nothing_to_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "solo.sqlite3"
    db = Database.open(path)
    seed_project(db, annotators=("alice",))
    db.dispose()
    code, out, _ = run(capsys, "--db", str(path), "agreement")
    assert code == 0
    assert "nothing to compare" in out
