"""Shared helpers of the benchmarks: repeated timing with medians, peak memory, verdict tables,
work directories that are always removed, and a note on how loaded the machine was.

Every bench judges its own targets with `Verdicts` and exits 1 when one is missed, so a bench
run can be checked by its exit status as well as read.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

MIN_RUNS = 5


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by the nearest-rank method: a value that was actually measured."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * q // 1)))
    return ordered[int(rank) - 1]


@dataclass
class Timing:
    """Wall and CPU seconds of repeated runs of one measure."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def worst(self) -> float:
        return max(self.wall)

    def p(self, q: float) -> float:
        return percentile(self.wall, q)


def repeat(fn: Callable[[], object], runs: int = MIN_RUNS) -> Timing:
    """Run `fn` `runs` times; wall and CPU time of each run."""
    out = Timing()
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        out.wall.append(time.perf_counter() - t0)
        out.cpu.append(time.process_time() - c0)
    return out


@dataclass
class Verdicts:
    """Targets checked in the run that measured them; `finish` prints them and the exit code."""

    rows: list[tuple[str, str, str, bool]] = field(default_factory=list)

    def check(self, name: str, value: float, limit: float, unit: str, *, shown: str = "") -> bool:
        ok = value < limit
        self.rows.append((name, shown or f"{value:,.1f} {unit}", f"< {limit:,g} {unit}", ok))
        return ok

    def finish(self) -> int:
        if not self.rows:
            return 0
        width = max(len(r[0]) for r in self.rows)
        print(f"\n{'target':<{width}}  {'measured':>24}  {'limit':>14}  verdict")
        for name, shown, limit, ok in self.rows:
            print(f"{name:<{width}}  {shown:>24}  {limit:>14}  {'met' if ok else 'MISSED'}")
        missed = sum(not r[3] for r in self.rows)
        print(f"{len(self.rows) - missed} met, {missed} missed")
        return 1 if missed else 0


def machine_note() -> str:
    """How busy the machine was: on a shared machine wall times include other processes."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


@contextmanager
def workdir(prefix: str, keep: Path | None = None) -> Iterator[Path]:
    """A scratch directory removed afterwards (whatever happens), unless `keep` names one."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def run_child(script: str, *args: str, env: dict[str, str] | None = None) -> dict[str, float]:
    """Run `script --child args...` in a fresh interpreter and return the JSON it prints last.

    Each measured run gets its own process so its peak memory (ru_maxrss) is its own: Linux keeps
    ru_maxrss across exec, so the parent never builds data or measures in-process beforehand.
    """
    proc = subprocess.run(
        [sys.executable, script, "--child", *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{Path(script).name} child {args[:1]} failed ({proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])
