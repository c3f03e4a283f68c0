"""kill -9 at random points of the long commands: import, bundle import, db backup, db upgrade.
Afterwards the database is sound (`db check`), every document whole (all of its attributions
or none), and the command run again completes. HTML pool workers die with the import."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.reliability.support import build_db, cli, cli_argv, kill_after

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
TRIALS = 2


def _sound(path: Path) -> None:
    check = cli(path, "db", "check")
    assert check.code == 0, check.out + check.err


def _articles(folder: Path, n: int) -> Path:
    folder.mkdir()
    rng = random.Random(5)
    words = [
        "the",
        "minister",
        "said",
        "talks",
        "would",
        "go",
        "on",
        "despite",
        "the",
        "sanctions",
        "officials",
        "warned",
    ]
    for i in range(n):
        body = " ".join(rng.choice(words) for _ in range(120))
        (folder / f"a{i:04}.txt").write_text(f"Headline {i}\n\n{body}.\n")
    return folder


def test_kill_9_during_a_text_import(tmp_path: Path) -> None:
    texts = _articles(tmp_path / "texts", 800)
    rng = random.Random(11)
    for trial in range(TRIALS):
        db = tmp_path / f"t{trial}.sqlite3"
        kill_after(cli_argv(db, "import", str(texts)), rng.uniform(0.8, 2.5))
        if db.exists():
            _sound(db)
        done = cli(db, "import", str(texts))
        assert done.code == 0 and not done.traceback
        assert "800 files" in done.out
        stats = json.loads(cli(db, "stats", "--json").out)
        assert stats["documents"] == 800  # what the killed run stored counts as duplicates


def test_kill_9_during_a_bundle_import(tmp_path: Path) -> None:
    source = tmp_path / "source.sqlite3"
    build_db(source, n_docs=300, per_doc=10).dispose()
    bundle = tmp_path / "b.zip"
    assert cli(source, "bundle", "export", "--out", str(bundle)).code == 0
    rng = random.Random(12)
    for trial in range(TRIALS):
        db = tmp_path / f"r{trial}.sqlite3"
        kill_after(cli_argv(db, "bundle", "import", str(bundle)), rng.uniform(0.8, 3.0))
        if db.exists():
            _sound(db)
            stats = json.loads(cli(db, "stats", "--json").out)
            assert stats["attributions"] in (0, 3000)  # one transaction: all or nothing
        done = cli(db, "bundle", "import", str(bundle))
        assert done.code == 0 and not done.traceback
        assert json.loads(cli(db, "stats", "--json").out)["attributions"] == 3000


def test_kill_9_during_a_backup_leaves_no_partial_after_the_next_start(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    build_db(db, n_docs=600, per_doc=10).dispose()
    out = tmp_path / "copy.sqlite3"
    rng = random.Random(13)
    for _trial in range(TRIALS):
        kill_after(
            cli_argv(db, "db", "backup", "--out", str(out), "--force"), rng.uniform(0.5, 1.2)
        )
        if out.exists():
            _sound(out)  # a backup file is never a truncated copy
    # The next start removes what killed backups left.
    assert cli(db, "stats").code == 0
    assert list(tmp_path.glob("*.partial")) == []


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_killing_an_html_import_leaves_no_worker_behind(tmp_path: Path) -> None:
    if not (CORPUS / "html").is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    pages = sorted((CORPUS / "html").rglob("*.html"))[:6]
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(60):  # enough pages for the process pool
        page = pages[i % len(pages)].read_bytes()
        (folder / f"p{i:03}.html").write_bytes(
            page.replace(b"</body>", f"<p>{i}</p></body>".encode())
        )
    proc = subprocess.Popen(
        cli_argv(tmp_path / "h.sqlite3", "import", str(folder)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    if not workers:
        proc.kill()
        pytest.skip("the import finished before its pool started (fast machine)")
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    alive = workers
    while alive and time.monotonic() < deadline:
        alive = [w for w in workers if Path(f"/proc/{w}").exists() and _zombie(w) is False]
        time.sleep(0.1)
    assert alive == [], f"pool workers {alive} outlived the killed import"


def _zombie(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _old_database(path: Path, n_docs: int) -> None:
    """A database as version 0001 of the app left it (no full-text index yet), filled with
    raw SQL: its upgrade builds the index over every document, which takes a moment."""
    import hashlib
    import sqlite3

    from annotator.storage.engine import Database
    from annotator.storage.migrate import upgrade

    db = Database.open(path, migrate=False)
    upgrade(db, "0001")
    db.dispose()
    now = "2024-01-02 03:04:05.000000"
    con = sqlite3.connect(path)
    con.execute("INSERT INTO projects VALUES ('Old', '', '', NULL, 'p1', ?, ?)", (now, now))
    rng = random.Random(4)
    words = [
        "the",
        "minister",
        "said",
        "talks",
        "would",
        "go",
        "on",
        "despite",
        "sanctions",
        "officials",
        "warned",
    ]
    for i in range(n_docs):
        text = f"Article {i}. " + " ".join(rng.choice(words) for _ in range(200))
        con.execute(
            "INSERT INTO documents (id, project_id, title, text, text_sha256, length, source,"
            " url, published, place, author, language, metadata, raw_path, raw_sha256,"
            " import_report, created_at, updated_at) VALUES (?, 'p1', ?, ?, ?, ?, '', '', '',"
            " '', '', 'en', '{}', '', '', '{}', ?, ?)",
            (f"d{i}", f"T{i}", text, hashlib.sha256(text.encode()).hexdigest(), len(text), now,
             now),
        )  # fmt: skip
    con.commit()
    con.close()


def test_kill_9_during_db_upgrade(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    _old_database(old, 3000)
    rng = random.Random(14)
    for trial in range(TRIALS):
        db = tmp_path / f"u{trial}" / "db.sqlite3"
        db.parent.mkdir()
        shutil.copy(old, db)
        kill_after(cli_argv(db, "db", "upgrade"), rng.uniform(0.3, 1.5))
        again = cli(db, "db", "upgrade")
        assert again.code == 0 and not again.traceback, again.err
        _sound(db)
        assert json.loads(cli(db, "stats", "--json").out)["documents"] == 3000
        assert list(db.parent.glob("*.partial")) == []  # the killed run's copy, removed
