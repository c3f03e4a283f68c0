"""A private X server (Xvfb) on a free display, for the real-window tests."""

from __future__ import annotations

import os
import random
import select
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SCREEN = (1600, 1000)  # a laptop-sized screen: dialogs must fit on it


@dataclass
class XServer:
    display: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


REQUIRE_ENV = "ANNOTATOR_REQUIRE_XVFB"


def unavailable(reason: str) -> None:
    """Skip for want of a tool; fail instead where the real-window tests must run (CI)."""
    import pytest

    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason}, and {REQUIRE_ENV}=1: the real-window tests must run", False)
    pytest.skip(reason)


def xvfb_available() -> bool:
    return shutil.which("Xvfb") is not None


def start_xvfb(timeout: float = 30.0) -> XServer:
    """Start Xvfb on a free display and wait until it accepts clients.

    Not the lowest free number (`Xvfb -displayfd` alone): X clients connect to the abstract
    socket first, which is shared by every container on the machine's network namespace, while
    the lock files Xvfb checks are not; a low number may already answer for someone else's X
    server. So: a random number in a high range, unused by lock file and by abstract socket."""
    rng = random.Random()
    for _ in range(50):
        number = rng.randrange(300, 30000)
        if not _in_use(number):
            server = _start(number, timeout)
            if server is not None:
                return server
    raise RuntimeError("no free X display found for Xvfb")


def _in_use(number: int) -> bool:
    if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
        return True
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(f"\0/tmp/.X11-unix/X{number}")
        return True
    except OSError:
        return False
    finally:
        probe.close()


def _start(number: int, timeout: float) -> XServer | None:
    """Xvfb on :number; None if it could not take it. `-displayfd` tells when it is ready."""
    read_end, write_end = os.pipe()
    width, height = SCREEN
    with tempfile.TemporaryFile() as log:  # its messages; the child keeps its own descriptor
        process = subprocess.Popen(
            [
                "Xvfb",
                f":{number}",
                "-displayfd",
                str(write_end),
                "-screen",
                "0",
                f"{width}x{height}x24",
                "-nolisten",
                "tcp",
            ],  # fmt: skip
            pass_fds=(write_end,),
            stdout=log,
            stderr=log,
        )
    os.close(write_end)
    reported = _read_line(read_end, timeout)
    if reported != str(number):
        process.kill()
        process.wait(10)
        return None
    return XServer(f":{number}", process)


def _read_line(fd: int, timeout: float) -> str:
    """The line Xvfb writes once ready. All of it: closing the pipe before the newline is
    written kills Xvfb ("Cannot write display number")."""
    deadline = time.monotonic() + timeout
    data = b""
    try:
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([fd], [], [], max(0.0, left))
            chunk = os.read(fd, 64) if ready else b""
            if not chunk:
                break
            data += chunk
    finally:
        os.close(fd)
    return data.decode(errors="replace").strip()
