"""Document list at scale: 100,000 documents, filter time and first fill time.

Run on demand (not a test):  /work/venv/bin/python bench/doclist_bench.py [--docs 100000]
Target (issue 3): the document list filters in under 100 ms with 100,000 documents.
Prints the median and worst of several runs for each filter, through the service and through
the Qt model (count + first page + model reset), plus the time to build the database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.model import WorkStatus, new_id, utcnow  # noqa: E402
from annotator.services import doclist  # noqa: E402
from annotator.services.projects import get_or_create_annotator, get_or_create_project  # noqa: E402
from annotator.storage.engine import Database  # noqa: E402

WORDS = [
    "minister",
    "said",
    "government",
    "would",
    "oppose",
    "plan",
    "region",
    "talks",
    "agreement",
    "border",
    "security",
    "economy",
    "president",
    "parliament",
    "election",
    "energy",
    "gas",
    "pipeline",
    "sanctions",
    "visit",
    "foreign",
    "cooperation",
    "Tehran",
    "Baku",
    "Ankara",
    "Moscow",
    "Brussels",
    "corridor",
    "peace",
    "treaty",
    "statement",
    "press",
    "agency",
]


def build(db: Database, n_docs: int, seed: int = 7) -> tuple[str, str, list[str], list[str]]:
    """Bulk-load `n_docs` small articles, 5% annotated, 10% with a work status."""
    rng = random.Random(seed)
    project = get_or_create_project(db, "Bench")
    ann = get_or_create_annotator(db, "bench")
    sources = [f"Agency {i:02d}" for i in range(60)]
    now = utcnow()
    actor_ids = [new_id() for _ in range(300)]
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO actors (id, project_id, name, type, role, affiliation, wikidata_id,"
            " created_at, updated_at) VALUES (?, ?, ?, 'person', '', '', '', ?, ?)",
            [(a, project.id, f"Speaker {i:03d}", now, now) for i, a in enumerate(actor_ids)],
        )
        docs, works, attrs = [], [], []
        for i in range(n_docs):
            doc_id = new_id()
            body = " ".join(rng.choice(WORDS) for _ in range(90))
            docs.append(
                (doc_id, project.id, f"Article {i} on {rng.choice(WORDS)}", body, f"{i:064x}",
                 len(body), rng.choice(sources), "", f"2023-{rng.randint(1, 12):02d}-01", "", "",
                 rng.choice(["en", "en", "fr", "ar", "ru"]), "{}", "", "", "{}", now, now)
            )  # fmt: skip
            if rng.random() < 0.10:
                status = rng.choice(["in_progress", "done"])
                works.append((new_id(), doc_id, ann.id, status, now, now))
            if rng.random() < 0.05:
                for _ in range(rng.randint(1, 6)):
                    attrs.append(
                        (new_id(), doc_id, ann.id, "[[0, 5]]", rng.choice(actor_ids), now, now)
                    )
        conn.exec_driver_sql(
            "INSERT INTO documents (id, project_id, title, text, text_sha256, length, source, url,"
            " published, place, author, language, metadata, raw_path, raw_sha256, import_report,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            docs,
        )
        conn.exec_driver_sql(
            "INSERT INTO document_work (id, document_id, annotator_id, status, created_at,"
            " updated_at) VALUES (?,?,?,?,?,?)",
            works,
        )
        conn.exec_driver_sql(
            "INSERT INTO attributions (id, document_id, annotator_id, content_spans, speaker_id,"
            " kind, proposition, note, origin, review_state, review_comment, source_ids,"
            " created_at, updated_at) VALUES (?,?,?,?,?,'indirect','','','manual','draft','',"
            "'[]',?,?)",
            attrs,
        )
        conn.exec_driver_sql("ANALYZE")
    return project.id, ann.id, sources, actor_ids


def timed(fn: Callable[[], object], runs: int = 7) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(Path(tmp) / "bench.sqlite3")
        t0 = time.perf_counter()
        project_id, ann_id, sources, actors = build(db, args.docs)
        print(f"built {args.docs:,} documents in {time.perf_counter() - t0:.1f} s")
        speaker = doclist.list_speakers(db, project_id)[0].id
        filters = {
            "no filter": doclist.DocFilter(),
            "status=new": doclist.DocFilter(status=WorkStatus.NEW),
            "status=done": doclist.DocFilter(status=WorkStatus.DONE),
            "source": doclist.DocFilter(source=sources[3]),
            "speaker": doclist.DocFilter(speaker_id=speaker),
            "search 'pipeline sanctions'": doclist.DocFilter(search="pipeline sanctions"),
            "search rare 'Article 4242'": doclist.DocFilter(search="Article 4242"),
            "source+status+search": doclist.DocFilter(
                status=WorkStatus.NEW, source=sources[5], search="Tehran"
            ),
        }
        print(f"\n{'service: count + first page':34} {'median ms':>10} {'worst ms':>10}  rows")
        for name, flt in filters.items():
            med, worst = timed(lambda flt=flt: doclist.first_page(db, project_id, ann_id, flt))
            page = doclist.first_page(db, project_id, ann_id, flt)
            shown = f"more than {page.total:,}" if page.capped else f"{page.total:,}"
            print(f"{name:34} {med:10.1f} {worst:10.1f}  {shown}")
        orders = {
            "title ascending": doclist.DocSort("title"),
            "date descending": doclist.DocSort("published", descending=True),
            "source ascending": doclist.DocSort("source"),
        }
        sorted_cases = {"no filter": filters["no filter"], "status=new": filters["status=new"]}
        sorted_cases["search 'pipeline sanctions'"] = filters["search 'pipeline sanctions'"]
        print(f"\n{'service: sorted count + first page':34} {'median ms':>10} {'worst ms':>10}")
        for oname, order in orders.items():
            for fname, flt in sorted_cases.items():
                med, worst = timed(
                    lambda flt=flt, order=order: doclist.first_page(
                        db, project_id, ann_id, flt, order=order
                    )
                )
                print(f"{oname + ', ' + fname:34.34} {med:10.1f} {worst:10.1f}")
            # a deep page: the keyset cursor 50,000 rows in
            deep = doclist.fetch_documents(
                db, project_id, ann_id, order=order, limit=args.docs // 2
            )[-1]
            med, worst = timed(
                lambda order=order, deep=deep: doclist.fetch_documents(
                    db,
                    project_id,
                    ann_id,
                    order=order,
                    after_seq=deep.seq,
                    after_value=order.value(deep),
                )  # fmt: skip
            )
            print(f"{oname + ', page at the middle':34.34} {med:10.1f} {worst:10.1f}")
        med, worst = timed(lambda: doclist.list_sources(db, project_id))
        print(f"{'distinct sources':34} {med:10.1f} {worst:10.1f}")
        med, worst = timed(lambda: doclist.list_speakers(db, project_id))
        print(f"{'speakers':34} {med:10.1f} {worst:10.1f}")
        _bench_model(db, project_id, ann_id, filters)
        db.dispose()
    return 0


def _bench_model(
    db: Database, project_id: str, ann_id: str, filters: dict[str, doclist.DocFilter]
) -> None:
    from PySide6.QtWidgets import QApplication, QTableView

    from annotator.ui.document_list import DocumentListModel

    app = QApplication.instance() or QApplication([])
    model = DocumentListModel(db)
    view = QTableView()
    view.setModel(model)
    view.resize(900, 700)
    view.show()
    t0 = time.perf_counter()
    model.set_context(project_id, ann_id)
    app.processEvents()
    print(f"\nQt model first fill + paint: {(time.perf_counter() - t0) * 1000:.1f} ms")
    print(f"{'Qt model: set_filter + paint':34} {'median ms':>10} {'worst ms':>10}")
    for name, flt in filters.items():

        def run(flt: doclist.DocFilter = flt) -> None:
            model.set_filter(flt)
            app.processEvents()

        med, worst = timed(run)
        print(f"{name:34} {med:10.1f} {worst:10.1f}")
    t0 = time.perf_counter()
    model.set_filter(doclist.DocFilter())
    while model.canFetchMore() and model.rowCount() < 5000:
        model.fetchMore()
    print(f"scroll-load 5,000 rows: {(time.perf_counter() - t0) * 1000:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
