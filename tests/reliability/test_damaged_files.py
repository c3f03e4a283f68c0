"""Damaged, foreign, empty and read-only database files against every command: one line, never a
traceback; a command that would write refuses a damaged file and leaves it byte-identical."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.cli import main
from tests.reliability.support import build_db, checkpoint

PAGE = 4096


def _pages(path: Path) -> int:
    return path.stat().st_size // PAGE


def zero_page(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.seek(_pages(path) // 3 * PAGE)
        fh.write(b"\0" * PAGE)


def random_last_page(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.seek((_pages(path) - 1) * PAGE)
        fh.write(bytes((i * 7919) % 251 for i in range(PAGE)))


def truncate_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def truncate_odd(path: Path) -> None:
    os.truncate(path, path.stat().st_size - 1234)


def schema_page(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.seek(100)
        fh.write(bytes(range(200)))


def header(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.seek(16)
        fh.write(b"\xff\xff\xff")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "zero_page": zero_page,
    "last_page": random_last_page,
    "truncate_half": truncate_half,
    "truncate_odd": truncate_odd,
    "schema_page": schema_page,
    "header": header,
}
WRITERS = {"import", "bundle_import"}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("damage")
    path = root / "db.sqlite3"
    build_db(path, n_docs=120).dispose()
    checkpoint(path)
    bundle = root / "small.zip"
    assert main(["--db", str(path), "bundle", "export", "--out", str(bundle)]) == 0
    text = root / "article.txt"
    text.write_text("The minister said on Monday that talks would go on. Nobody agreed.\n")
    return path, bundle, text


def _commands(out: Path, bundle: Path, text: Path) -> dict[str, list[str]]:
    return {
        "stats": ["stats"],
        "export": ["export", "--format", "native", "--out", str(out / "export")],
        "bundle_export": ["bundle", "export", "--out", str(out / "b.zip")],
        "bundle_import": ["bundle", "import", str(bundle)],
        "import": ["import", str(text)],
        "agreement": ["agreement"],
        "db_check": ["db", "check"],
    }


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_every_command_on_a_damaged_file_says_one_line(
    pristine: tuple[Path, Path, Path],
    tmp_path: Path,
    damage: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, bundle, text = pristine
    for name, argv in _commands(tmp_path, bundle, text).items():
        path = tmp_path / f"{name}.sqlite3"
        shutil.copy(source, path)
        DAMAGE[damage](path)
        before = path.read_bytes()
        code = main(["--db", str(path), *argv])  # an exception here fails the test
        err = capsys.readouterr().err
        assert "Traceback" not in err
        if name in WRITERS:
            assert code != 0, f"{name} wrote into a file damaged by {damage}"
            assert path.read_bytes() == before, f"{name} changed a damaged file"
            assert "is damaged" in err and "db check" in err and err.count("\n") == 1
        if name == "db_check":
            assert code == 1, f"db check missed {damage}"
        for line in err.splitlines():
            assert len(line) < 600


def test_a_foreign_rollback_journal_file_is_refused_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (x)")
    con.execute("INSERT INTO notes VALUES ('keep me')")
    con.commit()
    con.close()
    before = path.read_bytes()
    for argv in (["stats"], ["import", str(tmp_path)], ["projects"]):
        assert main(["--db", str(path), *argv]) == 2
        assert "not an Annotator database" in capsys.readouterr().err
    assert path.read_bytes() == before and before[18:20] == b"\x01\x01"  # still not WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_reading_commands_never_write_a_schema_into_an_empty_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    for argv in (["stats"], ["projects"], ["agreement"], ["bundle", "export", "--out", "x.zip"]):
        assert main(["--db", str(path), *argv]) == 2
        assert "holds no Annotator data yet" in capsys.readouterr().err
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite3"]


def test_a_refused_bundle_leaves_no_database_at_a_mistyped_path(
    pristine: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    typo = tmp_path / "typo" / "db.sqlite3"
    assert main(["--db", str(typo), "bundle", "import", str(junk)]) == 1
    assert "not a bundle" in capsys.readouterr().err
    assert not typo.exists()
    # Refused only when applied (a project it needs is missing): the new file goes again.
    source, bundle, _ = pristine
    assert main(["--db", str(typo), "bundle", "import", str(bundle)]) == 0
    capsys.readouterr()


@pytest.fixture
def readonly_mount(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A small tmpfs that can be remounted read-only (root only; skipped elsewhere)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)],
                          capture_output=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_read_only_database_is_read_but_never_written(
    pristine: tuple[Path, Path, Path],
    readonly_mount: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, bundle, text = pristine
    path = readonly_mount / "db.sqlite3"
    shutil.copy(source, path)
    subprocess.run(["mount", "-o", "remount,ro", str(readonly_mount)], check=True)
    before = path.read_bytes()
    assert main(["--db", str(path), "stats", "--json"]) == 0
    assert '"documents": 120' in capsys.readouterr().out
    assert main(["--db", str(path), "db", "check"]) == 2  # the FTS check needs a writable file
    captured = capsys.readouterr()
    assert "not checked" in captured.out and "fault" not in captured.err.replace("no fault", "")
    out = tmp_path / "export"
    assert main(["--db", str(path), "export", "--format", "native", "--out", str(out)]) == 0
    capsys.readouterr()
    for argv in (["import", str(text)], ["bundle", "import", str(bundle)]):
        assert main(["--db", str(path), *argv]) == 2
        err = capsys.readouterr().err
        assert "is read-only" in err and err.count("\n") == 1
    assert path.read_bytes() == before


def test_db_check_finds_damaged_and_future_timestamps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "db.sqlite3"
    build_db(path, n_docs=5).dispose()
    assert main(["--db", str(path), "db", "check"]) == 0
    capsys.readouterr()
    con = sqlite3.connect(path)
    con.execute("UPDATE annotators SET created_at = '2024-0\x01-01 00:00:00.000000'")
    con.execute("UPDATE attributions SET updated_at = '9999-12-31 00:00:00.000000' WHERE rowid = 1")
    con.execute("UPDATE actors SET type = 'robot' WHERE rowid = 1")
    con.commit()
    con.close()
    assert main(["--db", str(path), "db", "check"]) == 1
    out = capsys.readouterr().out
    assert "[records] annotators" in out and "is not a timestamp" in out
    assert "[records] attributions" in out and "in the future" in out
    assert "[records] actors" in out and "'robot' is not allowed" in out
