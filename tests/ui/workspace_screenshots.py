"""Screenshots of the workspace for docs/screenshots (light, dark, right-to-left).

Run: QT_QPA_PLATFORM=offscreen python -m tests.ui.workspace_screenshots [OUTDIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QPalette, QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.storage.engine import Database  # noqa: E402
from annotator.ui.workspace import Workspace  # noqa: E402
from tests.conftest import TURAN_QUOTES, TURAN_TXT  # noqa: E402
from tests.ui.workspace_helpers import add_text, import_turan  # noqa: E402

RTL_SAMPLE = (
    "Cairo talks resume\n\n"
    "The foreign ministry spokesman said the agreement would be signed in Cairo on Monday.\n\n"
    "قال المتحدث باسم وزارة الخارجية إن الاتفاق سيوقع غدا في القاهرة، مؤكدا أن المفاوضات كانت بناءة.\n\n"
    "Opposition deputies argued that \u201cthe deal gives away too much\u201d and called for a vote."
)


def dark_palette() -> QPalette:
    p = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, QColor(37, 39, 43)),
        (QPalette.ColorRole.WindowText, QColor(220, 220, 224)),
        (QPalette.ColorRole.Base, QColor(28, 30, 33)),
        (QPalette.ColorRole.AlternateBase, QColor(36, 38, 42)),
        (QPalette.ColorRole.Text, QColor(226, 226, 230)),
        (QPalette.ColorRole.Button, QColor(48, 50, 55)),
        (QPalette.ColorRole.ButtonText, QColor(220, 220, 224)),
        (QPalette.ColorRole.Highlight, QColor(70, 110, 180)),
        (QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)),
        (QPalette.ColorRole.Mid, QColor(120, 122, 128)),
    ):
        p.setColor(role, color)
    return p


def main(outdir: Path) -> None:
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    outdir.mkdir(parents=True, exist_ok=True)
    db = Database.open(Path(tempfile.mkdtemp()) / "shots.sqlite3")
    setup = import_turan(db, TURAN_TXT, TURAN_QUOTES)
    ws = Workspace(db, QUndoStack())
    ws.set_context(setup.project_id, setup.annotator_id)
    ws.resize(1500, 950)
    ws.show()
    ws.load_document(setup.document_id)
    ws.select(ws.ordered()[3].id)
    app.processEvents()
    ws.grab().save(str(outdir / "workspace.png"))
    ws.open_find()  # find in the article: the match is selected, ready for Q
    ws.find_bar.edit.setText("geopolitic")
    ws.find_bar.step(1)
    ws.find_bar.step(1)
    app.processEvents()
    ws.grab().save(str(outdir / "workspace_find.png"))
    ws.find_bar.close_bar()
    ws.select(ws.ordered()[3].id)

    app.setPalette(dark_palette())
    ws.set_dark(True)
    app.processEvents()
    ws.grab().save(str(outdir / "workspace_dark.png"))

    app.setPalette(app.style().standardPalette())
    ws.set_dark(False)
    doc = add_text(db, setup.project_id, RTL_SAMPLE, title="Cairo talks resume", source="Wire")
    ws.load_document(doc)
    ws.resize(1200, 600)
    words = "الاتفاق سيوقع غدا في القاهرة"
    start = ws.text.index(words)
    ws.view.select_cp(start, start + len(words))
    ws.create_from_selection()
    ws.chooser()  # show the speaker chooser over the article
    mention = ws.text.index("المتحدث")
    ws.view.select_cp(mention, mention + len("المتحدث باسم وزارة الخارجية"))
    ws.set_span("mention")
    ws.choose("speaker_id")
    app.processEvents()
    ws.grab().save(str(outdir / "workspace_rtl_chooser.png"))
    ws.chooser().hide()
    ws.view.setFocus(Qt.FocusReason.OtherFocusReason)
    db.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
