"""`annotator bundle export` / `bundle import`: round trip, filters, report, errors."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.cli.bundle import parse_since
from annotator.storage.engine import Database
from tests.domain.bundle_support import canonical, make_world, sql_dump


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "laptop.sqlite3"
    db = Database.open(path)
    make_world(db)
    db.dispose()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_import_twice(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "ana.zip"
    code, out, _ = run(capsys, "--db", str(source), "bundle", "export", "--out", str(bundle))
    assert code == 0
    assert "3 documents" in out and "2 attributions" in out
    lead = tmp_path / "lead.sqlite3"
    code, out, _ = run(capsys, "--db", str(lead), "bundle", "import", str(bundle))
    assert code == 0
    assert "attributions         added 2" in out
    code, out, _ = run(capsys, "--db", str(lead), "bundle", "import", str(bundle), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["counts"]["attributions"] == {
        "added": 0,
        "updated": 0,
        "unchanged": 2,
        "conflicts": 0,
    }
    a, b = Database.open(source), Database.open(lead)
    assert canonical(a) == canonical(b)
    a.dispose()
    b.dispose()


def test_assignment_and_filters(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "assign.zip"
    code, out, _ = run(
        capsys, "--db", str(source), "bundle", "export", "--out", str(out_file),
        "--project", "P", "--assignment",
    )  # fmt: skip
    assert code == 0 and "assignment bundle" in out
    with zipfile.ZipFile(out_file) as zf:
        assert zf.read("attributions.jsonl") == b""
        assert json.loads(zf.read("manifest.json"))["kind"] == "assignment"
    code, out, _ = run(
        capsys, "--db", str(source), "bundle", "export", "--out", str(tmp_path / "s.zip"),
        "--annotator", "ana", "--since", "2999-01-01",
    )  # fmt: skip
    assert code == 0
    assert "attributions" not in out and "documents" not in out  # registries always travel


def test_errors_are_one_line_and_leave_db_alone(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 definitely not a whole zip")
    db = Database.open(source)
    before = sql_dump(db)
    code, out, err = run(capsys, "--db", str(source), "bundle", "import", str(junk))
    assert code == 1
    assert err.startswith("error: junk.zip: not a bundle") and err.count("\n") == 1
    assert sql_dump(db) == before
    code, _, err = run(
        capsys, "--db", str(source), "bundle", "export", "--out", str(tmp_path / "x.zip"),
        "--project", "Missing",
    )  # fmt: skip
    assert code == 1 and "no project named 'Missing'" in err
    db.dispose()


def test_since_parsing() -> None:
    assert str(parse_since("2026-03-01")) == "2026-03-01 00:00:00"
    assert str(parse_since("2026-03-01T10:00+02:00")) == "2026-03-01 08:00:00"
    with pytest.raises(Exception, match="not a date"):
        parse_since("yesterday")


def test_console_entry_point(source: Path, tmp_path: Path) -> None:
    """The real command line, in a child process."""
    bundle = tmp_path / "cli.zip"
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(source), "bundle", "export",
         "--out", str(bundle)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert zipfile.is_zipfile(bundle)


def test_folders_in_place_of_bundle_files_are_named_as_folders(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    code, _, err = run(capsys, "--db", str(source), "bundle", "import", str(folder))
    assert code == 1
    assert err == "error: inbox: is a folder, not a bundle file\n"
    code, _, err = run(capsys, "--db", str(source), "bundle", "export", "--out", str(folder))
    assert code == 1
    assert err == f"error: cannot write {folder}: Is a directory\n"  # no temporary file name
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob("*.tmp"))  # no litter


def test_help_says_which_dates_since_takes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["bundle", "export", "--help"])
    assert "YYYY-MM-DD" in " ".join(capsys.readouterr().out.split())


def test_export_never_replaces_an_existing_bundle_unless_forced(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    received = tmp_path / "from-ana.zip"
    received.write_bytes(b"a bundle an analyst sent")
    argv = ("--db", str(source), "bundle", "export", "--out", str(received))
    code, out, err = run(capsys, *argv)
    assert (code, out) == (1, "")
    assert err == f"error: {received} already exists; pass --force to replace it\n"
    assert received.read_bytes() == b"a bundle an analyst sent"
    code, out, _ = run(capsys, *argv, "--force")
    assert code == 0 and zipfile.is_zipfile(received)
