"""Another program holding the write lock: readers go on, `db check` says what it could not
check (never a false fault), a writer says who it waits for and finishes once the lock is free."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.support import build_db, cli

HOLD = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("UPDATE projects SET description = 'held'")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("ROLLBACK")
"""


@pytest.fixture
def held(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "db.sqlite3"
    build_db(path, n_docs=50).dispose()

    def hold(seconds: float) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        return proc

    yield path, hold


def test_readers_and_db_check_under_a_held_lock(held, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, hold = held
    holder = hold(30)
    try:
        assert cli(path, "stats").code == 0
        out = tmp_path / "export"
        assert cli(path, "export", "--format", "native", "--out", str(out)).code == 0
        check = cli(path, "db", "check")
        assert check.code == 2 and not check.traceback
        assert "[fts] documents_fts: not checked: another program is writing" in check.out
        assert "could not check everything" in check.err and "fault(s) found" not in check.err
    finally:
        holder.kill()
        holder.wait()
    assert cli(path, "db", "check").code == 0


def test_a_writer_says_who_holds_the_lock_and_finishes_after_it(held, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, hold = held
    article = tmp_path / "a.txt"
    article.write_text("The minister said the talks would go on. Officials disagreed.\n")
    holder = hold(16)  # longer than the busy timeout (10 s) plus a slow start: it must wait
    started = time.monotonic()
    try:
        ran = cli(path, "import", str(article))
    finally:
        holder.kill()
        holder.wait()
    assert ran.code == 0 and not ran.traceback, ran.err
    assert f"waiting for {path}" in ran.err and f"pid {holder.pid}" in ran.err
    assert time.monotonic() - started >= 10
    assert "1 documents added" in ran.out
