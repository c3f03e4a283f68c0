"""Bundle export + import at scale: 10,000 documents with 100,000 attributions.

Run on demand (not a test):  /work/venv/bin/python bench/bundle_bench.py [--docs 10000 --per-doc 10]
Builds the source database with bulk SQL (3 annotators, 300 actors, 100 targets, ~2 KB articles),
then times: export to a bundle; import into a fresh database; re-import of the same bundle into
that database (the idempotent case, which must change nothing). Target (issue 5): export + import
< 20 s; the re-import is shown separately. `--keep DIR` leaves the databases and the bundle in DIR
(e.g. to profile an import of DIR/bench.zip).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import func, insert, select  # noqa: E402
from vocabulary import NEWS_WORDS  # noqa: E402

from annotator.model import new_id, utcnow  # noqa: E402
from annotator.storage import schema  # noqa: E402
from annotator.storage.engine import Database  # noqa: E402
from annotator.team.bundle_export import export_bundle  # noqa: E402
from annotator.team.bundle_import import import_bundle  # noqa: E402
from annotator.text import sha256_text  # noqa: E402

WORDS = [
    *NEWS_WORDS,
    "corridor",
    "agreement",
    "according",
    "to",
    "statement",
    "officials",
    "spokesman",
    "warned",
    "support",
    "neutral",
    "stressed",
]
KINDS = ("direct", "indirect", "mixed")
POLARITIES = ("support", "oppose", "neutral", "unclear", None)


def build(db: Database, n_docs: int, per_doc: int, rng: random.Random) -> None:
    now = utcnow()
    with db.session() as s:
        project_id = new_id()
        s.execute(insert(schema.Project).values(id=project_id, name="Bench", guidelines="Tag."))
        annotators = [new_id() for _ in range(3)]
        s.execute(
            insert(schema.Annotator),
            [{"id": a, "name": f"analyst{i}"} for i, a in enumerate(annotators)],
        )
        actors = [new_id() for _ in range(300)]
        s.execute(
            insert(schema.Actor),
            [
                {"id": a, "project_id": project_id, "name": f"Speaker {i}"}
                for i, a in enumerate(actors)
            ],
        )
        targets = [new_id() for _ in range(100)]
        s.execute(
            insert(schema.Target),
            [
                {"id": t, "project_id": project_id, "name": f"Topic {i}"}
                for i, t in enumerate(targets)
            ],
        )
        docs, attrs = [], []
        for d in range(n_docs):
            text = f"Article {d}. " + " ".join(rng.choice(WORDS) for _ in range(300))
            doc_id = new_id()
            docs.append(
                {"id": doc_id, "project_id": project_id, "title": f"Article {d}", "text": text,
                 "text_sha256": sha256_text(text), "length": len(text)}
            )  # fmt: skip
            for _ in range(per_doc):
                start = rng.randrange(0, len(text) - 200)
                end = start + rng.randrange(20, 180)
                deleted = now if rng.random() < 0.02 else None
                attrs.append(
                    {"id": new_id(), "document_id": doc_id, "annotator_id": rng.choice(annotators),
                     "content_spans": [[start, end]], "cue_start": end + 1, "cue_end": end + 5,
                     "speaker_id": rng.choice(actors), "kind": rng.choice(KINDS),
                     "target_id": rng.choice(targets), "polarity": rng.choice(POLARITIES),
                     "proposition": "bench", "created_at": now,
                     "updated_at": now + timedelta(microseconds=rng.randrange(10**6)),
                     "deleted_at": deleted}
                )  # fmt: skip
        for i in range(0, len(docs), 2000):
            s.execute(insert(schema.Document), docs[i : i + 2000])
        for i in range(0, len(attrs), 10000):
            s.execute(insert(schema.Attribution), attrs[i : i + 10000])


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Result, wall seconds, and CPU seconds of this process (other users of a shared machine
    slow the wall clock, not the CPU time)."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--per-doc", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="work in DIR (must be empty) and keep the files")
    args = parser.parse_args()
    rng = random.Random(7)
    with contextlib.ExitStack() as stack:
        if args.keep is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        else:
            root = args.keep
            root.mkdir(parents=True, exist_ok=True)
            if any(root.iterdir()):
                parser.error(f"--keep {root}: directory is not empty")
        source = Database.open(root / "source.sqlite3")
        t = time.perf_counter()
        build(source, args.docs, args.per_doc, rng)
        print(f"setup (bulk SQL, not timed): {time.perf_counter() - t:.1f} s,"
              f" {count(source, schema.Document)} documents,"
              f" {count(source, schema.Attribution)} attributions")  # fmt: skip

        result, w1, c1 = timed(lambda: export_bundle(source, root / "bench.zip"))
        size = result.path.stat().st_size / 1e6
        print(f"export:            {w1:6.2f} s wall {c1:6.2f} s CPU  ({size:.1f} MB zip)")
        target = Database.open(root / "target.sqlite3")
        report, w2, c2 = timed(lambda: import_bundle(target, result.path))
        added = report.count("attributions").added
        print(f"import (fresh DB): {w2:6.2f} s wall {c2:6.2f} s CPU  ({added} attributions added)")
        again, w3, c3 = timed(lambda: import_bundle(target, result.path))
        c = again.count("attributions")
        print(
            f"re-import (no-op): {w3:6.2f} s wall {c3:6.2f} s CPU  (changed: {again.changed()},"
            f" {c.unchanged} attributions unchanged)"
        )
        wall, cpu = w1 + w2, c1 + c2
        verdict = "OK" if wall < 20 else ("OK on CPU time (machine busy)" if cpu < 20 else "SLOW")
        print(f"export + import:   {wall:6.2f} s wall {cpu:6.2f} s CPU  (target < 20 s: {verdict})")
        print(f"  with re-import:  {wall + w3:6.2f} s wall {cpu + c3:6.2f} s CPU  (extra)")
        ok = (
            count(target, schema.Attribution) == count(source, schema.Attribution)
            and not again.changed()
        )
        source.dispose()
        target.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
