"""The desktop app on a damaged, read-only or faulty database: a dialog with the one-line
reason and the way out, never a traceback."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.reliability.support import build_db, checkpoint


@pytest.fixture
def dialogs(qtbot, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _p, title, text: shown.append((title, text))
    )
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("ANNOTATOR_QUIT_AFTER_SHOW", "1")
    return shown


def _damaged(tmp_path: Path) -> Path:
    path = tmp_path / "db.sqlite3"
    build_db(path, n_docs=60).dispose()
    checkpoint(path)
    with path.open("r+b") as fh:  # a zeroed page in the middle
        fh.seek(path.stat().st_size // 4096 // 2 * 4096)
        fh.write(b"\0" * 4096)
    return path


def test_gui_start_on_a_damaged_file_shows_the_way_out(dialogs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui import app

    path = _damaged(tmp_path)
    before = path.read_bytes()
    assert app.run(str(path)) == 1
    ((title, text),) = dialogs
    assert title == "Annotator cannot open this database"
    assert "is damaged" in text and "db check" in text and "backup" in text
    assert "\n" not in text and "Traceback" not in text
    assert path.read_bytes() == before


def test_gui_start_on_a_damaged_row_shows_a_dialog(dialogs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui import app

    path = tmp_path / "rows.sqlite3"
    build_db(path, n_docs=20).dispose()
    con = sqlite3.connect(path)  # a timestamp the ORM cannot read (structure intact)
    con.execute("UPDATE annotators SET created_at = 'garbage' WHERE name = 'ana'")
    con.execute("UPDATE projects SET created_at = 'x' ")
    con.commit()
    con.close()
    assert app.run(str(path)) == 1
    ((title, text),) = dialogs
    assert title == "Annotator cannot start"
    assert "is damaged" in text and "db check" in text
    assert "\n" not in text and "Traceback" not in text


def test_gui_start_on_a_read_only_file_says_so(dialogs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from annotator.ui import app

    if os.geteuid() != 0:
        pytest.skip("mounting needs root")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mnt)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        build_db(tmp_path / "src.sqlite3", n_docs=10).dispose()
        shutil.copy(tmp_path / "src.sqlite3", mnt / "db.sqlite3")
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        assert app.run(str(mnt / "db.sqlite3")) == 1
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
    ((title, text),) = dialogs
    assert "is read-only" in text and "Copy it to a writable folder" in text and "\n" not in text
