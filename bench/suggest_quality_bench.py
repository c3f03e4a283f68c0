"""Rule suggestions against PolNeAR gold, measured with `annotator evaluate`.

Run on demand (not a test):
    python bench/suggest_quality_bench.py [--split dev|held-out|both] [--floor 0.5] [--limit N]

The 840 articles of ../shared/corpus/polnear-train are split by the first hex digit of the
SHA-256 of the article's name: 0-9 is the development part (the rules were tuned on it), a-f
the held-out part (not looked at while tuning). Each part is laid out as NAME.txt + NAME.ann
(the first annotator's file, as `evaluate` would pick) in a temporary folder, then
`annotator evaluate --gold DIR --json` scores the suggestions, with no database (empty
registry). Prints the issue's targets with the measured figures; `--out FILE` keeps the JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "polnear-train"

TARGETS = (
    # (label, kind slice, field, key, target)
    ("direct+mixed content, token-overlap F1", "direct+mixed", "content_overlap", "f1", 0.85),
    ("direct+mixed content, exact F1", "direct+mixed", "content_exact", "f1", 0.70),
    ("direct content, token-overlap F1", "direct", "content_overlap", "f1", 0.92),
    ("direct+mixed cue, exact F1", "direct+mixed", "cue_exact", "f1", 0.75),
    ("direct+mixed speaker right on matched", "direct+mixed", "speaker_accuracy", "value", 0.80),
    ("all kinds precision (token overlap)", "all", "content_overlap", "precision", 0.80),
)


def part_of(name: str) -> str:
    return "dev" if hashlib.sha256(name.encode()).hexdigest()[0] in "0123456789" else "held-out"


def layout(part: str, folder: Path, limit: int | None) -> int:
    """NAME.txt + NAME.ann for every article of `part`; returns how many."""
    seen: set[str] = set()
    for ann in sorted((CORPUS / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        if name in seen or part_of(name) != part:
            continue
        seen.add(name)
        os.symlink(CORPUS / "text" / f"{name}.txt", folder / f"{name}.txt")
        os.symlink(ann, folder / f"{name}.ann")
        if limit and len(seen) >= limit:
            break
    return len(seen)


def measure(part: str, floor: float, limit: int | None) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"polnear-{part}-") as tmp:
        folder = Path(tmp) / "gold"
        folder.mkdir()
        n = layout(part, folder, limit)
        env = dict(os.environ, XDG_DATA_HOME=str(Path(tmp) / "data"))
        env.pop("ANNOTATOR_DB", None)
        began = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "annotator",
                "evaluate",
                "--gold",
                str(folder),
                "--json",
                "--floor",
                str(floor),
            ],  # fmt: skip
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=False,
        )
        seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"annotator evaluate failed:\n{done.stderr}")
    report = json.loads(done.stdout)
    report["articles"] = n
    report["seconds"] = round(seconds, 1)
    report["gold_problems"] = [line for line in done.stderr.splitlines() if line.strip()]
    return report


def value(report: dict, kind: str, field: str, key: str) -> float | None:
    k = report["kinds"][kind]
    if field == "speaker_accuracy":
        return k["speaker_accuracy_on_matched"]["value"]
    return k[field][key]


def show(part: str, report: dict) -> None:
    print(
        f"\n{part}: {report['articles']} articles, {report['documents']} scored"
        f" ({len(report['gold_problems'])} gold files refused), evaluate took {report['seconds']} s"
    )
    for label, kind, field, key, target in TARGETS:
        v = value(report, kind, field, key)
        mark = "met" if v is not None and v >= target else "NOT met"
        shown = "—" if v is None else f"{v:.3f}"
        print(f"  {label:42} {shown:>7}  (target >= {target:.2f}: {mark})")
    for kind in ("direct", "mixed", "indirect", "all"):
        c = report["kinds"][kind]["content_overlap"]
        e = report["kinds"][kind]["content_exact"]
        cue = report["kinds"][kind]["cue_exact"]
        print(
            f"  {kind:9} gold {c['gold']:5} predicted {c['predicted']:5}  overlap P/R/F1"
            f" {c['precision'] or 0:.3f}/{c['recall'] or 0:.3f}/{c['f1'] or 0:.3f}"
            f"  exact F1 {e['f1'] or 0:.3f}  cue F1 {cue['f1'] or 0:.3f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "held-out", "both"), default="dev")
    parser.add_argument("--floor", type=float, default=0.6)
    parser.add_argument("--limit", type=int, help="only the first N articles of each part")
    parser.add_argument("--out", type=Path, help="write the reports as JSON")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 1
    parts = ("dev", "held-out") if args.split == "both" else (args.split,)
    reports = {}
    for part in parts:
        reports[part] = measure(part, args.floor, args.limit)
        show(part, reports[part])
    if args.out:
        args.out.write_text(json.dumps(reports, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
