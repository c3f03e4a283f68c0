"""The background Task: runs off the GUI thread, reports progress there, cancels, reports errors."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread

from annotator.ui.workers import Task


def test_runs_off_gui_thread_and_delivers_on_it(qtbot) -> None:
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def work(progress, cancelled) -> int:
        seen["worker_thread"] = threading.get_ident()
        for i in range(3):
            progress(i + 1, 3, f"item {i}")
        return 42

    task = Task(work)
    received: list[tuple[int, int, str]] = []
    threads: list[bool] = []
    task.progress.connect(
        lambda d, t, label: (received.append((d, t, label)), threads.append(_on_gui()))
    )
    with qtbot.waitSignal(task.finished, timeout=5000) as blocker:
        task.start()
    assert blocker.args == [42]
    assert seen["worker_thread"] != gui
    assert received == [(1, 3, "item 0"), (2, 3, "item 1"), (3, 3, "item 2")]
    assert all(threads)  # slots ran on the GUI thread
    assert task.done


def _on_gui() -> bool:
    from PySide6.QtWidgets import QApplication

    return QThread.currentThread() == QApplication.instance().thread()


def test_cancel_is_seen_by_the_work(qtbot) -> None:
    started = threading.Event()

    def work(progress, cancelled) -> str:
        started.set()
        deadline = time.monotonic() + 5
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.005)
        return "stopped" if cancelled() else "ran out"

    task = Task(work)
    with qtbot.waitSignal(task.finished, timeout=6000) as blocker:
        task.start()
        assert started.wait(5)
        task.cancel()
    assert blocker.args == ["stopped"] and task.cancelled


def test_failure_is_one_line_and_finished_is_not_emitted(qtbot) -> None:
    def work(progress, cancelled) -> None:
        raise ValueError("bad.jsonl:3: malformed JSON")

    task = Task(work)
    finished: list[object] = []
    task.finished.connect(finished.append)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        task.start()
    assert blocker.args == ["ValueError: bad.jsonl:3: malformed JSON"]
    qtbot.wait(50)
    assert finished == []
    try:
        task.start()
    except RuntimeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("a Task must not run twice")


def test_owner_closed_while_running_stops_the_work(qtbot) -> None:
    from PySide6.QtWidgets import QDialog

    owner = QDialog()
    started, finished_work = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def work(progress, cancelled) -> None:
        started.set()
        deadline = time.monotonic() + 5
        while not cancelled() and time.monotonic() < deadline:
            progress(1, 2, "still here")  # must not crash once the Task's owner is gone
            time.sleep(0.005)
        outcome["cancelled"] = cancelled()
        finished_work.set()

    task = Task(work, owner)
    task.start()
    assert started.wait(5)
    owner.deleteLater()
    qtbot.waitUntil(finished_work.is_set, timeout=6000)
    assert outcome["cancelled"] is True
    assert task.wait(5)
