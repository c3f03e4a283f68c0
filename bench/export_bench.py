"""Export benchmark: 100,000 documents (~4 KB) with 1,000,000 attributions.

Builds the databases with bulk SQL (setup, not measured), then times `native` and `quotes-csv`
exports and their floors (a bare sqlite3 query plus json.dumps / csv.writer of the same rows),
interleaved, each run in its own process so its peak memory (ru_maxrss) is its own; medians of
>= 5 runs. Memory is flat when the peak on 1,000,000 attributions stays within 1.25x of the peak
on a tenth of them (measured in the same run).

Targets (issue 10): each export < 30 s (wall, median), peak < 200 MiB, flat memory.

Optional peer, measured in the same run (see bench/peers/label_studio.py; install it once with
`python bench/peers/label_studio.py --install`): --peer imports the tenth (10,000 texts,
100,000 content spans) into Label Studio and times its JSON and CSV exports against ours on the
same data. Without --peer no peer figure is printed.

    python bench/export_bench.py [--docs 100000] [--per-doc 10] [--runs 5] [--keep DIR] [--peer]

Output folders are removed after each run, and the work folder at the end (unless --keep).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import MIN_RUNS, Verdicts, machine_note, run_child, workdir  # noqa: E402

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
    else:
        export(db, out, kind)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mib": peak, "bytes": size}))


def measure(kind: str, db: Path, out: Path) -> dict[str, float]:
    """One run in a fresh process; its output folder is removed afterwards."""
    try:
        return run_child(__file__, kind, str(db), str(out))
    finally:
        shutil.rmtree(out, ignore_errors=True)


def ensure_db(path: Path, docs: int, per_doc: int) -> None:
    if path.exists():
        return
    t = time.perf_counter()
    # in a child process: Linux keeps ru_maxrss across exec, so a parent that built the
    # database itself would inflate every measured child's peak memory
    subprocess.run([sys.executable, __file__, "--build", str(path), str(docs), str(per_doc)],
                   check=True)  # fmt: skip
    print(f"built {docs:,} documents, {docs * per_doc:,} attributions in"
          f" {time.perf_counter() - t:.0f} s ({path.stat().st_size / 2**20:,.0f} MiB; setup)")  # fmt: skip


def med(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def peer_tasks(db: Path) -> list[dict]:
    """The comparison data as Label Studio tasks: each text with its content spans."""
    from peers.label_studio import tasks_from_spans

    con = sqlite3.connect(db)
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for doc_id, content in con.execute("SELECT document_id, content_spans FROM attributions"):
        spans.setdefault(doc_id, []).extend((s, e, "CONTENT") for s, e in json.loads(content))
    docs = [(text, spans.get(d, [])) for d, text in con.execute(
        "SELECT id, text FROM documents ORDER BY seq")]  # fmt: skip
    con.close()
    return tasks_from_spans(docs)


def run_peer(small: Path, work: Path, venv: Path, runs: int, ours: dict[str, list]) -> None:
    from peers import label_studio

    if not label_studio.available(venv):
        print(f"\npeer: Label Studio is not installed in {venv}; no peer figure"
              " (python bench/peers/label_studio.py --install)")  # fmt: skip
        return
    tasks = peer_tasks(small)
    n_spans = sum(len(t["annotations"][0]["result"]) for t in tasks)
    print(f"\npeer: Label Studio {label_studio.VERSION} on 127.0.0.1, SQLite, the same"
          f" {len(tasks):,} texts and {n_spans:,} spans; {runs} runs each")  # fmt: skip
    with label_studio.LabelStudio(venv, work) as ls:
        project = ls.create_project("bench")
        imported = ls.import_tasks(project, tasks)
        print(f"  import (setup for the exports): {imported.seconds:.1f} s,"
              f" server peak {imported.peak_mib:.0f} MiB")  # fmt: skip
        print(f"  {'export':22}{'seconds':>9}{'peak MiB':>10}{'out MiB':>9}")
        for ours_fmt, ls_type in (("native", "JSON"), ("quotes-csv", "CSV")):
            results = [ls.export(project, ls_type, work / f"ls.{ls_type}") for _ in range(runs)]
            (work / f"ls.{ls_type}").unlink(missing_ok=True)
            mine = ours[ours_fmt]
            print(f"  {'Label Studio ' + ls_type:22}"
                  f"{statistics.median(r.seconds for r in results):>9.2f}"
                  f"{statistics.median(r.peak_mib for r in results):>10.0f}"
                  f"{results[0].bytes / 2**20:>9.0f}")  # fmt: skip
            print(f"  {'Annotator ' + ours_fmt:22}{med(mine, 'seconds'):>9.2f}"
                  f"{med(mine, 'peak_mib'):>10.0f}{mine[0]['bytes'] / 2**20:>9.0f}")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--per-doc", type=int, default=10)
    ap.add_argument("--runs", type=int, default=MIN_RUNS)
    ap.add_argument("--keep", type=Path, help="work folder to build the databases in and reuse")
    ap.add_argument("--peer", action="store_true", help="measure Label Studio in the same run")
    ap.add_argument("--peer-venv", type=Path, help="Label Studio's venv (see bench/peers)")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--build", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build:
        build(Path(args.build[0]), int(args.build[1]), int(args.build[2]))
        return 0
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return 0
    runs = max(args.runs, MIN_RUNS)
    small_docs = max(1, args.docs // 10)
    verdicts = Verdicts()
    with workdir("annotator-export-bench-", args.keep) as work:
        big = work / f"export-{args.docs}x{args.per_doc}.sqlite3"
        small = work / f"export-{small_docs}x{args.per_doc}.sqlite3"
        ensure_db(big, args.docs, args.per_doc)
        ensure_db(small, small_docs, args.per_doc)
        n_big, n_small = args.docs * args.per_doc, small_docs * args.per_doc
        # Wall time is the target; CPU time is shown too because on a shared machine the wall
        # clock also measures the other processes.
        print(f"\n{runs} runs each, interleaved; medians")
        print(f"{'run':26}{'seconds':>9}{'cpu s':>8}{'peak MiB':>10}{'out MiB':>9}{'x floor':>9}")
        small_runs: dict[str, list] = {}
        for fmt, floor in (("native", "floor-native"), ("quotes-csv", "floor-csv")):
            mine, floors, tenth = [], [], []
            for i in range(runs):
                floors.append(measure(floor, big, work / f"{floor}-{i}"))
                mine.append(measure(fmt, big, work / f"{fmt}-{i}"))
                tenth.append(measure(fmt, small, work / f"{fmt}-small-{i}"))
            small_runs[fmt] = tenth
            ratio = med(mine, "seconds") / med(floors, "seconds")
            for name, m, x in (
                (f"{floor} ({n_big:,})", floors, ""),
                (f"{fmt} ({n_big:,})", mine, f"{ratio:.2f}"),
                (f"{fmt} ({n_small:,})", tenth, ""),
            ):
                print(f"{name:26}{med(m, 'seconds'):>9.2f}{med(m, 'cpu'):>8.2f}"
                      f"{med(m, 'peak_mib'):>10.0f}{m[0]['bytes'] / 2**20:>9.0f}{x:>9}")  # fmt: skip
            verdicts.check(f"{fmt}: {n_big:,} attributions", med(mine, "seconds"), 30, "s")
            verdicts.check(f"{fmt}: peak memory", med(mine, "peak_mib"), 200, "MiB")
            growth = med(mine, "peak_mib") / med(tenth, "peak_mib")
            verdicts.check(f"{fmt}: peak at 10x the data / peak", growth, 1.25, "x",
                           shown=f"{growth:.2f} x")  # fmt: skip
        if args.peer:
            from peers import label_studio

            run_peer(small, work, args.peer_venv or label_studio.DEFAULT_VENV, runs, small_runs)
    print(machine_note())
    return verdicts.finish()


if __name__ == "__main__":
    raise SystemExit(main())
