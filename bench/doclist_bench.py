"""Document list at scale: 500,000 documents; every filter, sort, search and the speaker list.

    python bench/doclist_bench.py [--docs 500000] [--runs 5] [--keep DIR]

Target (issue 10): each of them answers in under 100 ms (median of >= 5 runs, wall time),
through the service (count + first page in one call) and through the Qt model as the list
shows it (set_filter + paint). The bench checks every measure against the target and exits 1 if
one misses. The database is built with bulk SQL (not measured) in a temporary folder removed
afterwards; --keep DIR builds it there once and reuses it on later runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import MIN_RUNS, Verdicts, machine_note, repeat, workdir  # noqa: E402

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


TARGET_MS = 100.0


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    t = repeat(fn, runs)
    return t.median * 1000, t.worst * 1000


def open_or_build(folder: Path, n_docs: int) -> tuple[Database, str, str, list[str]]:
    """The bench database in `folder`, built if absent (ids of what the measures filter on)."""
    path, meta = folder / f"doclist-{n_docs}.sqlite3", folder / f"doclist-{n_docs}.json"
    if path.exists() and meta.exists():
        ids = json.loads(meta.read_text())
        return Database.open(path), ids["project"], ids["annotator"], ids["sources"]
    path.unlink(missing_ok=True)
    db = Database.open(path)
    t0 = time.perf_counter()
    project_id, ann_id, sources, _actors = build(db, n_docs)
    print(f"built {n_docs:,} documents in {time.perf_counter() - t0:.1f} s (setup, not measured)")
    meta.write_text(json.dumps({"project": project_id, "annotator": ann_id, "sources": sources}))
    return db, project_id, ann_id, sources


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=MIN_RUNS)
    parser.add_argument("--keep", type=Path, help="folder to build the database in and reuse")
    args = parser.parse_args()
    runs = max(args.runs, MIN_RUNS)
    verdicts = Verdicts()
    with workdir("annotator-doclist-", args.keep) as tmp:
        db, project_id, ann_id, sources = open_or_build(tmp, args.docs)
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
            "speaker+status=done": doclist.DocFilter(speaker_id=speaker, status=WorkStatus.DONE),
        }
        print(f"{args.docs:,} documents; each measure: median and worst of {runs} runs (ms)")
        print(f"\n{'service: count + first page':40} {'median':>8} {'worst':>8}  rows")
        for name, flt in filters.items():
            med, worst = timed(
                lambda flt=flt: doclist.first_page(db, project_id, ann_id, flt), runs
            )
            page = doclist.first_page(db, project_id, ann_id, flt)
            shown = f"more than {page.total:,}" if page.capped else f"{page.total:,}"
            print(f"{name:40} {med:8.1f} {worst:8.1f}  {shown}")
            verdicts.check(f"filter: {name}", med, TARGET_MS, "ms")
        orders = {
            "title ascending": doclist.DocSort("title"),
            "date descending": doclist.DocSort("published", descending=True),
            "source ascending": doclist.DocSort("source"),
        }
        sorted_cases = {
            k: filters[k]
            for k in ("no filter", "status=new", "status=done", "search 'pipeline sanctions'",
                      "search rare 'Article 4242'", "source+status+search", "speaker")
        }  # fmt: skip
        print(f"\n{'service: sorted count + first page':40} {'median':>8} {'worst':>8}")
        for oname, order in orders.items():
            for fname, flt in sorted_cases.items():
                med, worst = timed(
                    lambda flt=flt, order=order: doclist.first_page(
                        db, project_id, ann_id, flt, order=order
                    ),
                    runs,
                )
                print(f"{oname + ', ' + fname:40.40} {med:8.1f} {worst:8.1f}")
                verdicts.check(f"sort {oname}, {fname}", med, TARGET_MS, "ms")
            # a deep page: the keyset cursor half-way through the list
            deep = doclist.fetch_documents(
                db, project_id, ann_id, order=order, limit=args.docs // 2
            )[-1]
            med, worst = timed(
                lambda order=order, deep=deep: doclist.fetch_documents(
                    db, project_id, ann_id, order=order,
                    after_seq=deep.seq, after_value=order.value(deep),
                ),
                runs,
            )  # fmt: skip
            print(f"{oname + ', page at the middle':40.40} {med:8.1f} {worst:8.1f}")
            verdicts.check(f"sort {oname}, page at the middle", med, TARGET_MS, "ms")
        for name, fn in (
            ("distinct sources", lambda: doclist.list_sources(db, project_id)),
            ("speaker list", lambda: doclist.list_speakers(db, project_id)),
        ):
            med, worst = timed(fn, runs)
            print(f"{name:40} {med:8.1f} {worst:8.1f}")
            verdicts.check(name, med, TARGET_MS, "ms")
        _bench_model(db, project_id, ann_id, filters, runs, verdicts)
        db.dispose()
    print(machine_note())
    return verdicts.finish()


def _bench_model(
    db: Database,
    project_id: str,
    ann_id: str,
    filters: dict[str, doclist.DocFilter],
    runs: int,
    verdicts: Verdicts,
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
    first = (time.perf_counter() - t0) * 1000
    print(f"\nQt model first fill + paint: {first:.1f} ms")
    verdicts.check("list: first fill + paint", first, TARGET_MS, "ms")
    print(f"{'Qt model: set_filter + paint':40} {'median':>8} {'worst':>8}")
    for name, flt in filters.items():

        def run(flt: doclist.DocFilter = flt) -> None:
            model.set_filter(flt)
            app.processEvents()

        med, worst = timed(run, runs)
        print(f"{name:40} {med:8.1f} {worst:8.1f}")
        verdicts.check(f"list: {name}", med, TARGET_MS, "ms")
    t0 = time.perf_counter()
    model.set_filter(doclist.DocFilter())
    while model.canFetchMore() and model.rowCount() < 5000:
        model.fetchMore()
    print(f"scroll-load 5,000 rows: {(time.perf_counter() - t0) * 1000:.1f} ms (25 pages)")
    view.close()


if __name__ == "__main__":
    sys.exit(main())
