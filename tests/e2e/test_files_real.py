"""Files in and out, in a real window: import an article through the file dialog, export a
training set, export a bundle and import a colleague's, each dialog driven with the keyboard."""

from __future__ import annotations

import json
import zipfile

from PySide6.QtWidgets import QLabel, QWidget

from annotator.services.projects import list_annotators
from annotator.services.workspace_queries import document_attributions
from annotator.ui.main_window import MainWindow
from tests.e2e import seed
from tests.e2e.real_app import RealApp


def _fully_shown(label: QLabel) -> bool:
    """A word-wrapped label has the height its text needs at its width (not clipped)."""
    return label.isVisible() and label.height() >= label.heightForWidth(label.width())


def _document_titles(main: MainWindow) -> list[str]:
    model = main.doc_panel.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_import_export_and_bundles(app: RealApp) -> None:
    ids = seed.analyst_project(app.home, app.db_path)
    seed.with_quotes(app.db_path, ids)
    bundle = seed.colleague_bundle(app.home)
    article = app.home / "harbour.txt"
    article.write_text(
        "Harbour strike ends\n\nDock workers voted to end the strike, the union said on Monday.\n",
        encoding="utf-8",
    )
    main = app.launch()

    # File > Import files (Ctrl+I): the file dialog, then the report.
    def pick_file(dialog: QWidget) -> None:
        app.type_text(str(article))
        app.press("Return")

    def read_report(dialog: QWidget) -> None:
        assert "1 document added" in dialog.summary.text()  # type: ignore[attr-defined]
        app.press("Return")

    app.run_modal(lambda: app.press("Ctrl+I"), ("Import files", pick_file),
                  ("Import report", read_report))  # fmt: skip
    app.wait_until(lambda: "Harbour strike ends" in _document_titles(main))

    # File > Export training set (Ctrl+E): every draft, quotes as JSONL, into a folder.
    out = app.home / "exports" / "quotes"

    def export(dialog: QWidget) -> None:
        d = dialog
        assert _fully_shown(d.format_hint)  # type: ignore[attr-defined]
        app.press("Alt+F", "Down")  # Format: the next one, the quotes table as JSONL
        assert d.format.currentData() == "quotes-jsonl"  # type: ignore[attr-defined]
        app.press("Alt+A", "End")  # Attributions: all, whatever their review state
        app.press("Alt+O", "Ctrl+A")
        app.type_text(str(out))
        app.click(d.export_button)  # type: ignore[attr-defined]
        app.wait_until(lambda: d.result is not None, timeout=30000)  # type: ignore[attr-defined]
        assert "Every span verified" in d.report.toPlainText()  # type: ignore[attr-defined]
        app.check_window(d)
        # the format's description is still whole under the report
        app.wait_until(lambda: _fully_shown(d.format_hint))  # type: ignore[attr-defined]
        app.press("Escape")

    app.run_modal(lambda: app.press("Ctrl+E"), ("Export training set", export))
    rows = [
        json.loads(line)
        for split in out.glob("*.jsonl")
        for line in split.read_text(encoding="utf-8").splitlines()
    ]
    assert len(rows) == 2 and (out / "manifest.json").exists()

    # File > Export bundle: the suggested file, Enter.
    def export_bundle(dialog: QWidget) -> None:
        app.press("Return")
        app.wait_until(lambda: dialog.outcome is not None, timeout=30000)  # type: ignore[attr-defined]
        assert dialog.outcome.error == "" and "Wrote a work bundle" in dialog.report.toPlainText()  # type: ignore[attr-defined]
        app.check_window(dialog)
        app.press("Escape")

    app.run_modal(lambda: app.press("Alt+F", "U"), ("Export bundle", export_bundle))
    [written] = list((app.home / "annotator-bundles").glob("p-work-*.zip"))
    with zipfile.ZipFile(written) as z:
        assert z.testzip() is None and any(n.endswith("manifest.json") for n in z.namelist())

    # File > Import bundle: a colleague's work arrives, all of it.
    def import_bundle(dialog: QWidget) -> None:
        app.type_text(str(bundle))
        app.press("Return")
        app.wait_until(lambda: dialog.outcome is not None, timeout=30000)  # type: ignore[attr-defined]
        assert dialog.outcome.error == "", dialog.outcome.error  # type: ignore[attr-defined]
        app.check_window(dialog)
        app.press("Escape")

    app.run_modal(lambda: app.press("Alt+F", "B"), ("Import bundle", import_bundle))
    app.wait_until(lambda: "Bridge" in _document_titles(main))
    [bob] = [a for a in list_annotators(app.db()) if a.name == "bob"]
    bridge = next(
        r for r in main.doc_panel.model.rows if r.title == "Bridge"
    )  # the document list shows it
    assert len(document_attributions(app.db(), bridge.id, bob.id)) == 2
    app.quit()
