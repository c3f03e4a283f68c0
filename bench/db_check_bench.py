"""`db check`, backup and sample creation at scale (run on demand, not a test).

    python bench/db_check_bench.py [--docs 10000] [--per-doc 3] [--runs 5]

Builds a database of N documents of about 4 KB with a few attributions each (Core executemany,
so building is not what is measured), then times check_database, the backup API copy, opening
the backup and creating the sample project: medians of >= 5 runs, wall time. The issues set no
figure; the bench's own targets are what a user waits for without a progress bar at 10,000
documents: check < 10 s, backup < 5 s, opening a backup < 2 s, the sample < 2 s (scaled with
--docs). It exits 1 if one misses.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import MIN_RUNS, Verdicts, machine_note, repeat  # noqa: E402

from annotator.model import new_id, utcnow  # noqa: E402
from annotator.sample import ensure_sample_project  # noqa: E402
from annotator.services.projects import get_or_create_annotator, get_or_create_project  # noqa: E402
from annotator.storage import schema  # noqa: E402
from annotator.storage.check import check_database  # noqa: E402
from annotator.storage.engine import Database  # noqa: E402
from annotator.storage.migrate import backup  # noqa: E402
from annotator.text import sha256_text  # noqa: E402


def build(db: Database, n_docs: int, per_doc: int) -> None:
    project = get_or_create_project(db, "Bench")
    ann = get_or_create_annotator(db, "bench")
    now = utcnow()
    docs, atts = [], []
    for i in range(n_docs):
        text = (f"Article {i}. The minister said “we will not move” on day {i}. " * 60)[:4000]
        doc_id = new_id()
        docs.append(
            {
                "id": doc_id,
                "project_id": project.id,
                "title": f"Article {i}",
                "text": text,
                "text_sha256": sha256_text(text),
                "length": len(text),
                "meta": {"i": i},
                "import_report": {},
                "created_at": now,
                "updated_at": now,
            }
        )
        for k in range(per_doc):
            atts.append(
                {
                    "id": new_id(),
                    "document_id": doc_id,
                    "annotator_id": ann.id,
                    "content_spans": [[10 + 50 * k, 40 + 50 * k]],
                    "kind": "direct",
                    "source_ids": [],
                    "created_at": now,
                    "updated_at": now,
                }
            )
    with db.session() as s:
        s.execute(insert(schema.Document), docs)
        s.execute(insert(schema.Attribution), atts)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--per-doc", type=int, default=3)
    parser.add_argument("--runs", type=int, default=MIN_RUNS)
    args = parser.parse_args()
    runs = max(args.runs, MIN_RUNS)
    scale = max(1.0, args.docs / 10_000)
    v = Verdicts()

    def timed(label: str, fn, limit_s: float) -> None:  # type: ignore[no-untyped-def]
        t = repeat(fn, runs)
        print(f"{label:>36}: median {t.median:7.2f} s, worst {t.worst:7.2f} s (n={runs})")
        v.check(label, t.median, limit_s, "s")

    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        t0 = time.perf_counter()
        build(db, args.docs, args.per_doc)
        print(f"built {args.docs} documents in {time.perf_counter() - t0:.1f} s (setup)")
        assert db.path is not None
        print(f"{'database size':>36}: {db.path.stat().st_size / 1e6:7.1f} MB")
        faults = check_database(db)
        print(f"{'faults':>36}: {len(faults)}")
        timed("check_database", lambda: check_database(db), 10 * scale)
        copies: list[Path] = []

        def copy() -> None:
            copies.append(backup(db, Path(tmp) / f"copy-{len(copies)}.sqlite3"))

        timed("backup (SQLite backup API)", copy, 5 * scale)
        timed("open the backup (already at head)",
              lambda: Database.open(copies[0]).dispose(), 2)  # fmt: skip
        for c in copies:
            c.unlink(missing_ok=True)
        db.dispose()
        fresh = [Path(tmp) / f"fresh-{i}.sqlite3" for i in range(runs)]
        dbs = [Database.open(p) for p in fresh]
        timed("ensure_sample_project (empty DB)", lambda: ensure_sample_project(dbs.pop()), 2)
    print(machine_note())
    return v.finish()


if __name__ == "__main__":
    raise SystemExit(main())
