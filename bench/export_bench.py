"""Export benchmark: 10,000 documents (~4 KB) with 100,000 attributions.

Builds the database with bulk SQL (fast), then times, each in its own subprocess so peak memory
(ru_maxrss) is per run: `native` and `quotes-csv` exports against their floor, a bare sqlite3
query plus json.dumps / csv.writer of the same rows. Targets: each export < 5 s, within 3x of
its floor, peak memory < 200 MiB.

    python bench/export_bench.py [--docs 10000] [--per-doc 10] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

SENTENCE = (
    "the minister said talks on the energy corridor would resume next week while officials in"
    " the region warned that sanctions could delay trade and security cooperation remained a"
    " priority for both governments according to agency reports on Thursday"
)
WORDS = SENTENCE.split(" ")


def build(path: Path, docs: int, per_doc: int) -> None:
    from annotator.storage.engine import Database

    Database.open(path).dispose()  # schema at head
    rng = random.Random(0)
    con = sqlite3.connect(path)
    now = "2026-01-01 00:00:00.000000"
    pid, aid = str(uuid.uuid4()), str(uuid.uuid4())
    con.execute(
        "INSERT INTO projects (id, name, description, guidelines, created_at, updated_at)"
        " VALUES (?, 'Bench', '', '', ?, ?)",
        (pid, now, now),
    )
    con.execute(
        "INSERT INTO annotators (id, name, created_at, updated_at) VALUES (?, 'ana', ?, ?)",
        (aid, now, now),
    )
    actors = [str(uuid.uuid4()) for _ in range(200)]
    con.executemany(
        "INSERT INTO actors (id, project_id, name, type, role, affiliation, wikidata_id,"
        " created_at, updated_at) VALUES (?, ?, ?, 'person', '', '', '', ?, ?)",
        [(a, pid, f"Speaker {i}", now, now) for i, a in enumerate(actors)],
    )
    targets = [str(uuid.uuid4()) for _ in range(50)]
    con.executemany(
        "INSERT INTO targets (id, project_id, name, description, created_at, updated_at)"
        " VALUES (?, ?, ?, '', ?, ?)",
        [(t, pid, f"Target {i}", now, now) for i, t in enumerate(targets)],
    )
    pols = ["support", "oppose", "neutral", "unclear"]
    for d in range(docs):
        parts = [f"Article {d}."]
        while sum(len(p) + 1 for p in parts) < 4000:
            parts.append(" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + ".")
        text = " ".join(parts)
        did = str(uuid.uuid4())
        con.execute(
            "INSERT INTO documents (id, project_id, title, text, text_sha256, length, source, url,"
            " published, place, author, language, metadata, raw_path, raw_sha256, import_report,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'Bench', ?, '2026-01-01', '', '',"
            " 'en', '{}', '', '', '{}', ?, ?)",
            (
                did,
                pid,
                f"Article {d}",
                text,
                hashlib.sha256(text.encode()).hexdigest(),
                len(text),
                f"https://example.org/{d}",
                now,
                now,
            ),
        )
        rows = []
        step = len(text) // per_doc
        for q in range(per_doc):
            s = q * step + 20
            rows.append(
                (
                    str(uuid.uuid4()),
                    did,
                    aid,
                    json.dumps([[s, s + 120]]),
                    s - 10,
                    s - 5,
                    s - 20,
                    s - 12,
                    rng.choice(actors),
                    rng.choice(targets),
                    pols[(d + q) % 4],
                    now,
                    now,
                )
            )
        con.executemany(
            "INSERT INTO attributions (id, document_id, annotator_id, content_spans, cue_start,"
            " cue_end, mention_start, mention_end, speaker_id, kind, target_id, polarity,"
            " proposition, note, origin, review_state, review_comment, source_ids, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'direct', ?, ?, '', '', 'manual',"
            " 'accepted', '', '[]', ?, ?)",
            rows,
        )
    con.commit()
    con.close()


def floor_native(db: Path, out: Path) -> None:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    with open(out / "floor.jsonl", "w", encoding="utf-8") as fh:
        for row in con.execute(
            "SELECT id, title, text, text_sha256, source, url, published, language, metadata"
            " FROM documents ORDER BY seq"
        ):
            fh.write(json.dumps(dict(row), ensure_ascii=False) + "\n")
        for row in con.execute("SELECT * FROM attributions ORDER BY document_id"):
            fh.write(json.dumps(dict(row), ensure_ascii=False) + "\n")


def floor_csv(db: Path, out: Path) -> None:
    """The same 33 columns as quotes-csv, as far as SQL can: the context is a fixed window."""
    con = sqlite3.connect(db)
    with open(out / "floor.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        cur = con.execute(
            "SELECT a.id, d.id, d.title, d.url, d.published, d.source,"
            " substr(d.text, json_extract(a.content_spans, '$[0][0]') + 1,"
            "  json_extract(a.content_spans, '$[0][1]') - json_extract(a.content_spans, '$[0][0]')),"
            " a.content_spans,"
            " substr(d.text, max(1, a.cue_start - 100), 400), max(0, a.cue_start - 101),"
            " substr(d.text, a.cue_start + 1, a.cue_end - a.cue_start), a.cue_start, a.cue_end,"
            " substr(d.text, a.mention_start + 1, a.mention_end - a.mention_start),"
            " a.mention_start, a.mention_end,"
            " s.name, a.speaker_id, s.type, s.role, s.affiliation, v.name, a.via_id, a.kind,"
            " t.name, a.target_id, a.polarity, upper(a.polarity), a.proposition, a.confidence,"
            " n.name, a.review_state, a.origin"
            " FROM attributions a JOIN documents d ON d.id = a.document_id"
            " LEFT JOIN actors s ON s.id = a.speaker_id LEFT JOIN actors v ON v.id = a.via_id"
            " LEFT JOIN targets t ON t.id = a.target_id"
            " LEFT JOIN annotators n ON n.id = a.annotator_id"
            " ORDER BY d.seq, a.id"
        )
        w.writerow([c[0] for c in cur.description])
        w.writerows(cur)


def export(db: Path, out: Path, fmt: str, split: tuple[float, float, float] | None = None) -> None:
    from annotator.exporting.base import ExportOptions
    from annotator.exporting.service import export_dataset
    from annotator.services.projects import find_project
    from annotator.storage.engine import Database

    database = Database.open(db)
    project = find_project(database, "Bench")
    assert project is not None
    options = ExportOptions(fmt, out, project.id, project_name="Bench", split=split)
    result = export_dataset(database, options)
    assert sum(c["attributions"] for c in result.counts.values()) > 0 and not result.problems


def child(kind: str, db: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    cpu = time.process_time()
    if kind == "floor-native":
        floor_native(db, out)
    elif kind == "floor-csv":
        floor_csv(db, out)
    elif kind == "native+split":  # informative: near-duplicate grouping and two passes
        export(db, out, "native", (0.8, 0.1, 0.1))
    else:
        export(db, out, kind)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mib": peak, "bytes": size}))


def measure(kind: str, db: Path, out: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(db), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--per-doc", type=int, default=10)
    ap.add_argument("--keep", type=Path, help="work directory to keep (default: a temp dir)")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--build", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build:
        build(Path(args.build[0]), int(args.build[1]), int(args.build[2]))
        return
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="export-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.sqlite3"
    if not db.exists():
        t = time.perf_counter()
        # in a child process: Linux keeps ru_maxrss across exec, so a parent that built the
        # database itself would inflate every measured child's peak memory
        subprocess.run(
            [sys.executable, __file__, "--build", str(db), str(args.docs), str(args.per_doc)],
            check=True,
        )
        print(
            f"built {args.docs} documents, {args.docs * args.per_doc} attributions "
            f"in {time.perf_counter() - t:.1f} s ({db.stat().st_size / 2**20:.0f} MiB)"
        )
    # Wall time is the target; CPU time is shown too because on a shared machine the wall
    # clock also measures the other processes.
    print(
        f"{'run':<14}{'seconds':>9}{'cpu s':>8}{'peak MiB':>10}{'out MiB':>9}{'x floor':>9}"
        "  verdict"
    )
    for fmt, floor in (("native", "floor-native"), ("quotes-csv", "floor-csv")):
        f = measure(floor, db, work / floor)
        r = measure(fmt, db, work / fmt)
        ratio = r["seconds"] / f["seconds"]
        ok = r["seconds"] < 5 and ratio <= 3 and r["peak_mib"] < 200
        for name, m, x in ((floor, f, ""), (fmt, r, f"{ratio:.2f}")):
            verdict = ("ok" if ok else "MISSED") if name == fmt else ""
            print(
                f"{name:<14}{m['seconds']:>9.2f}{m['cpu']:>8.2f}{m['peak_mib']:>10.0f}"
                f"{m['bytes'] / 2**20:>9.0f}{x:>9}  {verdict}"
            )
    m = measure("native+split", db, work / "native+split")
    print(
        f"{'native+split':<14}{m['seconds']:>9.2f}{m['cpu']:>8.2f}{m['peak_mib']:>10.0f}"
        f"{m['bytes'] / 2**20:>9.0f}{'':>9}  (not a target: --split 0.8,0.1,0.1)"
    )
    print("targets: export < 5 s, <= 3x floor, peak < 200 MiB (Label Studio: 15-22 s, ~900 MB)")


if __name__ == "__main__":
    main()
