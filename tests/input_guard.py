"""qtbot's keys and clicks refuse a widget the user cannot see (hidden, or in a hidden window).

The review window once passed its tests while it was never shown: they sent keys straight to
its hidden table. With this guard such a test fails at the first key. A test that really means
to drive a hidden widget must say so by calling QTest itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

INPUT_METHODS = (
    "keyClick", "keyClicks", "keyEvent", "keyPress", "keyRelease", "keySequence",
    "mouseClick", "mouseDClick", "mouseMove", "mousePress", "mouseRelease",
)  # fmt: skip


def hidden_reason(target: object) -> str | None:
    """Why a user could not type into or click `target` (a QWidget or QWindow), or None."""
    from PySide6.QtGui import QWindow
    from PySide6.QtWidgets import QWidget

    if isinstance(target, QWidget):
        if not target.isVisible():
            return "it is not shown"
        window = target.window()
        if not window.isVisible():
            return f"its window “{window.windowTitle()}” is not shown"
        if window is not target and target.isWindow():
            return "it is a separate window"
        return None
    if isinstance(target, QWindow) and not target.isVisible():
        return "the window is not shown"
    return None


def _guarded(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def guarded(target: object, *args: Any, **kwargs: Any) -> Any:
        reason = hidden_reason(target)
        if reason is not None:
            raise AssertionError(
                f"qtbot.{name} on {target!r}, which {reason}: a user could not do this."
                " Show it first (or call QTest directly if a hidden widget is really meant)."
            )
        return method(target, *args, **kwargs)

    return guarded


def install() -> None:
    for name in INPUT_METHODS:
        method = getattr(QtBot, name)
        if not getattr(method, "_visibility_guard", False):
            wrapper = _guarded(name, method)
            wrapper._visibility_guard = True  # type: ignore[attr-defined]
            setattr(QtBot, name, staticmethod(wrapper))
