"""Regenerate the main-window screenshots (offscreen) on the Sample project.

    /work/venv/bin/python docs/screenshots/make_shell_screenshots.py

Writes main_window_light.png, main_window_dark.png, cheatsheet.png, registry_panel.png and
import_report.png beside this file. Runs as the sample's annotator so its quotes are visible.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
TMP = Path(tempfile.mkdtemp(prefix="annotator-shots-"))
os.environ["ANNOTATOR_CONFIG_DIR"] = str(TMP / "config")
OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(OUT.parents[1]))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from annotator.sample import SAMPLE_ANNOTATOR, ensure_sample_project  # noqa: E402
from annotator.services.projects import get_or_create_annotator  # noqa: E402
from annotator.storage.engine import Database  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402
from annotator.ui.settings import Settings  # noqa: E402
from annotator.ui.theme import apply_theme  # noqa: E402


def settle(app: QApplication, ms: int = 120) -> None:
    QTimer.singleShot(ms, app.quit)
    app.exec()


def grab(widget: QWidget, name: str) -> None:
    widget.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def main() -> int:
    app = QApplication([])
    QGuiApplication.setApplicationDisplayName("Annotator")
    db = Database.open(TMP / "shots.sqlite3")
    ensure_sample_project(db)
    annotator = get_or_create_annotator(db, SAMPLE_ANNOTATOR)
    last = None
    for dark in (True, False):  # light last: the extras below use it
        settings = Settings()
        settings.dark = dark
        settings.last_project = "Sample"
        apply_theme(app, dark)
        window = MainWindow(db, settings, annotator)
        window.show()
        window.resize(1600, 960)  # the offscreen screen is small: restored geometry is clamped
        window.resizeDocks([window.doc_dock], [490], Qt.Orientation.Horizontal)
        settle(app)
        window.doc_panel.step(1)
        window.workspace.step(1)  # select the first attribution: shows the inspector filled in
        window.workspace.step(1)
        settle(app)
        grab(window, f"main_window_{'dark' if dark else 'light'}.png")
        if last is not None:
            last.close()
        last = window
    assert last is not None
    _extras(app, last)
    return 0


def _extras(app: QApplication, window: MainWindow) -> None:
    from annotator.ui.cheatsheet import CheatSheet
    from annotator.ui.import_dialog import ImportReportDialog
    from annotator.ui.registry_panel import RegistryPanel

    sheet = CheatSheet(window.all_shortcuts(), False, window)
    sheet.show()
    settle(app)
    grab(sheet, "cheatsheet.png")
    sheet.close()

    panel = RegistryPanel(window.db, window.undo_stack)
    panel.resize(460, 820)
    panel.set_project(window.project_id)
    panel.show()
    for i in range(panel.entry_list.count()):  # an actor quoted several times
        if "Dvořák" in panel.entry_list.item(i).text(0):
            panel.entry_list.setCurrentRow(i)
    settle(app)
    grab(panel, "registry_panel.png")
    panel.close()

    folder = TMP / "incoming"
    folder.mkdir()
    (folder / "storm.txt").write_text("Storm warning\n\nThe agency said the storm would pass.\n")
    (folder / "budget.txt").write_text("Budget vote\n\nDeputies said the budget passed.\n")
    (folder / "again.txt").write_text("Storm warning\n\nThe agency said the storm would pass.\n")
    (folder / "broken.jsonl").write_text('{"text": "ok"}\n{not json\n')
    from annotator.importing.pipeline import import_paths

    report = import_paths(window.db, [folder], project="Sample", annotator=SAMPLE_ANNOTATOR)
    dialog = ImportReportDialog(report, window)
    dialog.show()
    settle(app)
    grab(dialog, "import_report.png")
    dialog.close()


if __name__ == "__main__":
    sys.exit(main())
