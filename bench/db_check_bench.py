"""`db check`, backup and sample creation at scale (run on demand, not a test).

    /work/venv/bin/python bench/db_check_bench.py [--docs 10000] [--per-doc 3]

Builds a database of N documents of about 4 KB with a few attributions each (Core executemany,
so building is not what is measured), then times check_database, the backup API copy and
opening the backup. No target is set in the issue; the numbers say how long a user waits.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

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


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    result = fn()
    print(f"{label:>34}: {time.perf_counter() - t0:7.2f} s")
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--per-doc", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        timed(f"build {args.docs} docs (not measured)", lambda: build(db, args.docs, args.per_doc))
        assert db.path is not None
        print(f"{'database size':>34}: {db.path.stat().st_size / 1e6:7.1f} MB")
        faults = timed("check_database", lambda: check_database(db))
        print(f"{'faults':>34}: {len(faults)}")
        copy = timed("backup (SQLite backup API)", lambda: backup(db))
        timed("open the backup (already at head)", lambda: Database.open(copy).dispose())
        db.dispose()
        fresh = Database.open(Path(tmp) / "fresh.sqlite3")
        timed("ensure_sample_project (empty DB)", lambda: ensure_sample_project(fresh))
        fresh.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
