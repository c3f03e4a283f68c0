"""The review flow driven through the GUI: keys in the review window, then the database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from annotator.model import Origin, Polarity, ReviewState
from annotator.services import attributions as attr
from annotator.storage.engine import Database
from annotator.team import review
from annotator.ui.review import ReviewWindow
from annotator.ui.review.gold_editor import parse_spans
from annotator.ui.review_outcomes import ReviewOutcomesPanel
from tests.domain.test_review import TEXT, events, make_setup, two_analysts

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _window(qtbot: QtBot, db: Database, project_id: str, lead: str, **kw: object) -> ReviewWindow:
    window = ReviewWindow(db, project_id, lead, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.windowHandle().requestActivate()  # focus and shortcuts need an active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: window.queue_ready)  # the queue loads off the GUI thread
    return window


def _gold(db: Database, doc_id: str) -> list:
    return list(review.comparison(db, doc_id).gold)


def test_lead_accepts_rejects_undoes_and_redoes_with_keys(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    w = _window(qtbot, db, x.project_id, x.lead)
    table = w.table
    assert w.queue.count() == 1 and "Raisi" in w.queue.item(0).text()
    assert "5 to review" in w.queue.item(0).text()
    assert w.queue_status.text() == "1 document with submitted work"
    assert w.model.rowCount() == 3 and w.model.columnCount() == 4  # status, ann1, ann2, gold
    assert (
        w.model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "1 · ann1"
    )
    # quote 1: the analysts differ in boundaries and polarity; those cells are marked
    assert "background:#FFD98A" in w.model.data(w.model.index(0, 1), Qt.ItemDataRole.UserRole + 1)
    assert "≠ 2" in w.model.data(w.model.index(0, 0))
    assert "agreed" in w.model.data(w.model.index(1, 0))
    assert table.currentIndex().row() == 0

    qtbot.keyClick(table, Qt.Key.Key_2)  # accept ann2's version of quote 1
    [gold] = _gold(db, x.doc_id)
    assert gold.origin is Origin.ADJUDICATED and gold.annotator_id == x.lead
    assert gold.source_ids == (ids["q1_b"],) and gold.polarity is Polarity.NEUTRAL
    assert attr.get_attribution(db, ids["q1_b"]).review_state is ReviewState.ACCEPTED
    assert table.currentIndex().row() == 1  # moved on to the next quote
    assert "no gold" not in w.model.data(w.model.index(0, w.model.gold_column))

    qtbot.keyClick(table, Qt.Key.Key_A)  # quote 2: both agree
    assert len(_gold(db, x.doc_id)) == 2
    q2_gold = review.comparison(db, x.doc_id).groups[1].gold
    assert q2_gold is not None and set(q2_gold.source_ids) == {ids["q2_a"], ids["q2_b"]}
    assert table.currentIndex().row() == 2

    qtbot.keyClick(table, Qt.Key.Key_Left)  # quote 3 is ann1's only: stay on ann1's column
    qtbot.keyClick(table, Qt.Key.Key_R)
    assert w.reject_bar.isVisible() and w.reject_edit.hasFocus()
    qtbot.keyClicks(w.reject_edit, "Speaker is Aliyev via APA")
    qtbot.keyClick(w.reject_edit, Qt.Key.Key_Return)
    assert not w.reject_bar.isVisible()
    rejected = attr.get_attribution(db, ids["q3_a"])
    assert rejected.review_state is ReviewState.REJECTED
    assert rejected.review_comment == "Speaker is Aliyev via APA"
    assert rejected.reviewer_id == x.lead
    assert events(db, ids["q3_a"])[-1] == ("rejected", "Speaker is Aliyev via APA")

    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)  # undo the rejection
    back = attr.get_attribution(db, ids["q3_a"])
    assert back.review_state is ReviewState.SUBMITTED and back.review_comment == ""
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)  # undo "accept agreed"
    assert len(_gold(db, x.doc_id)) == 1
    assert attr.get_attribution(db, ids["q2_a"]).review_state is ReviewState.SUBMITTED
    assert table.currentIndex().row() == 1  # shows the quote the undo touched
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL | SHIFT)  # redo both
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL | SHIFT)
    assert len(_gold(db, x.doc_id)) == 2
    assert attr.get_attribution(db, ids["q3_a"]).review_comment == "Speaker is Aliyev via APA"
    assert [a for a, _ in events(db, ids["q3_a"])] == [
        "submitted",
        "rejected",
        "reverted",
        "rejected",
    ]
    assert w.undo_stack.count() == 3
    assert "1 to review · ★ 2" in w.queue.item(0).text()  # the entry follows the decisions

    # The analyst opens their outcomes and reads the comment.
    panel = ReviewOutcomesPanel(db, x.ann1)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.comments() == ["Speaker is Aliyev via APA"]
    states = [panel.table.item(r, 1).text() for r in range(panel.table.rowCount())]
    assert states == ["… awaiting review", "✓ accepted ★ gold", "✗ rejected"]
    assert "1 rejected" in panel.documents.currentText()
    with qtbot.waitSignal(panel.open_requested) as opened:  # double-click: go fix it
        center = panel.table.visualRect(panel.table.model().index(2, 3)).center()
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=center)
        qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert opened.args == [x.doc_id, ids["q3_a"]]
    panel.table.setCurrentCell(1, 0)
    with qtbot.waitSignal(panel.open_requested) as opened:  # or Enter on the row
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened.args == [x.doc_id, ids["q2_a"]]


def test_keys_navigate_and_refuse_what_does_not_apply(qtbot: QtBot, db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    stack = QUndoStack()
    w = _window(qtbot, db, x.project_id, x.lead, undo_stack=stack)
    table = w.table
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key.Key_G)  # next disagreement: quote 3 (only ann1 marked it)
    assert table.currentIndex().row() == 2
    qtbot.keyClick(table, Qt.Key.Key_G)  # wraps around to quote 1
    assert table.currentIndex().row() == 0
    qtbot.keyClick(table, Qt.Key.Key_A)  # quote 1 is disputed: "accept agreed" refuses
    assert _gold(db, x.doc_id) == [] and stack.count() == 0
    assert "versions differ" in w.statusBar().currentMessage()
    qtbot.keyClick(table, Qt.Key.Key_G)  # on quote 3: ann2 did not mark it
    assert table.currentIndex().row() == 2
    qtbot.keyClick(table, Qt.Key.Key_2)
    assert _gold(db, x.doc_id) == [] and "did not mark" in w.statusBar().currentMessage()
    qtbot.keyClick(table, Qt.Key.Key_R)  # an empty comment does not reject
    qtbot.keyClick(w.reject_edit, Qt.Key.Key_Return)
    assert attr.get_attribution(db, ids["q3_a"]).review_state is ReviewState.SUBMITTED
    qtbot.keyClick(w.reject_edit, Qt.Key.Key_Escape)
    assert not w.reject_bar.isVisible() and table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_1)  # the passed-in stack gets the command
    assert stack.count() == 1 and len(_gold(db, x.doc_id)) == 1
    review.accept(db, ids["q2_b"], x.lead)  # elsewhere (another lead, a merged bundle)
    assert w.model.group(1).gold is None
    qtbot.keyClick(table, Qt.Key.Key_F5)
    assert w.model.group(1).gold is not None
    qtbot.waitUntil(lambda: w.queue_ready)
    assert "★ 2" in w.queue.item(0).text()


def test_edit_gold_through_the_editor(qtbot: QtBot, db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    w = _window(qtbot, db, x.project_id, x.lead)
    table = w.table
    qtbot.keyClick(table, Qt.Key.Key_E)  # quote 1 has no gold yet: built from ann1's version
    editor = w.gold_editor
    assert editor is not None and editor.isVisible()
    start = TEXT.index("stability")
    editor.content.selectAll()
    qtbot.keyClicks(editor.content, f"{start}-{start + len('stability')}")
    assert editor.preview.text() == "“stability”"
    editor.polarity.setFocus()
    qtbot.keyClicks(editor.polarity, "oppose")
    qtbot.keyClick(editor.content, Qt.Key.Key_Return)
    assert not editor.isVisible()
    [gold] = _gold(db, x.doc_id)
    assert gold.polarity is Polarity.OPPOSE
    assert gold.content == parse_spans(f"{start}-{start + 9}", len(TEXT))
    assert gold.source_ids == (ids["q1_a"],)
    assert [a for a, _ in events(db, gold.id)] == ["adjudicated", "edited"]
    assert w.undo_stack.count() == 1  # one macro: build + edit
    qtbot.keyClick(table, Qt.Key.Key_Z, CTRL)
    assert _gold(db, x.doc_id) == []
    assert attr.get_attribution(db, ids["q1_a"]).review_state is ReviewState.SUBMITTED


def test_screenshot(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    x = make_setup(db)
    two_analysts(db, x)
    w = _window(qtbot, db, x.project_id, x.lead)
    out = tmp_path / "review.png"
    assert w.grab().save(str(out)) and out.stat().st_size > 10_000


def test_text_pane_marks_the_current_quote_past_astral_characters(
    qtbot: QtBot, db: Database
) -> None:
    """Offsets are code points; the pane (UTF-16) must still mark exactly the quoted words."""
    from annotator.model import Span
    from annotator.services.documents import DocumentDraft, add_document
    from annotator.services.projects import get_or_create_annotator, get_or_create_project

    text = "😀𝐀 Ali said: we stay. Then 🎉 Veli said: we go now."
    project = get_or_create_project(db, "Emoji")
    with db.session() as s:
        doc_id = add_document(s, project.id, DocumentDraft(text=text, title="E"))[0].id
    a, b = (get_or_create_annotator(db, n).id for n in ("a", "b"))
    lead = get_or_create_annotator(db, "lead").id
    go = text.index("we go")
    attr.new_attribution(db, doc_id, a, [Span(go, go + len("we go now"))])
    attr.new_attribution(db, doc_id, b, [Span(go, go + len("we go"))])
    attr.new_attribution(db, doc_id, a, [Span(text.index("we stay"), text.index("we stay") + 7)])
    for ann in (a, b):
        review.submit_document(db, doc_id, ann)
    w = _window(qtbot, db, project.id, lead)
    qtbot.keyClick(w.table, Qt.Key.Key_Down)  # quote 2: "we go" / "we go now"
    marked = {
        (sel.cursor.selectedText(), sel.format.background().color().alpha())
        for sel in w.text_view.extraSelections()
    }
    assert ("we go", 150) in marked  # both analysts: strong
    assert (" now", 55) in marked  # one analyst only: pale fringe
    qtbot.keyClick(w.table, Qt.Key.Key_1)  # gold from analyst a: underlined
    qtbot.keyClick(w.table, Qt.Key.Key_Up)
    qtbot.keyClick(w.table, Qt.Key.Key_Down)
    underlined = [
        s.cursor.selectedText() for s in w.text_view.extraSelections() if s.format.fontUnderline()
    ]
    assert underlined == ["we go now"]


def test_dialogs_with_the_main_window_tool_signature(qtbot: QtBot, db: Database) -> None:
    """The main window opens tools as cls(db, project_id, parent) and reads parent.annotator."""
    from PySide6.QtWidgets import QWidget

    from annotator.model import AnnotatorRecord
    from annotator.services.projects import get_or_create_project
    from annotator.ui.review import ReviewDialog
    from annotator.ui.review_outcomes import ReviewOutcomesDialog

    x = make_setup(db)
    ids = two_analysts(db, x)
    host = QWidget()
    qtbot.addWidget(host)
    host.annotator = AnnotatorRecord(x.lead, "lead")  # type: ignore[attr-defined]
    host.undo_stack = QUndoStack(host)  # type: ignore[attr-defined]
    dialog = ReviewDialog(db, x.project_id, host)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.window_.queue_ready)
    qtbot.keyClick(dialog.window_.table, Qt.Key.Key_1)
    assert host.undo_stack.count() == 1  # type: ignore[attr-defined]
    assert _gold(db, x.doc_id)[0].source_ids == (ids["q1_a"],)
    host.undo_stack.undo()  # type: ignore[attr-defined]
    assert _gold(db, x.doc_id) == []
    review.reject(db, ids["q3_a"], x.lead, "no")
    host.annotator = AnnotatorRecord(x.ann1, "ann1")  # type: ignore[attr-defined]
    outcomes = ReviewOutcomesDialog(db, x.project_id, host)
    qtbot.addWidget(outcomes)
    assert outcomes.panel.comments() == ["no"]
    other = get_or_create_project(db, "Other")
    elsewhere = ReviewOutcomesDialog(db, other.id, host)
    qtbot.addWidget(elsewhere)
    assert elsewhere.panel.documents.count() == 0
    assert elsewhere.panel.summary.text() == "No reviewed work yet."


def test_outcomes_panel_shows_drafts_of_a_done_document_as_awaiting_review(
    qtbot: QtBot, db: Database
) -> None:
    from annotator.model import Span, WorkStatus
    from annotator.services.documents import set_work_status

    x = make_setup(db)
    attr.new_attribution(db, x.doc_id, x.ann1, [Span(0, 5)])
    panel = ReviewOutcomesPanel(db, x.ann1)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.table.rowCount() == 0
    set_work_status(db, x.doc_id, x.ann1, WorkStatus.DONE)
    qtbot.mouseClick(panel.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Refresh
    assert panel.table.item(0, 1).text() == "… awaiting review"
    assert panel.summary.text() == "1 awaiting review"


def test_undo_after_someone_else_changed_the_record_is_refused(qtbot: QtBot, db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    w = _window(qtbot, db, x.project_id, x.lead)
    qtbot.keyClick(w.table, Qt.Key.Key_1)  # gold from ann1's version of quote 1
    [gold] = _gold(db, x.doc_id)
    attr.update_attribution(db, ids["q1_a"], note="ann1 edits after the decision")
    qtbot.keyClick(w.table, Qt.Key.Key_Z, CTRL)
    assert "changed since" in w.statusBar().currentMessage()
    assert _gold(db, x.doc_id) == [gold]  # nothing reverted
    assert attr.get_attribution(db, ids["q1_a"]).note == "ann1 edits after the decision"
    assert w.undo_stack.count() == 0  # the stale command is dropped, not retried


def test_review_opened_from_the_main_window_menu(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    """The shell opens ReviewDialog modally with (db, project_id, window); the lead is the
    window's annotator and the decisions land on the window's undo stack."""
    from PySide6.QtCore import QTimer

    from annotator.model import Span, WorkStatus
    from annotator.services.documents import set_work_status
    from annotator.services.projects import get_or_create_annotator
    from annotator.ui.review import ReviewDialog
    from tests.ui.shell_helpers import make_shell

    shell = make_shell(qtbot, db, tmp_path, annotator="lead")
    doc = shell.docs[1]  # "The mayor said the bridge will open in May."
    for name in ("ana", "bo"):
        ann = get_or_create_annotator(db, name).id
        attr.new_attribution(db, doc, ann, [Span(20, 43)])
        set_work_status(db, doc, ann, WorkStatus.DONE)  # the shell's "mark done"
    seen: list[str] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, ReviewDialog)
            qtbot.waitUntil(lambda: dialog.window_.queue_ready)
            seen.append(dialog.window_.queue.item(0).text())
            qtbot.keyClick(dialog.window_.table, Qt.Key.Key_A)  # both marked the same quote
        finally:
            if dialog is not None:
                dialog.accept()

    QTimer.singleShot(0, drive)
    shell.window.open_tool("review")
    assert seen and seen[0].startswith("Bridge opens")
    [gold] = _gold(db, doc)
    assert gold.annotator_id == shell.annotator_id and len(gold.source_ids) == 2
    shell.window.undo_stack.undo()  # still undoable from the main window
    assert _gold(db, doc) == []


def test_shift_a_accepts_every_agreed_quote_in_one_undo_step(qtbot: QtBot, db: Database) -> None:
    x = make_setup(db)
    ids = two_analysts(db, x)
    w = _window(qtbot, db, x.project_id, x.lead)
    qtbot.keyClick(w.table, Qt.Key.Key_A, SHIFT)
    [gold] = _gold(db, x.doc_id)  # only quote 2 is agreed
    assert set(gold.source_ids) == {ids["q2_a"], ids["q2_b"]}
    assert w.undo_stack.count() == 1
    assert w.table.currentIndex().row() == 2  # on to the first open disagreement
    qtbot.keyClick(w.table, Qt.Key.Key_A, SHIFT)  # nothing left to do
    assert w.undo_stack.count() == 1 and "no agreed" in w.statusBar().currentMessage()
    qtbot.keyClick(w.table, Qt.Key.Key_Z, CTRL)
    assert _gold(db, x.doc_id) == []


def test_a_decision_undone_from_the_main_window_shows_there(qtbot, db, tmp_path) -> None:
    """Review decisions stay on the main window's undo stack after the review closes; undoing
    one from the article must refresh the workspace and say what was undone."""
    from annotator.services.attributions import list_attributions
    from annotator.services.projects import get_or_create_annotator
    from annotator.ui.main_window import MainWindow
    from annotator.ui.review import ReviewDialog
    from annotator.ui.settings import Settings
    from tests.domain.test_review import make_setup, two_analysts
    from tests.ui.shell_helpers import activate

    x = make_setup(db)
    two_analysts(db, x)
    lead = get_or_create_annotator(db, "lead")
    settings = Settings(tmp_path / "s.ini")
    settings.annotator_name, settings.last_project = "lead", "P"
    window = MainWindow(db, settings, lead)
    qtbot.addWidget(window)
    window.show()
    activate(qtbot, window)
    workspace = window.workspace
    assert workspace.current_document_id() == x.doc_id
    dialog = ReviewDialog(db, x.project_id, window)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.window_.queue_ready)
    dialog.window_.table.setFocus()
    qtbot.keyClick(dialog.window_.table, Qt.Key.Key_2)  # accept analyst 2's version: gold
    dialog.close()
    window.after_import()  # what open_tool does when the dialog returns
    workspace.load_document(x.doc_id)
    gold = {r.id for r in list_attributions(db, x.doc_id, lead.id)}
    assert len(gold) == 1 and set(workspace.records) == gold
    activate(qtbot, window)
    workspace.view.setFocus()
    qtbot.keyClick(workspace.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert list_attributions(db, x.doc_id, lead.id) == []
    assert workspace.records == {}
    assert window.statusBar().currentMessage().startswith("Undone: Accept")
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(workspace.view, Qt.Key.Key_Z, redo)
    assert set(workspace.records) == {r.id for r in list_attributions(db, x.doc_id, lead.id)}
    assert len(workspace.records) == 1
