"""Guard against PySide6 6.12.0 on Python 3.11, which drops a reference to None on every call
of a void Qt method; after a few thousand calls the interpreter aborts. 6.11.3 is sound."""

from __future__ import annotations

import sys

import pytest

QtGui = pytest.importorskip("PySide6.QtGui")

CALLS = 10_000


def test_void_qt_calls_keep_none_refcount() -> None:
    doc = QtGui.QTextDocument("A short text to move a cursor around in.")
    cursor = QtGui.QTextCursor(doc)
    length = doc.characterCount() - 1
    cursor.setPosition(0)  # warm-up: first calls may cache None in internal tables
    before = sys.getrefcount(None)
    for i in range(CALLS):
        cursor.setPosition(i % length)  # returns None (a void C++ method)
    after = sys.getrefcount(None)
    # A leak of one reference per call would show as a drop of ~10,000; allow tiny noise.
    assert abs(after - before) < 50, f"None refcount {before} -> {after} after {CALLS} void calls"
    assert cursor.position() == (CALLS - 1) % length


def test_installed_pyside_is_not_the_broken_release() -> None:
    import PySide6

    if sys.version_info[:2] == (3, 11):
        assert PySide6.__version__ != "6.12.0"
