"""Bundle export + import at scale: 10,000 documents with 100,000 attributions.

Run on demand (not a test):  python bench/bundle_bench.py [--docs 10000 --per-doc 10 --runs 5]
Builds the source database once with bulk SQL (3 annotators, 300 actors, 100 targets, ~2 KB
articles), then, RUNS times, each step in a fresh process: export to a bundle; import into a new
database; re-import of the same bundle (the idempotent case, which must change nothing). Each
process reports its own wall time and peak memory (VmHWM: interpreter and modules included).
Verdicts on medians of wall time (the machine may be shared: the CPU time is shown, never used
to pass). Targets (issue 10): export + import < 12 s; import peak memory < 150 MiB, and flat: the
same at a tenth of the size (--flat-docs, measured in the same run). Exit status 1 on any miss.
Everything is written in a temporary folder, removed at the end (`--keep DIR` keeps it).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
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


TARGET_SECONDS = 12.0
TARGET_MIB = 150.0
# "Flat": going from the small to the large bundle, memory may grow by at most half of what the
# extra attributions take when held as parsed records (that size is measured in the same run).
FLAT_SHARE = 0.5


def child(step: str, db_path: Path, bundle: Path) -> None:
    """One step in this (fresh) process; prints a JSON line with wall/CPU seconds and peak MiB."""
    import json

    db = Database.open(db_path)
    w, c = time.perf_counter(), time.process_time()
    if step == "export":
        export_bundle(db, bundle)
        extra: dict[str, Any] = {}
    else:
        report = import_bundle(db, bundle)
        extra = {
            "added": report.count("attributions").added,
            "unchanged": report.count("attributions").unchanged,
            "changed": report.changed(),
        }
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    db.dispose()
    print(json.dumps({"wall": wall, "cpu": cpu, "mib": peak_mib(), **extra}))


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent that started it)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(step: str, db_path: Path, bundle: Path) -> dict[str, Any]:
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--child", step, str(db_path), str(bundle)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def measure(root: Path, docs: int, per_doc: int, runs: int, label: str) -> dict[str, Any]:
    source_path = root / f"source-{label}.sqlite3"
    source = Database.open(source_path)
    t = time.perf_counter()
    build(source, docs, per_doc, random.Random(7))
    n_attr = count(source, schema.Attribution)
    print(f"[{label}] setup (bulk SQL, not timed): {time.perf_counter() - t:.1f} s,"
          f" {count(source, schema.Document)} documents, {n_attr} attributions")  # fmt: skip
    source.dispose()
    rows: dict[str, list[dict[str, Any]]] = {"export": [], "import": [], "re-import": []}
    ok = True
    for n in range(runs):
        bundle = root / f"{label}-{n}.zip"
        target = root / f"target-{label}-{n}.sqlite3"
        rows["export"].append(run_child("export", source_path, bundle))
        first = run_child("import", target, bundle)
        again = run_child("import", target, bundle)
        rows["import"].append(first)
        rows["re-import"].append(again)
        ok &= first["added"] == n_attr and not again["changed"]
        for path in (bundle, target) if n else (target,):  # keep the disk use small
            for side in ("", "-wal", "-shm"):
                Path(f"{path}{side}").unlink(missing_ok=True)
    out: dict[str, Any] = {"ok": ok, "attributions": n_attr}
    for step, results in rows.items():
        wall = median([r["wall"] for r in results])
        cpu = median([r["cpu"] for r in results])
        mib = max(r["mib"] for r in results)
        out[step] = (wall, mib)
        print(f"[{label}] {step:<10} median {wall:6.2f} s wall ({cpu:5.2f} s CPU),"
              f" peak {mib:5.0f} MiB  over {runs} runs")  # fmt: skip
    return out


def parsed_record_bytes(bundle: Path, n: int = 2000) -> float:
    """Memory one attribution takes once parsed and checked, as a bundle import holding every
    record would keep it (tracemalloc over `n` records of the bundle itself)."""
    import tracemalloc
    import zipfile

    from annotator.team.bundle_format import ATTRIBUTION_FIELDS, checker, loads_str

    check = checker(ATTRIBUTION_FIELDS)
    with zipfile.ZipFile(bundle) as zf, zf.open("attributions.jsonl") as fh:
        lines = [fh.readline().decode() for _ in range(n)]
    tracemalloc.start()
    records = [check(loads_str(line)) for line in lines]
    size = tracemalloc.get_traced_memory()[0] / len(records)
    tracemalloc.stop()
    return size


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--per-doc", type=int, default=10)
    parser.add_argument("--flat-docs", type=int, default=1_000, help="the small size (flatness)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="work in DIR (must be empty) and keep the files")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs: at least 5 (medians of fewer runs say little on a shared machine)")
    with contextlib.ExitStack() as stack:
        if args.keep is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        else:
            root = args.keep
            root.mkdir(parents=True, exist_ok=True)
            if any(root.iterdir()):
                parser.error(f"--keep {root}: directory is not empty")
        small = measure(root, args.flat_docs, args.per_doc, args.runs, "small")
        large = measure(root, args.docs, args.per_doc, args.runs, "large")
        per_record = parsed_record_bytes(root / "large-0.zip")
    both = large["export"][0] + large["import"][0]
    peak, small_peak = large["import"][1], small["import"][1]
    extra = large["attributions"] - small["attributions"]
    growth = (peak - small_peak) * 2**20 / max(extra, 1)
    verdicts = [
        (f"export + import {both:.2f} s < {TARGET_SECONDS:.0f} s", both < TARGET_SECONDS),
        (f"import peak {peak:.0f} MiB < {TARGET_MIB:.0f} MiB", peak < TARGET_MIB),
        (
            f"import memory flat: {small_peak:.0f} MiB at {small['attributions']} attributions,"
            f" {peak:.0f} MiB at {large['attributions']}: {growth:.0f} bytes per extra"
            f" attribution, < {FLAT_SHARE:.0%} of the {per_record:.0f} bytes one takes parsed",
            growth < FLAT_SHARE * per_record,
        ),
        ("every attribution imported, re-import changed nothing", small["ok"] and large["ok"]),
    ]
    for text, good in verdicts:
        print(f"{'OK  ' if good else 'MISS'} {text}")
    return 0 if all(good for _, good in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
