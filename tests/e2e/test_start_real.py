"""First start, quit and relaunch in a real window: the welcome dialog typed into with real X
keys, the sample project, then the layout, the article and the document list after a relaunch."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from annotator.services.projects import list_projects
from annotator.ui.main_window import MainWindow
from tests.e2e.real_app import RealApp


def assert_article_fully_visible(window: MainWindow) -> None:
    """Every laid-out line of the article fits in the part of the view left of the margin."""
    view = window.workspace.view
    viewport = view.viewport()
    assert view.margin.isVisible() and view.margin.width() > 0
    assert view.margin.geometry().left() >= viewport.geometry().right(), "margin over the text"
    block = view.firstVisibleBlock()
    lines = 0
    while block.isValid() and view.blockBoundingGeometry(block).top() < viewport.height():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            right = line.x() + line.naturalTextWidth() + view.document().documentMargin()
            assert right <= viewport.width() + 1, (
                f"line {i} of block {block.blockNumber()} ends at {right:.0f} px, under the"
                f" margin (the text column is {viewport.width()} px)"
            )
            lines += 1
        block = block.next()
    assert lines > 3, "no article text laid out"


def assert_columns_present(window: MainWindow) -> None:
    table = window.doc_panel.table
    header = [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    shown = [name for c, name in enumerate(header) if not table.isColumnHidden(c)]
    assert shown == ["Title", "Source", "Date", "Status", "#"], shown


def test_first_start_quit_and_relaunch(app: RealApp) -> None:
    def welcome(dialog: QWidget) -> None:
        edit = dialog.findChild(QLineEdit)
        assert edit is not None and edit.hasFocus()
        app.xdotool("key", "ctrl+a", "BackSpace")  # real X key events
        app.xdotool("type", "--delay", "30", "Dana Analyst")
        app.wait_until(lambda: edit.text() == "Dana Analyst")
        app.xdotool("key", "Return")

    main = app.launch(welcome=welcome)
    [sample] = list_projects(app.db())
    assert sample.name == "Sample"
    assert main.doc_panel.model.rowCount() == 4
    assert main.annotator.name == "Dana Analyst"
    assert main.workspace.current_document_id() is not None
    assert_article_fully_visible(main)
    assert_columns_present(main)

    # Go to the second article and widen the document list a little, then quit.
    app.press("N")
    second = main.workspace.current_document_id()
    main.resizeDocks([main.doc_dock], [main.doc_dock.width() + 40], Qt.Orientation.Horizontal)
    app.wait_until(lambda: main.doc_dock.width() > 500)
    geometry, dock_width = main.geometry(), main.doc_dock.width()
    app.quit()

    # Relaunch: no welcome, same article, same layout, all of the text and the columns shown.
    main = app.launch()
    assert main.annotator.name == "Dana Analyst"
    assert main.workspace.current_document_id() == second
    # Without a window manager Qt restores the frame from an estimate of a title bar's height:
    # allow that much, no more.
    now = main.geometry()
    assert abs(now.width() - geometry.width()) <= 4 and now.height() == geometry.height()
    assert abs(now.x() - geometry.x()) <= 4 and abs(now.y() - geometry.y()) <= 40
    assert abs(main.doc_dock.width() - dock_width) <= 2
    app.qtbot.wait(300)  # what the user sees once start-up settled, not only the first frame
    assert_article_fully_visible(main)
    assert_columns_present(main)
    app.screenshot(main, "relaunch_real")
    app.quit()
