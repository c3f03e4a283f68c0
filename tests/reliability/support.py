"""Shared helpers of the reliability suite: the CLI in a child process (so it can be killed or
limited), a quickly built database with real-looking content, and byte-level damage."""

from __future__ import annotations

import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

from annotator.model import new_id, utcnow
from annotator.storage import schema
from annotator.storage.engine import Database
from annotator.text import sha256_text

WORDS = [
    "minister",
    "said",
    "the",
    "talks",
    "would",
    "continue",
    "despite",
    "sanctions",
    "according",
    "to",
    "officials",
    "who",
    "warned",
    "that",
    "the",
    "region",
    "faces",
    "an",
    "uncertain",
    "future",
    "as",
    "the",
    "agreement",
    "stalls",
    "again",
]


@dataclass
class Ran:
    code: int
    out: str
    err: str

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.err


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ANNOTATOR_DEBUG", None)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return env


def cli_argv(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "annotator", "--db", str(db), *args]


def cli(
    db: Path, *args: str, timeout: float = 120, fsize: int | None = None, umask: int | None = None
) -> Ran:
    """Run `annotator --db DB ARGS` in a child; `fsize` caps the bytes it may write to any one
    file (RLIMIT_FSIZE: what a full disk looks like to the program, without a small disk)."""

    def preexec() -> None:
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        if umask is not None:
            os.umask(umask)

    proc = subprocess.run(
        cli_argv(db, *args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(),
        preexec_fn=preexec,
    )
    return Ran(proc.returncode, proc.stdout, proc.stderr)


def kill_after(argv: list[str], delay: float, ready: Path | None = None) -> int | None:
    """Start `argv`, SIGKILL it after `delay` seconds (counted from when `ready` exists, if
    given). Returns its exit status if it finished before the kill, else None."""
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env()
    )
    start = time.monotonic()
    if ready is not None:
        while not ready.exists() and proc.poll() is None and time.monotonic() - start < 60:
            time.sleep(0.01)
        start = time.monotonic()
    while time.monotonic() - start < delay:
        if proc.poll() is not None:
            return proc.returncode
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return None


def build_db(path: Path, n_docs: int = 200, per_doc: int = 5, seed: int = 3) -> Database:
    """A project of `n_docs` ~1.5 KB articles with `per_doc` accepted attributions each,
    written with bulk SQL (seconds, not minutes)."""
    rng = random.Random(seed)
    db = Database.open(path)
    now = utcnow()
    with db.session() as s:
        project_id = new_id()
        s.execute(insert(schema.Project).values(id=project_id, name="P"))
        annotator = new_id()
        s.execute(insert(schema.Annotator).values(id=annotator, name="ana"))
        actors = [new_id() for _ in range(20)]
        s.execute(
            insert(schema.Actor),
            [
                {"id": a, "project_id": project_id, "name": f"Speaker {i}"}
                for i, a in enumerate(actors)
            ],
        )
        docs, attrs = [], []
        for d in range(n_docs):
            text = f"Article {d}. " + " ".join(rng.choice(WORDS) for _ in range(250)) + "."
            doc_id = new_id()
            docs.append({"id": doc_id, "project_id": project_id, "title": f"Article {d}",
                         "text": text, "text_sha256": sha256_text(text), "length": len(text)})  # fmt: skip
            for _ in range(per_doc):
                start = rng.randrange(0, len(text) - 100)
                attrs.append({"id": new_id(), "document_id": doc_id, "annotator_id": annotator,
                              "content_spans": [[start, start + 50]], "speaker_id": rng.choice(actors),
                              "kind": "indirect", "polarity": "support", "review_state": "accepted",
                              "created_at": now, "updated_at": now + timedelta(microseconds=d)})  # fmt: skip
        s.execute(insert(schema.Document), docs)
        s.execute(insert(schema.Attribution), attrs)
    return db


def checkpoint(path: Path) -> None:
    """Fold the WAL into the main file (so byte damage lands where the data is)."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def counts(path: Path) -> tuple[int, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        attrs = con.execute("SELECT count(*) FROM attributions").fetchone()[0]
        return docs, attrs
    finally:
        con.close()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
