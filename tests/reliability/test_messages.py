"""The messages of issue 8 #15: one line each, saying the right thing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.storage.engine import Database
from annotator.storage.migrate import remove_stale_partials
from tests.reliability.support import cli

ARTICLE = "The minister said on Monday that the talks would go on. Officials disagreed.\n"


@pytest.mark.parametrize("name", ["new\nline.txt", "esc\x1b[31mred.txt", "evil\u202etxt.exe.txt"])
def test_file_names_are_escaped_in_messages(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad = folder / name
    bad.write_bytes(b"\xff\xfe\x00\x00" * 3)  # refused: so the name appears in a message
    main(["--db", str(tmp_path / "db.sqlite3"), "import", str(bad)])
    err = capsys.readouterr().err
    assert err.count("\n") == 1, "a file name split the message"
    assert "\x1b" not in err and "\u202e" not in err
    assert repr(name)[1:-1].replace("\\\\", "\\") in err or "\\u202e" in err


def test_a_non_string_text_is_named_as_such(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"text": 12345}) + "\n" + json.dumps({"text": ""}) + "\n")
    ran = cli(tmp_path / "db.sqlite3", "import", str(rows))
    assert f"{rows}:1: 'text' must be a string, not int" in ran.err
    assert f"{rows}:2: 'text' is empty" in ran.err


def test_reversed_and_empty_spans_are_not_called_outside_the_text(db: Database) -> None:
    from annotator.native import NativeFormatError, parse_span

    text = "Some words here."
    with pytest.raises(NativeFormatError, match=r"span \[9, 3\) is empty or reversed"):
        parse_span({"start": 9, "end": 3}, text, "content[0]")
    with pytest.raises(NativeFormatError, match=r"span \[4, 4\) is empty or reversed"):
        parse_span({"start": 4, "end": 4}, text, "content[0]")
    with pytest.raises(NativeFormatError, match="outside the text"):
        parse_span({"start": 4, "end": 400}, text, "content[0]")


def test_a_full_disk_is_said_once_and_the_import_stops(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(400):
        (folder / f"a{i:03}.txt").write_text(f"Story {i}. " + ARTICLE * 40)
    db = tmp_path / "db.sqlite3"
    assert cli(db, "import", str(folder / "a000.txt")).code == 0  # the schema fits
    ran = cli(db, "import", str(folder), fsize=os.path.getsize(db) + 200_000)
    assert ran.code == 1 and not ran.traceback
    assert ran.err.count("the disk is full") == 1
    lines = [x for x in ran.err.splitlines() if x.strip() and not x.startswith("importing ")]
    assert len(lines) == 1  # one message, not one per file (progress lines aside)
    assert cli(db, "db", "check").code == 0  # what was stored before stays sound


def test_partial_copies_of_killed_backups_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / "db.sqlite3.backup-x.sqlite3.999999999.partial"
    dead.write_bytes(b"half a copy")
    alive = tmp_path / f"db.sqlite3.backup-y.sqlite3.{os.getpid()}.partial"
    alive.write_bytes(b"being written")
    journal = tmp_path / "copy.sqlite3.999999999.partial-journal"  # a copy the disk cut short
    journal.write_bytes(b"journal")
    mine = tmp_path / "notes.partial"
    mine.write_bytes(b"not ours")
    assert remove_stale_partials(tmp_path) == 2
    assert not dead.exists() and not journal.exists() and alive.exists() and mine.exists()


def test_a_backup_on_a_full_disk_leaves_nothing(tmp_path: Path) -> None:
    from tests.reliability.support import build_db

    db = tmp_path / "db.sqlite3"
    build_db(db, n_docs=200).dispose()
    out = tmp_path / "copy.sqlite3"
    ran = cli(db, "db", "backup", "--out", str(out), fsize=100_000)
    assert ran.code == 1 and not ran.traceback and ran.err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == []
