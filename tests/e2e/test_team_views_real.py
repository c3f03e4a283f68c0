"""Team > Agreement, Team > Progress dashboard and File > Settings in a real window."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from annotator.services.projects import list_annotators
from annotator.ui.settings import Settings
from tests.e2e import seed
from tests.e2e.real_app import RealApp


def test_agreement_dashboard_and_settings(app: RealApp) -> None:
    seed.review_project(app.home, app.db_path)
    main = app.launch()

    def agreement(dialog: QWidget) -> None:
        app.wait_until(lambda: dialog.report is not None, timeout=30000)  # type: ignore[attr-defined]
        summary = dialog.summary.text()  # type: ignore[attr-defined]
        assert "2 annotators (ann1, ann2)" in summary and "1 documents" in summary
        figures = dialog.figures  # type: ignore[attr-defined]
        assert figures.rowCount() >= 4 and figures.item(0, 1).text() not in ("", "—")
        app.check_window(dialog, min_size=(700, 450))
        app.press("Ctrl+Tab")  # the Pairs tab
        assert dialog.pairs.rowCount() == 1  # type: ignore[attr-defined]
        assert dialog.pairs.item(0, 0).text() == "ann1 · ann2"  # type: ignore[attr-defined]
        app.press("Escape")

    app.run_modal(lambda: app.xdotool("key", "--delay", "100", "alt+t", "a"),
                  ("Inter-annotator agreement", agreement))  # fmt: skip

    def dashboard(dialog: QWidget) -> None:
        app.wait_until(lambda: dialog.data is not None, timeout=30000)  # type: ignore[attr-defined]
        table = dialog.table  # type: ignore[attr-defined]
        names = sorted(table.item(r, 0).text() for r in range(table.rowCount()))
        assert names == ["ann1", "ann2"]
        done = {table.item(r, 0).text(): table.item(r, 3).text() for r in range(2)}
        assert done == {"ann1": "3", "ann2": "2"}  # attributions made
        app.check_window(dialog, min_size=(700, 450))
        app.press("Escape")

    app.run_modal(lambda: app.xdotool("key", "--delay", "100", "alt+t", "p"),
                  ("Team progress", dashboard))  # fmt: skip

    # File > Settings (Ctrl+,): another name, larger text, the dark theme.
    size_before = main.workspace.view.font().pointSize()

    def settings(dialog: QWidget) -> None:
        assert dialog.name_edit.hasFocus()  # type: ignore[attr-defined]
        app.press("Ctrl+A")
        app.type_text("Lead Reviewer")
        app.press("Alt+F", "Up", "Up")
        app.press("Alt+T", "Down")  # Dark
        app.press("Return")

    app.run_modal(lambda: app.press("Ctrl+,"), ("Settings", settings))
    stored = Settings(app.home / "config" / "annotator.ini")
    assert stored.annotator_name == "Lead Reviewer"
    assert stored.font_size == size_before + 2 and stored.dark
    assert main.annotator.name == "Lead Reviewer"
    assert "Lead Reviewer" in {a.name for a in list_annotators(app.db())}
    assert main.workspace.view.font().pointSize() == size_before + 2
    assert main.palette().window().color().lightness() < 100  # dark
    app.check_window(main)
    app.quit()
