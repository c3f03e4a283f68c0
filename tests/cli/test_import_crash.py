"""kill -9 during an import: the database still passes `db check` and holds no partial document.

A real `annotator import` runs in a child process on many annotated native documents (each must
be stored together with all its attributions) and many plain ones (stored in batches); it is
killed with SIGKILL once some have been committed.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.native import FORMAT
from annotator.storage.check import check_database
from annotator.storage.engine import Database
from annotator.text import sha256_text

PER_DOC = 4  # attributions in every annotated document


def _write_annotated(folder: Path, n_docs: int) -> None:
    folder.mkdir()
    with (folder / "annotated.jsonl").open("w", encoding="utf-8") as f:
        for i in range(n_docs):
            text = " ".join(f"Minister {i} said “point {k} stands”." for k in range(PER_DOC))
            atts = []
            for k in range(PER_DOC):
                quote = f"point {k} stands"
                start = text.index(quote)
                atts.append(
                    {
                        "content": [{"start": start, "end": start + len(quote), "text": quote}],
                        "speaker": f"Minister {i}",
                        "kind": "direct",
                    }
                )
            doc = {"format": FORMAT, "title": f"Doc {i}", "text": text, "attributions": atts}
            doc["text_sha256"] = sha256_text(text)
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")


def _write_plain(folder: Path, n_docs: int) -> None:
    folder.mkdir()
    for i in range(n_docs):
        (folder / f"p{i:05d}.txt").write_text(
            f"Plain article {i}\n\nThe council met on day {i}. " * 20, encoding="utf-8"
        )


def _count(path: Path, table: str) -> int:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0  # not created yet


N_DOCS = 1000


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")
@pytest.mark.parametrize("kind", ["annotated", "plain"])
def test_sigkill_mid_import_leaves_a_sound_database(tmp_path: Path, kind: str) -> None:
    inputs = tmp_path / "in"
    if kind == "annotated":
        _write_annotated(inputs, N_DOCS)
        table, enough = "attributions", 40 * PER_DOC
    else:
        _write_plain(inputs, N_DOCS)
        table, enough = "documents", 300  # past the first batch of plain documents
    path = tmp_path / "crash.sqlite3"
    Database.open(path).dispose()  # created at head, so the child starts importing at once

    child = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(path), "import", str(inputs)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while _count(path, table) < enough:
            assert child.poll() is None, "the import finished before it could be killed"
            assert time.monotonic() < deadline, "the import stored too little within 60 s"
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    db = Database.open(path)
    try:
        assert check_database(db) == []
        with db.engine.connect() as conn:
            per_doc = conn.exec_driver_sql(
                "SELECT d.text, count(a.id) FROM documents d"
                " LEFT JOIN attributions a ON a.document_id = d.id GROUP BY d.id"
            ).all()
    finally:
        db.dispose()
    assert 0 < len(per_doc) < N_DOCS, "killed too early or too late to prove anything"
    for text, n in per_doc:
        if kind == "annotated":
            assert n == PER_DOC, "a document was stored without all its attributions"
        else:  # each plain document whole: all 20 repetitions present
            assert n == 0 and text.count("The council met on day") == 20
    assert main(["--db", str(path), "db", "check"]) == 0
