"""Label Studio as a peer, measured in the same run as our benchmarks (an optional step).

Nothing of it enters the project's environment: it lives in its own venv, installed once with

    python bench/peers/label_studio.py --install [--venv DIR]

(default DIR: $LABEL_STUDIO_VENV, else ~/.cache/annotator-bench/label-studio-1.23.2; it needs
PyPI). A bench given that venv starts Label Studio on 127.0.0.1 with a fresh SQLite data folder,
drives it through its HTTP API (the same texts and spans the bench gives our code), and stops it
and removes the folder afterwards. Without the venv a bench prints no peer figure at all.

Measured per operation: wall time of the API call (the import POST until Label Studio answers;
the export GET until the file is fully received) and the peak resident memory of the Label
Studio server processes during it (sampled every 20 ms from /proc), which is what a user of
the tool waits for and what it costs the machine.

    with LabelStudio(venv, workdir) as ls:
        project = ls.create_project("bench")
        imported = ls.import_tasks(project, tasks_from_spans(docs))
        exported = ls.export(project, "JSON", out_file)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

VERSION = "1.23.2"
DEFAULT_VENV = Path(
    os.environ.get("LABEL_STUDIO_VENV")
    or Path.home() / ".cache" / "annotator-bench" / f"label-studio-{VERSION}"
)
TOKEN = "0123456789abcdef0123456789abcdef01234567"  # a local throw-away server's API token
LABEL_CONFIG = (
    '<View><Labels name="label" toName="text">'
    '<Label value="CONTENT"/><Label value="CUE"/><Label value="SOURCE"/>'
    '</Labels><Text name="text" value="$text"/></View>'
)


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_mib: float
    bytes: int = 0


def executable(venv: Path) -> Path:
    return venv / "bin" / "label-studio"


def available(venv: Path = DEFAULT_VENV) -> bool:
    return executable(venv).exists()


def install(venv: Path = DEFAULT_VENV) -> None:
    """Create the peer's own venv and install Label Studio there (from PyPI)."""
    if available(venv):
        print(f"Label Studio {VERSION} already in {venv}")
        return
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", f"label-studio=={VERSION}"], check=True
    )
    print(f"installed Label Studio {VERSION} in {venv}")


def tasks_from_spans(docs: Iterable[tuple[str, list[tuple[int, int, str]]]]) -> list[dict]:
    """Label Studio tasks, one per text, its spans as one annotation of Labels results.
    Spans are (start, end, label) in code points, as Label Studio's Text offsets count."""
    tasks = []
    for text, spans in docs:
        result = [
            {
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]},
            }
            for s, e, label in spans
        ]
        tasks.append({"data": {"text": text}, "annotations": [{"result": result}]})
    return tasks


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _group_rss_mib(pgid: int) -> float:
    """Resident memory of every process in process group `pgid` (the server and its children)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            with open(f"/proc/{entry.name}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return total / 1024.0


@contextmanager
def _peak_memory(pgid: int) -> Iterator[list[float]]:
    """Samples the group's memory while the block runs; yields a list holding the peak after."""
    peak = [_group_rss_mib(pgid)]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _group_rss_mib(pgid))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        done.set()
        thread.join()
        peak[0] = max(peak[0], _group_rss_mib(pgid))


class LabelStudio:
    """A local Label Studio server for the duration of a `with` block."""

    def __init__(self, venv: Path, workdir: Path, *, start_timeout: float = 300.0) -> None:
        self.venv = venv
        self.data = workdir / "label-studio-data"
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = workdir / "label-studio.log"

    def __enter__(self) -> LabelStudio:
        self.data.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        # no version check or telemetry: the server talks to nothing but us
        env.update(LATEST_VERSION_CHECK="false", COLLECT_ANALYTICS="false", SENTRY_DSN="")
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [
                    str(executable(self.venv)), "start", "--no-browser",
                    "--data-dir", str(self.data), "--internal-host", "127.0.0.1",
                    "-p", str(self.port), "--username", "bench@example.org",
                    "--password", "bench-password", "--user-token", TOKEN,
                    "--enable-legacy-api-token", "--log-level", "ERROR",
                ],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Label Studio exited; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=2) as r:
                    if b"UP" in r.read():
                        return self
            except OSError:
                time.sleep(1)
        self.__exit__(None, None, None)
        raise RuntimeError(f"Label Studio did not start in {self.start_timeout:.0f} s")

    def __exit__(self, *_exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        shutil.rmtree(self.data, ignore_errors=True)

    def _request(self, method: str, path: str, body: bytes | None = None) -> urllib.request.Request:
        headers = {"Authorization": f"Token {TOKEN}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        return urllib.request.Request(self.base + path, data=body, headers=headers, method=method)

    def create_project(self, title: str) -> int:
        body = json.dumps({"title": title, "label_config": LABEL_CONFIG}).encode()
        with urllib.request.urlopen(self._request("POST", "/api/projects", body), timeout=60) as r:
            return int(json.loads(r.read())["id"])

    def import_tasks(self, project: int, tasks: list[dict]) -> Measurement:
        body = json.dumps(tasks).encode()
        assert self.proc is not None
        request = self._request("POST", f"/api/projects/{project}/import", body)
        with _peak_memory(self.proc.pid) as peak:
            t0 = time.perf_counter()
            with urllib.request.urlopen(request, timeout=3600) as r:
                answer = json.loads(r.read())
            seconds = time.perf_counter() - t0
        if answer.get("task_count") != len(tasks):
            raise RuntimeError(f"Label Studio imported {answer.get('task_count')} of {len(tasks)}")
        return Measurement(seconds, peak[0])

    def export(self, project: int, export_type: str, out: Path) -> Measurement:
        """export_type: JSON, CSV, ... (Label Studio's names); the file is written to `out`."""
        assert self.proc is not None
        request = self._request("GET", f"/api/projects/{project}/export?exportType={export_type}")
        with _peak_memory(self.proc.pid) as peak:
            t0 = time.perf_counter()
            with urllib.request.urlopen(request, timeout=3600) as r, open(out, "wb") as fh:
                shutil.copyfileobj(r, fh, 1 << 20)
            seconds = time.perf_counter() - t0
        return Measurement(seconds, peak[0], out.stat().st_size)


def main() -> int:
    parser = argparse.ArgumentParser(description="Install Label Studio for peer measurements.")
    parser.add_argument("--install", action="store_true", help="create the venv and install")
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    args = parser.parse_args()
    if args.install:
        install(args.venv)
    print(f"Label Studio {VERSION}: {'ready' if available(args.venv) else 'not installed'}"
          f" in {args.venv}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
