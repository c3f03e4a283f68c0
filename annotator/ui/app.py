"""Start the desktop app: QApplication, settings, database, sample project, annotator, window.

Kept lean for a fast cold start: only Qt widgets, the storage layer and the main window load
here; dialogs, importers and team tools are imported when first used.
Set ANNOTATOR_QUIT_AFTER_SHOW=1 to print the start-up time and quit once the window is shown
(bench/startup_bench.py uses it).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from annotator.storage.engine import Database
    from annotator.ui.main_window import MainWindow

_T0 = time.perf_counter()

QUIT_AFTER_SHOW_ENV = "ANNOTATOR_QUIT_AFTER_SHOW"


def _ask_annotator_name(default: str) -> str | None:
    """First run: who is annotating? (Recorded on every attribution; changeable in Settings.)"""
    from PySide6.QtWidgets import (
        QDialog,
        QDialogButtonBox,
        QLabel,
        QLineEdit,
        QVBoxLayout,
    )

    dialog = QDialog()
    dialog.setWindowTitle("Welcome to Annotator")
    dialog.setMinimumWidth(480)
    heading = QLabel("Welcome to Annotator")
    heading.setObjectName("heading")
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    heading.setFont(font)
    text = QLabel(
        "Your name is recorded on every attribution you make, so a team lead can compare"
        " annotators. You can change it later in File ▸ Settings."
    )
    text.setWordWrap(True)
    edit = QLineEdit(default)
    edit.selectAll()
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(24, 20, 24, 16)
    layout.setSpacing(12)
    for widget in (heading, text, edit, buttons):
        layout.addWidget(widget)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return edit.text().strip() or None


@dataclass
class Started:
    """A started app: its window is shown; `run` enters the event loop, tests drive it."""

    app: QApplication
    window: MainWindow
    database: Database


def run(db: str | None = None, argv: list[str] | None = None) -> int:
    started = start(db, argv)
    if isinstance(started, int):
        return started
    from PySide6.QtCore import QTimer

    app, window = started.app, started.window
    if os.environ.get(QUIT_AFTER_SHOW_ENV):

        def report() -> None:
            print(f"usable after {(time.perf_counter() - _T0) * 1000:.0f} ms", flush=True)
            window.close()
            app.quit()

        QTimer.singleShot(0, report)
    code = app.exec()
    started.database.dispose()
    return int(code)


def start(db: str | None = None, argv: list[str] | None = None) -> Started | int:
    """Everything `annotator` does before its event loop: QApplication, settings, database,
    first-run name, sample project, main window shown. An int is the exit code of a start
    that stopped early (database refused, name dialog cancelled)."""
    # Pure-Python layers first: once PySide6 is imported, its __feature__ import hook reads the
    # source of every module imported after it (about 0.3 s for SQLAlchemy + Alembic).
    from annotator.services import doclist, registry_view  # noqa: F401 - warm, before the hook
    from annotator.storage.engine import Database
    from annotator.storage.migrate import DatabaseTooNewError

    try:
        from annotator.sample import ensure_sample_project
    except ImportError:  # pragma: no cover - sample module absent in a stripped build
        ensure_sample_project = None
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator.ui.settings import Settings
    from annotator.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Annotator")
    app.setOrganizationName("Annotator")
    app.setApplicationDisplayName("Annotator")
    settings = Settings()
    apply_theme(app, settings.dark)  # type: ignore[arg-type]
    from annotator.storage import engine as engine_module
    from annotator.ui.errors import install_excepthook, show_error

    # The window must not freeze for minutes behind another program's write lock: after the
    # busy timeout the user is told who holds it.
    engine_module.LOCK_WAIT_MAX_S = engine_module.BUSY_TIMEOUT_MS / 1000
    where = db or os.environ.get("ANNOTATOR_DB") or "the default database"
    try:
        database = Database.open(db)
    except DatabaseTooNewError as exc:
        QMessageBox.critical(None, "Annotator cannot open this database", str(exc))
        return 2
    except Exception as exc:  # noqa: BLE001 - unreadable file, no permission, damaged database
        show_error(None, "Annotator cannot open this database", exc, str(where))
        return 1
    where = str(database.path or where)
    install_excepthook(where)
    try:
        return _start(app, database, settings, ensure_sample_project)
    except Exception as exc:  # noqa: BLE001 - damaged rows, lock held: a dialog, not a traceback
        show_error(None, "Annotator cannot start", exc, where)
        database.dispose()
        return 1


def _start(app, database, settings, ensure_sample_project) -> int:  # type: ignore[no-untyped-def]

    from annotator.cli.common import default_annotator_name
    from annotator.services.projects import get_or_create_annotator
    from annotator.storage.opening import DatabaseRefused

    name = settings.annotator_name
    if not name:
        quick = os.environ.get(QUIT_AFTER_SHOW_ENV)
        name = default_annotator_name() if quick else _ask_annotator_name(default_annotator_name())
        if name is None:
            return 0
        settings.annotator_name = name
    if ensure_sample_project is not None:
        try:  # after the name: the sample's finished work is credited to this user
            ensure_sample_project(database, annotator=name)
        except DatabaseRefused:
            raise  # busy, damaged, read-only: the next write would fail the same way
        except Exception as exc:  # noqa: BLE001 - the app is usable without the sample
            print(f"warning: sample project not created: {exc}", file=sys.stderr)
    annotator = get_or_create_annotator(database, name)
    if not settings.last_project:
        settings.last_project = "Sample"

    from annotator.ui.main_window import MainWindow

    window = MainWindow(database, settings, annotator)
    window.show()
    return Started(app, window, database)
