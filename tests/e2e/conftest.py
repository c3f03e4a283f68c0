"""Real-window tests: the app started as `annotator --db PATH` starts it, on a private X server
(Xvfb, QT_QPA_PLATFORM=xcb), driven with real input.

A process has one QApplication and one Qt platform, and the rest of the suite runs offscreen.
So each test here runs in a child pytest process of its own (ANNOTATOR_E2E_INNER=1) on the
display of an Xvfb this process started; this process reports the child's outcome as the
test's. Without Xvfb the tests skip, unless ANNOTATOR_REQUIRE_XVFB=1 (CI), where they fail.
"""

from __future__ import annotations

import faulthandler
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.xserver import start_xvfb, unavailable, xvfb_available

INNER_ENV = "ANNOTATOR_E2E_INNER"
DISPLAY_ENV = "ANNOTATOR_E2E_DISPLAY"
RESULT_ENV = "ANNOTATOR_E2E_RESULT"
INNER = os.environ.get(INNER_ENV) == "1"
CHILD_TIMEOUT_S = 300  # a contended CI machine; a hung child is killed and reported
WATCHDOG_S = 240  # inside the child: dump every thread's stack and exit rather than hang
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def x_display() -> Iterator[str]:
    """The X display the app runs on: the parent's Xvfb, or one of our own."""
    given = os.environ.get(DISPLAY_ENV)
    if INNER and given:
        yield given
        return
    if not xvfb_available():
        unavailable("Xvfb is not installed (apt-get install xvfb)")
    server = start_xvfb()
    if INNER:  # run directly (not by a parent): this process's Qt goes on our display
        os.environ["DISPLAY"] = server.display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
    try:
        yield server.display
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _real_display(request: pytest.FixtureRequest, x_display: str) -> None:
    request.node.stash[_DISPLAY_KEY] = x_display


_DISPLAY_KEY = pytest.StashKey[str]()


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """The app driver (tests/e2e/real_app.py), in the child process only."""
    if not INNER:
        yield None  # the parent only runs the child (see pytest_pyfunc_call)
        return
    from tests.e2e.real_app import RealApp

    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))  # file dialogs and ~ in export paths stay in here
    faulthandler.dump_traceback_later(WATCHDOG_S, exit=True)
    driver = RealApp(request.getfixturevalue("qtbot"), home, request.node.stash[_DISPLAY_KEY])
    yield driver
    try:
        driver.close()
    finally:
        faulthandler.cancel_dump_traceback_later()


# -- the parent: run each test in a child on the Xvfb display -----------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if INNER:
        return None
    display = pyfuncitem.stash[_DISPLAY_KEY]
    with tempfile.TemporaryDirectory(prefix="annotator-e2e-") as scratch:
        result_file = Path(scratch) / "result.jsonl"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
        env |= {
            INNER_ENV: "1",
            DISPLAY_ENV: display,
            RESULT_ENV: str(result_file),
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
        }
        cmd = [sys.executable, "-m", "pytest", pyfuncitem.nodeid, "-q", "-p", "no:cacheprovider",
               "-p", "no:xdist", "-o", "addopts="]  # fmt: skip
        try:
            child = subprocess.run(
                cmd,
                cwd=pyfuncitem.config.rootpath,
                env=env,
                capture_output=True,
                text=True,
                timeout=CHILD_TIMEOUT_S,
            )
            output, code = child.stdout + child.stderr, child.returncode
        except subprocess.TimeoutExpired as exc:
            output = f"{_text(exc.stdout)}{_text(exc.stderr)}\n(killed after {CHILD_TIMEOUT_S} s)"
            code = -1
        reports = (
            [json.loads(line) for line in result_file.read_text().splitlines()]
            if result_file.exists()
            else []
        )
    failed = [r for r in reports if r["outcome"] == "failed"]
    skipped = [r for r in reports if r["outcome"] == "skipped"]
    ran = any(r["when"] == "call" and r["outcome"] == "passed" for r in reports)
    if failed or code != 0 or not (ran or skipped):
        details = "\n\n".join(f"[{r['when']}] {r['longrepr']}" for r in failed)
        # The report has the child's captured output; a crash or a hang has only its output.
        tail = "" if failed else f"\n--- child output ---\n{output[-8000:]}"
        pytest.fail(f"in the real window (child exit {code}):\n{details}{tail}", pytrace=False)
    if skipped and not ran:
        unavailable(skipped[0]["longrepr"])
    return True


def _text(data: bytes | str | None) -> str:
    if isinstance(data, bytes):
        return data.decode(errors="replace")
    return data or ""


# -- the child: report each phase's outcome to the parent ----------------------------------------


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    target = os.environ.get(RESULT_ENV)
    if not INNER or not target or not Path(report.fspath).resolve().is_relative_to(HERE):
        return
    if report.skipped and isinstance(report.longrepr, tuple):
        detail = report.longrepr[2]
    else:
        detail = str(report.longrepr) if report.longrepr else ""
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps({"when": report.when, "outcome": report.outcome, "longrepr": detail}))
        out.write("\n")
