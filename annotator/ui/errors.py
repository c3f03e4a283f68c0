"""Errors shown to the user: one line saying what went wrong and the way out, in a dialog;
never a Python traceback (the details go to the log)."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from annotator.storage.opening import explain

log = logging.getLogger(__name__)


def one_line(exc: BaseException, where: str = "the database") -> str:
    """What went wrong, in one line: database faults explained with the way out."""
    from annotator.storage.engine import DatabaseLocationError

    if isinstance(exc, DatabaseLocationError):
        return str(exc)
    explained = explain(exc, where)
    if explained is not None:
        return explained
    if isinstance(exc, MemoryError):
        return "Out of memory: the input is too large for this machine."
    if isinstance(exc, OSError) and exc.strerror:
        name = f" {exc.filename}" if exc.filename else ""
        return f"Cannot use{name}: {exc.strerror}."
    detail = " ".join(str(exc).split())[:300] or type(exc).__name__
    return f"Unexpected problem ({type(exc).__name__}: {detail}). Please report it."


def show_error(parent: QWidget | None, title: str, exc: BaseException, where: str) -> None:
    """A dialog with the one-line reason (naming the file) and the way out."""
    log.debug("%s", title, exc_info=exc)  # details for a configured log, never the terminal
    text = one_line(exc, where)
    if where not in text:
        text = f"{where}: {text}"
    QMessageBox.critical(parent, title, text)


def install_excepthook(where: str) -> None:
    """An exception escaping a Qt slot becomes a dialog (and a log entry), not a traceback on
    the terminal; the app goes on."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.debug("unhandled error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        if QApplication.instance() is not None:
            QMessageBox.critical(None, "Annotator", one_line(exc, where))

    sys.excepthook = hook
