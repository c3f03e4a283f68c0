"""Import speed, on demand (not a test): `python bench/import_bench.py [--articles N] [--pages N]`.

1. N (default 10,000) generated ~4 KB plain-text articles imported into a new database through
   `import_paths` (decode, normalize, title, dateline, residue rules, de-duplication, raw bytes,
   FTS index), next to the floor: a bare sqlite3 `executemany` of the very same rows into a
   same-shaped table (same columns, indexes, pragmas), with and without the FTS5 index + trigger.
   Target: within 3x the floor and under 10 s.
2. HTML pages per second: the corpus pages (../shared/corpus/html) repeated, extracted with
   trafilatura in the process pool and stored. Target: >= 25 pages/s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.importing.pipeline import import_paths  # noqa: E402
from annotator.storage.engine import Database  # noqa: E402

CORPUS_HTML = ROOT.parent / "shared" / "corpus" / "html"
WORDS = [
    "government",
    "minister",
    "council",
    "region",
    "security",
    "agreement",
    "talks",
    "border",
    "trade",
    "energy",
    "policy",
    "president",
    "officials",
    "report",
    "week",
    "plan",
    "support",
    "opposition",
    "parliament",
    "vote",
    "economy",
    "crisis",
    "peace",
    "water",
    "transport",
    "corridor",
    "meeting",
    "visit",
    "statement",
    "cooperation",
    "development",
]
PLACES = ["Baku", "Tbilisi", "Yerevan", "Ankara", "Tehran", "Moscow", "Brussels"]


def article(i: int, rng: random.Random) -> str:
    place = rng.choice(PLACES)
    paras = [f"Article {i}: {' '.join(rng.choices(WORDS, k=8)).capitalize()}"]
    body = f"{place} /{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.23/Turan: "
    while sum(len(p) for p in paras) + len(body) < 3800:
        sentence = " ".join(rng.choices(WORDS, k=rng.randint(8, 18))).capitalize()
        if rng.random() < 0.3:
            sentence = f'The minister said "{sentence}"'
        body += sentence + ". "
        if rng.random() < 0.2:
            paras.append(body.strip())
            body = ""
    paras.append(body.strip() + f" ({i})")
    return "\n\n".join(p for p in paras if p) + "\n"


def floor_seconds(db_path: Path, with_fts: bool, work: Path) -> float:
    """Bare sqlite3: the stored rows again, executemany into a same-shaped table."""
    src = sqlite3.connect(db_path)
    ddl = [
        r[0]
        for r in src.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'documents' AND sql IS NOT NULL"
            " AND type IN ('table', 'index')"
        )
    ]
    cols = [r[1] for r in src.execute("PRAGMA table_info(documents)")]
    rows = src.execute(f"SELECT {', '.join(cols)} FROM documents").fetchall()
    src.close()
    target = work / f"floor-{with_fts}.sqlite3"
    con = sqlite3.connect(target, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE projects (id VARCHAR(36) PRIMARY KEY)")
    for statement in ddl:
        con.execute(statement)
    if with_fts:
        con.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents',"
            " content_rowid='seq', tokenize='unicode61 remove_diacritics 2')"
        )
        con.execute(
            "CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN INSERT INTO"
            " documents_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END"
        )
    marks = ", ".join("?" for _ in cols)
    started = time.perf_counter()
    con.execute("BEGIN")
    con.executemany(f"INSERT INTO documents ({', '.join(cols)}) VALUES ({marks})", rows)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def bench_articles(n: int, work: Path) -> None:
    rng = random.Random(7)
    folder = work / "articles"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i:05d}.txt").write_text(article(i, rng), encoding="utf-8")
    size = sum(p.stat().st_size for p in folder.iterdir()) / n
    db_path = work / "import.sqlite3"
    db = Database.open(db_path)
    started = time.perf_counter()
    report = import_paths(db, [folder], project="Bench", annotator="bench")
    elapsed = time.perf_counter() - started
    db.dispose()
    assert report.ok and report.documents_added == n, (report.errors[:3], report.documents_added)
    floor_plain = floor_seconds(db_path, False, work)
    floor_fts = floor_seconds(db_path, True, work)
    print(f"plain text: {n} articles, {size / 1024:.1f} KB average")
    print(f"  import_paths           {elapsed:7.2f} s  ({n / elapsed:,.0f} articles/s)")
    print(f"  floor, same table+FTS  {floor_fts:7.2f} s  -> import = {elapsed / floor_fts:.2f}x")
    print(
        f"  floor, table only      {floor_plain:7.2f} s  -> import = {elapsed / floor_plain:.2f}x"
    )
    print(
        f"  target: <= 3x floor and < 10 s: {'MET' if elapsed < 10 and elapsed <= 3 * floor_fts else 'NOT MET'}"
    )
    detect = language_seconds([p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())])
    print(
        f"  of which language detection (median of 3, in-process): {detect:5.2f} s"
        f" ({detect / elapsed:.0%} of the import, {detect / n * 1e6:.0f} us/article)"
    )


def language_seconds(texts: list[str]) -> float:
    """What detecting the language of these texts costs (import does it once per article)."""
    from statistics import median

    from annotator.language import detect_language

    detect_language(texts[0])  # the model loads once per process, on first use
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        for text in texts:
            detect_language(text)
        runs.append(time.perf_counter() - started)
    return median(runs)


def bench_html(n_pages: int, work: Path) -> None:
    pages = sorted(CORPUS_HTML.glob("*/page.html"))
    if not pages:
        print("html: ../shared/corpus/html not found, skipped")
        return
    folder = work / "pages"
    folder.mkdir()
    for i in range(n_pages):
        src = pages[i % len(pages)]
        # distinct bytes per copy (a comment), so nothing is skipped before extraction
        data = src.read_bytes() + f"\n<!-- copy {i} -->\n".encode()
        (folder / f"{i:04d}-{src.parent.name}.html").write_bytes(data)
    db = Database.open(work / "html.sqlite3")
    started = time.perf_counter()
    report = import_paths(db, [folder], project="Web", annotator="bench")
    elapsed = time.perf_counter() - started
    db.dispose()
    assert report.ok, report.errors[:3]
    rate = n_pages / elapsed
    print(f"html: {n_pages} pages ({len(pages)} distinct corpus pages repeated) in {elapsed:.2f} s")
    print(
        f"  {rate:.1f} pages/s wall, process pool  target >= 25: {'MET' if rate >= 25 else 'NOT MET'}"
    )
    # CPU seconds per page in one process: the machine's capacity, independent of other load
    from annotator.importing.html import extract

    for page in pages:  # warm up imports and caches
        extract(page.read_bytes(), page)
    cpu = time.process_time()
    for _ in range(3):
        for page in pages:
            extract(page.read_bytes(), page)
    per_cpu_second = 3 * len(pages) / (time.process_time() - cpu)
    cores = os.cpu_count() or 1
    print(
        f"  {per_cpu_second:.1f} pages per CPU-second in one process; x {cores} cores ="
        f" {per_cpu_second * cores:.0f} pages/s capacity on an idle machine"
    )
    print(f"  load average while measuring: {os.getloadavg()[0]:.1f} on {cores} cores")


def bench_annotated(n: int, work: Path) -> None:
    """Native documents with 4 attributions each, every speaker new (worst case for lookups)."""
    import json

    path = work / "annotated.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = " ".join(f"Minister{i}x{k} said “point {k} stands”." for k in range(4))
            atts = []
            for k in range(4):
                start = text.index(f"point {k} stands")
                atts.append(
                    {
                        "content": [{"start": start, "end": start + 14}],
                        "speaker": f"Minister{i}x{k}",
                    }
                )
            doc = {"format": "annotator-native/1", "text": text, "attributions": atts}
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    db = Database.open(work / "annotated.sqlite3")
    started = time.perf_counter()
    report = import_paths(db, [path], project="Annotated", annotator="bench")
    elapsed = time.perf_counter() - started
    db.dispose()
    assert report.ok and report.attributions_added == 4 * n, report.errors[:3]
    print(f"annotated: {n} native documents x 4 attributions, {4 * n} new actors: {elapsed:.2f} s")
    print(f"  {n / elapsed:.0f} documents/s (one transaction each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--annotated", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        for run, count in (
            (bench_articles, args.articles),
            (bench_html, args.pages),
            (bench_annotated, args.annotated),
        ):
            if count:  # 0 skips a part
                run(count, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
