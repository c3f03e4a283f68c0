"""Run long work (import, export, merge, agreement) off the GUI thread, with progress and cancel.

    task = Task(lambda progress, cancelled: import_paths(db, paths, progress=progress,
                                                          cancelled=cancelled))
    task.progress.connect(...)   # (done, total, label), delivered on the GUI thread
    task.finished.connect(...)   # the function's return value
    task.failed.connect(...)     # one line: what went wrong
    task.start()                 # task.cancel() asks the function to stop at its next check

The function runs on a QThreadPool thread and must not touch widgets; it talks to the GUI only
through the signals, which Qt queues onto the thread that owns the Task (the GUI thread).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]
CancelledFn = Callable[[], bool]
WorkFn = Callable[[ProgressFn, CancelledFn], Any]


class _Relay(QObject):
    """What the worker thread emits on. It lives (owned by the application, deleted only once the
    work has ended) on the GUI thread, and forwards to the Task's signals; if the Task is
    destroyed first (its dialog closed), Qt drops those connections and the emits go nowhere,
    instead of touching a deleted object."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)


class _Runnable(QRunnable):
    def __init__(self, task: Task, relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task, self._relay = task, relay

    def run(self) -> None:  # worker thread: only Python state of the Task, Qt only via the relay
        try:
            self._task._run(self._relay)
        finally:
            self._relay.deleteLater()  # executed on the GUI thread, after the queued emits


class Task(QObject):
    """One piece of background work. Emits exactly one of `finished` or `failed`."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, fn: WorkFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._started = False
        # The owner (a dialog) may close while the work runs: then the work is asked to stop.
        cancel = self._cancel
        self.destroyed.connect(lambda *_: cancel.set())

    def start(self, pool: QThreadPool | None = None) -> None:
        if self._started:
            raise RuntimeError("a Task runs once")
        self._started = True
        relay = _Relay(QCoreApplication.instance())
        relay.progress.connect(self.progress)
        relay.finished.connect(self.finished)
        relay.failed.connect(self.failed)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self, relay))

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the function returned (for shutdown and tests; not on the GUI thread)."""
        return self._done.wait(timeout)

    def _run(self, relay: _Relay) -> None:
        def progress(done: int, total: int, label: str) -> None:
            if not self._cancel.is_set():
                relay.progress.emit(done, total, label)

        try:
            result = self._fn(progress, self._cancel.is_set)
        except Exception as exc:  # noqa: BLE001 - reported to the user, not swallowed
            log.debug("background task failed", exc_info=True)  # the user gets one line
            self._done.set()
            relay.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self._done.set()
        relay.finished.emit(result)
