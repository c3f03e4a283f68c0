"""Cold start to a usable window: launch the real app in a subprocess (offscreen) and time it.

    python bench/startup_bench.py [--runs 5]

Target (issue 3): a usable window in under 2 s, judged on the wall time from the moment the
process is launched (interpreter start-up included) to the window shown: median of >= 5 runs
per entry point; the bench exits 1 if one misses. The app runs with ANNOTATOR_QUIT_AFTER_SHOW=1,
which prints its own figure and quits; that figure starts after the interpreter and its first
imports, so it is shown for information only. The first run creates the database and the sample
project; the others open an existing one (the everyday case).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import MIN_RUNS, Verdicts, machine_note  # noqa: E402

ENTRY_POINTS = {
    # what a user runs: the CLI dispatcher, which with no command starts the app
    "python -m annotator": ["-m", "annotator", "--db"],
    # the shell alone (annotator.ui.app.run), without the CLI's command-module imports
    "annotator.ui.app.run": [
        "-c",
        "import sys; from annotator.ui.app import run; sys.exit(run(sys.argv[1]))",
    ],
}


def launch(db: Path, config: Path, entry: str = "python -m annotator") -> tuple[float, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        ANNOTATOR_QUIT_AFTER_SHOW="1",
        ANNOTATOR_CONFIG_DIR=str(config),
    )
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *ENTRY_POINTS[entry], str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = ""
    for line in proc.stdout:
        if line.startswith("usable after"):
            break
    wall = (time.perf_counter() - t0) * 1000
    proc.wait(timeout=60)
    return wall, line.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    runs = max(args.runs, MIN_RUNS)
    v = Verdicts()
    with tempfile.TemporaryDirectory() as tmp:
        db, config = Path(tmp) / "bench.sqlite3", Path(tmp) / "config"
        first, inner = launch(db, config)
        print(f"first start (new database + sample project): {first:7.0f} ms  (app says: {inner})")
        v.check("first start, new database (one run)", first, 2000, "ms")
        for entry in ENTRY_POINTS:
            walls = []
            for _ in range(runs):
                wall, inner = launch(db, config, entry)
                walls.append(wall)
                print(f"{entry:22} existing database: {wall:7.0f} ms  (app says: {inner})")
            print(
                f"  -> {entry}: launch to usable window median {statistics.median(walls):.0f}"
                f" ms, worst {max(walls):.0f} ms over {len(walls)} runs\n"
            )
            v.check(f"{entry}: launch to window (median)", statistics.median(walls), 2000, "ms")
    print(machine_note())
    return v.finish()


if __name__ == "__main__":
    sys.exit(main())
