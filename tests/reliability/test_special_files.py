"""Links and special files in imported folders: links are not followed out of the folder (nor
at all by default), FIFOs, devices and sockets are never read, size limits apply to the bytes
read, an unreadable folder is reported."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from annotator.importing import base
from annotator.importing.pipeline import import_paths
from annotator.storage.engine import Database
from tests.reliability.support import cli

ARTICLE = "The minister said on Monday that the talks would go on. Officials disagreed.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "ok.txt").write_text(ARTICLE)
    secret = tmp_path / "secret.txt"  # outside the folder imported
    secret.write_text("root:$6$saltsalt$hash:19000:0:99999:7:::\n")
    (root / "shadow.txt").symlink_to(secret)
    (root / "sub" / "inside.txt").symlink_to(root / "ok.txt")
    (root / "zero.txt").symlink_to("/dev/zero")
    (root / "outside_dir").symlink_to(tmp_path)
    os.mkfifo(root / "fifo.txt")
    return root


def _texts(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT text FROM documents")]


def test_links_and_special_files_are_not_read(db: Database, folder: Path) -> None:
    report = import_paths(db, [folder])  # a FIFO read would hang here; /dev/zero never ends
    texts = _texts(db)
    assert len(texts) == 1 and "minister" in texts[0]
    assert not any("root:" in t for t in texts)
    problems = "\n".join(report.errors)
    assert "shadow.txt: symbolic link not followed" in problems
    assert "zero.txt: symbolic link not followed" in problems
    assert "fifo.txt: not a regular file" in problems
    assert "outside_dir: symbolic link not followed" in problems
    assert not report.ok


def test_follow_links_stays_inside_the_folder(db: Database, folder: Path) -> None:
    report = import_paths(db, [folder], follow_links=True)
    texts = _texts(db)
    assert not any("root:" in t for t in texts)  # the link out of the folder is refused
    assert len(texts) == 1  # sub/inside.txt is ok.txt again: a duplicate
    assert report.duplicates == 1
    problems = "\n".join(report.errors)
    assert "shadow.txt: symbolic link not followed" in problems
    assert "zero.txt: symbolic link not followed" in problems


def test_special_files_named_explicitly_are_not_read(db: Database, folder: Path) -> None:
    sock_path = folder / "s.txt"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        report = import_paths(db, [folder / "fifo.txt", folder / "zero.txt", sock_path])
    finally:
        sock.close()
    assert len(report.errors) == 3
    assert all("not a regular file" in e for e in report.errors)
    assert _texts(db) == []


def test_the_size_limit_counts_bytes_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # /proc files say size 0 and go on; a file may also grow after stat: what counts is read.
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "grows.txt"
    big.write_text("x" * 5000)
    with pytest.raises(base.InputError, match="over the 1000 bytes import limit"):
        base.read_limited(big)
    with pytest.raises(base.InputError, match="not a regular file"):
        base.read_limited(Path("/dev/zero"))


def test_a_fifo_in_a_folder_does_not_hang_the_cli(folder: Path, tmp_path: Path) -> None:
    ran = cli(tmp_path / "db.sqlite3", "import", str(folder), timeout=60)
    assert ran.code == 1 and not ran.traceback
    assert "1 documents added" in ran.out


def test_an_unreadable_folder_is_a_problem_not_an_empty_success(tmp_path: Path) -> None:
    # pytest's own temporary folders are private to root: a public one for this test
    import shutil
    import tempfile

    from annotator.importing.discover import discover
    from annotator.importing.pipeline import read_unit

    public = Path(tempfile.mkdtemp(prefix="annotator-unreadable-"))
    os.chmod(public, 0o755)
    locked = public / "locked"
    (locked / "inner").mkdir(parents=True)
    (locked / "inner" / "a.txt").write_text(ARTICLE)
    os.chmod(locked / "inner", 0)
    try:
        if os.geteuid() != 0:
            units = discover([locked])
        else:  # root reads any folder: look as nobody, in a child process
            os.chmod(locked, 0o755)
            units = _as_nobody(lambda: discover([locked]))
    finally:
        os.chmod(locked / "inner", 0o755)
        shutil.rmtree(public)
    assert [(u.kind, u.path.name) for u in units] == [("unreadable", "inner")]
    (error,) = read_unit(units[0]).errors
    assert error.endswith("inner: cannot read this folder (no permission?)")


def _as_nobody(fn):  # type: ignore[no-untyped-def]
    import pickle

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, run, send the result, leave at once
        try:
            os.setgid(65534)
            os.setuid(65534)
            try:
                result = fn()
            except Exception as exc:  # noqa: BLE001 - sent back to fail the test
                result = RuntimeError(repr(exc))
            os.write(write, pickle.dumps(result))
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    result = pickle.loads(data)
    if isinstance(result, Exception):
        raise result
    return result
