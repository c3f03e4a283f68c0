"""Exports under kill -9, a full disk and any umask: the output folder holds the old export or
the new one, whole, never a mix, never an empty folder; stale staging folders are cleaned."""

from __future__ import annotations

import random
import shutil
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from tests.reliability.support import build_db, cli, cli_argv, kill_after, snapshot

TRIALS = 5


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict, float]:
    """A database, its export before and after an edit (both as folder snapshots), and how
    long one export takes here."""
    root = tmp_path_factory.mktemp("exports")
    path = root / "db.sqlite3"
    build_db(path, n_docs=150).dispose()
    old_dir = root / "old"
    assert cli(path, "export", "--format", "brat", "--out", str(old_dir)).code == 0
    con = sqlite3.connect(path)
    con.execute("UPDATE attributions SET content_spans = '[[0, 7]]' WHERE rowid % 2 = 0")
    con.commit()
    con.close()
    new_dir = root / "new"
    started = time.monotonic()
    assert cli(path, "export", "--format", "brat", "--out", str(new_dir)).code == 0
    took = time.monotonic() - started
    old, new = snapshot(old_dir), snapshot(new_dir)
    assert old != new and old.keys() == new.keys() and len(old) > 300
    return path, old, new, took


def test_kill_9_during_an_export_leaves_the_old_or_the_new_export_whole(
    exports: tuple[Path, dict, dict, float], tmp_path: Path
) -> None:
    path, old, new, took = exports
    rng = random.Random(20)
    outcomes = {"old": 0, "new": 0}
    for _trial in range(TRIALS):
        out = tmp_path / "out"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        for name, data in old.items():  # the earlier export, as the user left it
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
        argv = cli_argv(path, "export", "--format", "brat", "--out", str(out))
        kill_after(argv, rng.uniform(0.2, took * 1.1))
        now = snapshot(out)
        assert now in (old, new), "a killed export left a mix of old and new files"
        outcomes["old" if now == old else "new"] += 1
    assert outcomes["old"] >= 1  # the kills did land mid-export
    # The next export finishes the job and removes the staging folders the kills left.
    assert cli(path, "export", "--format", "brat", "--out", str(tmp_path / "out")).code == 0
    assert snapshot(tmp_path / "out") == new
    assert list(tmp_path.glob(".out.export-*")) == []


def test_a_full_disk_keeps_the_old_export_and_makes_no_empty_folder(
    exports: tuple[Path, dict, dict, float], tmp_path: Path
) -> None:
    path = exports[0]
    out = tmp_path / "out"
    assert cli(path, "export", "--format", "quotes-jsonl", "--out", str(out)).code == 0
    before = snapshot(out)
    assert (out / "quotes.jsonl").stat().st_size > 64_000
    # Each file may grow to 64 kB: quotes.jsonl cannot be written whole.
    full = cli(path, "export", "--format", "quotes-jsonl", "--out", str(out), fsize=64_000)
    assert full.code == 1 and not full.traceback
    assert full.err.startswith("error: cannot write to") and full.err.count("\n") == 1
    assert snapshot(out) == before
    fresh = tmp_path / "fresh"
    full = cli(path, "export", "--format", "quotes-jsonl", "--out", str(fresh), fsize=64_000)
    assert full.code == 1 and not fresh.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_exports_and_bundles_honour_the_umask(
    exports: tuple[Path, dict, dict, float], tmp_path: Path, umask: int
) -> None:
    path = exports[0]
    out = tmp_path / "out"
    assert cli(path, "export", "--format", "native", "--out", str(out), umask=umask).code == 0
    bundle = tmp_path / "b.zip"
    assert cli(path, "bundle", "export", "--out", str(bundle), umask=umask).code == 0
    for file in [*out.rglob("*"), bundle]:
        mode = stat.S_IMODE(file.stat().st_mode)
        expected = (0o777 if file.is_dir() else 0o666) & ~umask
        assert mode == expected, f"{file.name}: {oct(mode)} with umask {oct(umask)}"
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask
