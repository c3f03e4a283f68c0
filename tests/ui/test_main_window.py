"""The main window driven by real key presses: document navigation, status, undo, projects,
layout persistence, the cheat sheet and an import through the background worker."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from annotator.model import WorkStatus
from annotator.services.documents import get_work_status
from annotator.services.projects import get_or_create_project
from annotator.ui.import_dialog import ImportReportDialog, run_import, summary
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import Settings
from tests.ui.shell_helpers import activate, make_project, make_shell


def _status_cell(window: MainWindow, document_id: str) -> str:
    model = window.doc_panel.model
    row = model.row_of(document_id)
    assert row is not None
    return model.index(row, 4).data()


def test_opens_first_document_and_n_p_switch(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    assert w.workspace.current_document_id() == shell.docs[0]
    assert w.doc_panel.current_document_id() == shell.docs[0]
    w.workspace.view.setFocus()
    qtbot.keyClick(w.workspace.view, Qt.Key.Key_N)
    assert w.workspace.current_document_id() == shell.docs[1]
    assert w.windowTitle().startswith("Bridge opens")
    qtbot.keyClick(w.workspace.view, Qt.Key.Key_N)
    qtbot.keyClick(w.workspace.view, Qt.Key.Key_N)
    assert w.workspace.current_document_id() == shell.docs[3]
    qtbot.keyClick(w.workspace.view, Qt.Key.Key_N)  # at the end: stays
    assert w.workspace.current_document_id() == shell.docs[3]
    qtbot.keyClick(w.workspace.view, Qt.Key.Key_P)
    assert w.workspace.current_document_id() == shell.docs[2]
    assert w.doc_panel.current_document_id() == shell.docs[2]
    # The last document is remembered per project.
    assert shell.settings.last_document(shell.project_id) == shell.docs[2]


def test_n_typed_in_search_box_does_not_switch(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    w.doc_panel.search.setFocus()
    qtbot.keyClicks(w.doc_panel.search, "np")
    assert w.doc_panel.search.text() == "np"
    assert w.workspace.current_document_id() == shell.docs[0]


def test_mark_done_stored_listed_and_undoable(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    w.workspace.view.setFocus()
    qtbot.keyClick(w.workspace.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    doc = shell.docs[0]
    assert get_work_status(db, doc, shell.annotator_id) == WorkStatus.DONE
    assert _status_cell(w, doc) == "done"
    assert "All changes saved" in w.saved_label.text()
    # Undo survives a document switch: go to the next document, then Ctrl+Z.
    qtbot.keyClick(w.workspace.view, Qt.Key.Key_N)
    qtbot.keyClick(w.workspace.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert get_work_status(db, doc, shell.annotator_id) == WorkStatus.NEW
    assert _status_cell(w, doc) == "new"
    qtbot.keyClick(
        w.workspace.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert get_work_status(db, doc, shell.annotator_id) == WorkStatus.DONE


def test_status_and_search_filters_narrow_the_list(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    panel = w.doc_panel
    assert panel.model.rowCount() == 4
    assert panel.count_label.text() == "4 documents"
    w.mark(WorkStatus.DONE)  # first document
    panel.status_combo.setCurrentIndex(panel.status_combo.findData(WorkStatus.DONE))
    assert [r.id for r in panel.model.rows] == [shell.docs[0]]
    panel.status_combo.setCurrentIndex(panel.status_combo.findData(WorkStatus.NEW))
    assert [r.id for r in panel.model.rows] == shell.docs[1:]
    panel.status_combo.setCurrentIndex(0)
    panel.source_combo.setCurrentIndex(panel.source_combo.findData("Turan"))
    assert [r.id for r in panel.model.rows] == [shell.docs[0], shell.docs[2]]
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "pipeline")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=2000)
    assert panel.model.rows[0].id == shell.docs[2]
    assert "1 of the project's documents match" in panel.count_label.text()
    qtbot.keyClicks(panel.search, " nowhere")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.model.rowCount() == 0
    assert panel.empty_label.isVisibleTo(panel) and not panel.table.isVisibleTo(panel)


def test_speaker_filter(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    panel = shell.window.doc_panel
    i = panel.speaker_combo.findText("Ali Hemmati  (1)")
    assert i > 0
    panel.speaker_combo.setCurrentIndex(i)
    assert [r.id for r in panel.model.rows] == [shell.docs[0]]
    assert panel.model.index(0, 5).data() == "1"  # attribution count column


def test_project_switch(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    other = make_project(db, "Archive", [("Old news", "AP", "Nothing much happened.")])
    w = shell.window
    w.reload_projects()
    assert [w.project_combo.itemText(i) for i in range(w.project_combo.count())] == [
        "Archive",
        "Desk",
    ]
    w.project_combo.setCurrentIndex(w.project_combo.findText("Archive"))
    assert w.project_id == get_or_create_project(db, "Archive").id
    assert [r.id for r in w.doc_panel.model.rows] == other
    assert w.workspace.current_document_id() == other[0]
    assert shell.settings.last_project == "Archive"
    w.project_combo.setCurrentIndex(w.project_combo.findText("Desk"))
    assert w.doc_panel.model.rowCount() == 4
    assert w.workspace.current_document_id() == shell.docs[0]  # remembered


def test_layout_saved_and_restored(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    w.doc_dock.hide()
    w.workspace.view.setFocus()
    qtbot.keyClick(w.workspace.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert w.registry_dock is not None and w.registry_dock.isVisible()
    # A size inside the 800x600 offscreen screen and above the window's minimum.
    w.resize(w.minimumSizeHint().width(), max(w.minimumSizeHint().height(), 480) + 7)
    height = w.height()
    w.close()
    ini = (tmp_path / "settings.ini").read_text()
    assert "geometry" in ini and "state" in ini
    again = MainWindow(db, Settings(tmp_path / "settings.ini"), w.annotator)
    qtbot.addWidget(again)
    again.show()
    assert again.height() == height
    assert not again.doc_dock.isVisible()
    qtbot.waitUntil(lambda: again.registry_dock is not None and again.registry_dock.isVisible())
    assert again.registry_dock.widget().project_id == shell.project_id


def test_cheatsheet_lists_every_shortcut(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    seen: list[str] = []

    def close_sheet() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        seen.append(dialog.browser.toPlainText())
        dialog.reject()

    QTimer.singleShot(50, close_sheet)
    w.workspace.view.setFocus()
    qtbot.keyClick(w.workspace.view, Qt.Key.Key_F1)
    assert seen, "F1 did not open the cheat sheet"
    text = seen[0]
    for keys, what in w.workspace.shortcuts():
        assert what in text
        for key in keys.split(", "):
            assert key.split(" ")[0] in text
    for needle in ("Next document", "Mark done", "Ctrl+D", "Ctrl+Shift+Z", "Undo", "F1"):
        assert needle in text
    activate(qtbot, w)  # the closed dialog handed activation back asynchronously
    w.workspace.view.setFocus()
    QTimer.singleShot(50, close_sheet)
    qtbot.keyClick(w.workspace.view, "?")  # the other way in
    assert len(seen) == 2


def test_import_folder_through_worker_updates_list(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a.txt").write_text("Storm warning\n\nThe agency said the storm would pass.\n")
    (folder / "b.txt").write_text("Budget vote\n\nDeputies said the budget passed.\n")
    (folder / "c.txt").write_text("Talks continue in Baku\n\nDuplicate? no, different text.\n")
    (folder / "bad.jsonl").write_text("{not json\n")
    run = run_import(shell.window, [folder], show_report=False)
    with qtbot.waitSignal(run.done, timeout=20000) as blocker:
        pass
    report = blocker.args[0]
    assert report.documents_added == 3
    assert report.errors and "bad.jsonl" in report.errors[0]
    panel = shell.window.doc_panel
    titles = [r.title for r in panel.model.rows]
    assert len(titles) == 7 and "Storm warning" in titles and "Budget vote" in titles
    assert "3 documents added" in summary(report)
    dialog = ImportReportDialog(report, shell.window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(report.files)
    assert "bad.jsonl" in dialog.errors.toPlainText()


def test_app_first_start_in_a_real_process(tmp_path) -> None:
    """`python -m annotator` with a new database: sample project, default annotator, window
    shown (a subprocess: quitting the app in-process would end pytest-qt's event loops)."""
    import os
    import subprocess
    import sys

    from annotator.cli.common import default_annotator_name
    from annotator.services.projects import list_annotators, list_projects
    from annotator.storage.engine import Database
    from annotator.ui.app import QUIT_AFTER_SHOW_ENV

    env = dict(os.environ, ANNOTATOR_CONFIG_DIR=str(tmp_path / "cfg"), QT_QPA_PLATFORM="offscreen")
    env[QUIT_AFTER_SHOW_ENV] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(tmp_path / "app.sqlite3")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "usable after" in done.stdout
    db = Database.open(tmp_path / "app.sqlite3")
    try:
        assert "Sample" in {p.name for p in list_projects(db)}
        assert default_annotator_name() in {a.name for a in list_annotators(db)}
    finally:
        db.dispose()
    assert Settings(tmp_path / "cfg" / "annotator.ini").annotator_name == default_annotator_name()


def test_app_refuses_newer_database(qtbot, tmp_path, monkeypatch) -> None:
    import sqlite3

    from PySide6.QtWidgets import QMessageBox

    from annotator.storage.engine import Database
    from annotator.ui import app

    path = tmp_path / "future.sqlite3"
    Database.open(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: shown.append(text))
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    assert app.run(str(path)) == 2
    assert shown and "newer version of Annotator" in shown[0]


TOOL_MENUS = {
    "Team": {
        "Review queue": "review",
        "My review outcomes": "review_outcomes",
        "Agreement": "agreement",
        "Progress dashboard": "progress",
    },
    "File": {
        "Export training set": "export",
        "Import bundle": "bundle_import",
        "Export bundle": "bundle_export",
    },
}


@pytest.mark.parametrize("menu", sorted(TOOL_MENUS))
def test_menus_open_the_tool_dialogs(qtbot, db, tmp_path, menu) -> None:
    """Each Team / File tool entry opens its dialog (imported on demand) with this project."""
    from annotator.ui.shell_support import TOOLS

    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    actions = {a.text().replace("&", "").rstrip("…"): a for a in w.menus[menu].actions()}
    expected = TOOL_MENUS[menu]
    opened: dict[str, str] = {}
    for label, tool in expected.items():
        class_name = TOOLS[tool][1]
        tries = [0]

        def close_when_shown(label: str = label, tries: list[int] = tries) -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None and tries[0] < 100:  # dialogs may build for a moment
                tries[0] += 1
                QTimer.singleShot(50, lambda: close_when_shown(label, tries))
                return
            assert dialog is not None, f"{label} did not open"
            opened[label] = type(dialog).__name__
            assert getattr(dialog, "project_id", shell.project_id) == shell.project_id
            dialog.reject()

        QTimer.singleShot(50, close_when_shown)
        actions[label].trigger()
        assert opened.get(label) == class_name
    assert set(opened) == set(expected)


def test_new_project_becomes_current_and_receives_imports(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    w.new_project("  Elections 2026 ")
    assert w.project_combo.currentText() == "Elections 2026"
    assert w.project_id == get_or_create_project(db, "Elections 2026").id
    assert w.doc_panel.model.rowCount() == 0
    assert w.workspace.current_document_id() is None
    (tmp_path / "one.txt").write_text("Poll results\n\nThe commission said turnout rose.\n")
    run = run_import(w, [tmp_path / "one.txt"], show_report=False)
    with qtbot.waitSignal(run.done, timeout=20000):
        pass
    assert [r.title for r in w.doc_panel.model.rows] == ["Poll results"]
    assert w.project_combo.currentText() == "Elections 2026"


def test_a_new_project_named_like_an_existing_one_switches_to_it(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    get_or_create_project(db, "Alpha")  # sorts first: a failed lookup would land here
    w.new_project("desk")  # the shell's project is "Desk"
    assert w.project_combo.currentText() == "Desk"
    assert w.project_id == shell.project_id
    assert [w.project_combo.itemText(i) for i in range(w.project_combo.count())].count("Desk") == 1


def test_toolbar_undo_button_has_a_fixed_label_and_undoes(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    button = next(w.toolbar.widgetForAction(a) for a in w.toolbar.actions() if a.text() == "↶ Undo")
    assert not button.isEnabled()
    w.mark(WorkStatus.DONE)
    assert button.isEnabled() and button.text() == "↶ Undo"
    assert "mark done" in button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert get_work_status(db, shell.docs[0], shell.annotator_id) == WorkStatus.NEW
    assert not button.isEnabled()


def test_open_registries_follow_project_and_edits(qtbot, db, tmp_path) -> None:
    from annotator.services import registries as reg

    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    make_project(db, "Archive", [("Old news", "AP", "Nothing much happened.")])
    w.reload_projects()
    w.toggle_registries()
    panel = w.registry_dock.widget()
    assert panel.entry_list.count() == 1  # Ali Hemmati
    w.project_combo.setCurrentIndex(w.project_combo.findText("Archive"))
    assert panel.project_id == w.project_id and panel.entry_list.count() == 0
    w.project_combo.setCurrentIndex(w.project_combo.findText("Desk"))
    reg.create_actor(db, shell.project_id, "Sara Demir")  # as the speaker chooser would
    w.workspace.registries_touched.emit()
    qtbot.waitUntil(lambda: panel.entry_list.count() == 2, timeout=3000)


def test_last_document_beyond_first_page_reopens(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    w.doc_panel.model.page_size = 2
    shell.settings.set_last_document(shell.project_id, shell.docs[3])
    w.project_id = None  # force a fresh project load
    w.set_project(shell.project_id)
    assert w.workspace.current_document_id() == shell.docs[3]
    assert w.doc_panel.current_document_id() == shell.docs[3]  # paged in (within the limit)


def test_app_reports_an_unopenable_database(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from annotator.ui import app

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: shown.append(text))
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    # A damaged file is refused by storage (DatabaseTooNewError: exit 2, tested above); here the
    # folder cannot even be created because a file stands in its way.
    (tmp_path / "blocked").write_text("a file, not a folder")
    where = tmp_path / "blocked" / "db.sqlite3"
    assert app.run(str(where)) == 1
    assert shown and str(where) in shown[0] and "\n" not in shown[0]


def test_import_cancel_from_the_progress_dialog(qtbot, db, tmp_path) -> None:
    from annotator.ui.import_dialog import ImportRun

    shell = make_shell(qtbot, db, tmp_path)
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.txt").write_text(f"Title {i}\n\nThe agency said item {i} happened.\n")
    run = ImportRun(db, [folder], "Desk", "ana", shell.window)
    from PySide6.QtWidgets import QPushButton

    cancel = run.progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    run.progress.show()  # as it appears on a slow import, before the first file is read
    qtbot.waitExposed(run.progress)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)  # the worker stops at its next check
    with qtbot.waitSignal(run.done, timeout=20000) as blocker:
        run.start()
    report = blocker.args[0]
    assert report.cancelled and report.documents_added == 0
    assert summary(report).startswith("Import cancelled:")
    assert not run.progress.isVisible()


def test_a_status_that_cannot_be_stored_is_not_reported_saved(
    qtbot, db, tmp_path, monkeypatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from annotator.services import documents

    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window

    def locked(*_a, **_k) -> None:
        raise OperationalError("UPDATE document_work", {}, Exception("database is locked"))

    monkeypatch.setattr(documents, "set_work_status", locked)
    before = w.saved_label.text()
    w.mark(WorkStatus.DONE)
    assert w.undo_stack.count() == 0  # nothing to undo: nothing happened
    assert w.saved_label.text() == before
    assert w.statusBar().currentMessage().startswith("Not saved: mark done")
    assert _status_cell(w, shell.docs[0]) == "new"


def test_import_summary_says_when_annotations_were_already_there() -> None:
    from annotator.importing.pipeline import FileOutcome, ImportReport

    again = ImportReport([FileOutcome("t.quotes.jsonl", duplicates=1, attributions_present=14)])
    assert "0 attributions (14 already present)" in summary(again)
    fresh = ImportReport([FileOutcome("t.quotes.jsonl", documents_added=1, attributions_added=14)])
    assert "14 attributions, no problems" in summary(fresh)


def test_document_order_survives_a_restart(qtbot, db, tmp_path) -> None:
    from PySide6.QtCore import QPoint

    shell = make_shell(qtbot, db, tmp_path)
    w = shell.window
    header = w.doc_panel.table.horizontalHeader()
    x = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
    for _ in range(2):  # Title: ascending, then descending
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    titles = [r.title for r in w.doc_panel.model.rows]
    assert titles == sorted(titles, key=str.lower, reverse=True) and len(titles) > 1
    w.close()
    assert Settings(tmp_path / "settings.ini").document_order == "title:desc"
    again = MainWindow(db, Settings(tmp_path / "settings.ini"), w.annotator)
    qtbot.addWidget(again)
    again.show()
    assert [r.title for r in again.doc_panel.model.rows] == titles
    again_header = again.doc_panel.table.horizontalHeader()
    assert again_header.sortIndicatorSection() == 0
    assert again_header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def _select_words(workspace, words: str) -> None:  # type: ignore[no-untyped-def]
    start = workspace.text.index(words)
    workspace.view.select_cp(start, start + len(words))
    workspace.view.setFocus()


def test_typed_proposition_is_stored_when_a_toolbar_or_menu_switches_document(
    qtbot, db, tmp_path
) -> None:
    from annotator.services.attributions import list_attributions

    shell = make_shell(qtbot, db, tmp_path)
    w, ws = shell.window, shell.window.workspace
    _select_words(ws, "the talks will continue")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    qtbot.keyClick(ws.view, Qt.Key.Key_E)
    qtbot.keyClicks(ws.inspector.proposition, "Talks go on")
    w.next_action.trigger()  # Document > Next: focus stays in the field
    assert ws.current_document_id() == shell.docs[1]
    props = [r.proposition for r in list_attributions(db, shell.docs[0], shell.annotator_id)]
    assert "Talks go on" in props


def test_an_undo_that_switches_document_updates_list_title_and_last_document(
    qtbot, db, tmp_path
) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    w, ws = shell.window, shell.window.workspace
    _select_words(ws, "the talks will continue")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    qtbot.keyClick(ws.view, Qt.Key.Key_N)
    qtbot.keyClick(ws.view, Qt.Key.Key_N)
    assert ws.current_document_id() == shell.docs[2]
    qtbot.keyClick(ws.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ws.current_document_id() == shell.docs[0]
    assert w.doc_panel.current_document_id() == shell.docs[0]
    assert w.windowTitle() == "Talks continue in Baku — Annotator"
    assert shell.settings.last_document(shell.project_id) == shell.docs[0]


def test_an_undo_into_a_document_the_filter_hides_leaves_no_stale_row(qtbot, db, tmp_path) -> None:
    shell = make_shell(qtbot, db, tmp_path)
    ws, panel = shell.window.workspace, shell.window.doc_panel
    _select_words(ws, "the talks will continue")
    qtbot.keyClick(ws.view, Qt.Key.Key_Q)
    panel.source_combo.setCurrentIndex(panel.source_combo.findData("IRNA"))
    listed = [r.id for r in panel.model.rows]
    assert shell.docs[0] not in listed and listed
    panel.select_document(listed[0])
    assert ws.current_document_id() == listed[0]
    ws.view.setFocus()
    qtbot.keyClick(ws.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ws.current_document_id() == shell.docs[0]
    assert panel.current_document_id() is None  # the hidden article is not faked by a row
    qtbot.keyClick(ws.view, Qt.Key.Key_N)  # N starts at the top of the list again
    assert ws.current_document_id() == listed[0]
