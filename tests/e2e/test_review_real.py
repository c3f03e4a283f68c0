"""Team > Review queue in a real window: the lead opens it from the menu with the keyboard,
sees the side-by-side table, accepts, rejects with a comment, edits a gold record, undoes."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from annotator.model import Polarity, ReviewState
from annotator.services import attributions as attr
from annotator.team import review
from tests.domain.test_review import TEXT
from tests.e2e import seed
from tests.e2e.real_app import RealApp


def test_review_queue_accept_reject_edit_gold_and_undo(app: RealApp) -> None:
    x, ids = seed.review_project(app.home, app.db_path)
    main = app.launch()

    def adjudicate(dialog: QWidget) -> None:
        review_window = dialog.window_  # type: ignore[attr-defined]
        assert review_window.isVisible() and not review_window.isWindow()
        app.wait_until(lambda: review_window.queue_ready)
        app.wait_until(lambda: review_window.model.rowCount() == 3)
        assert review_window.table.isVisible() and review_window.table.hasFocus()
        app.check_window(dialog, min_size=(900, 600))
        app.screenshot(dialog, "review_real_window")
        gold = lambda: list(review.comparison(app.db(), x.doc_id).gold)  # noqa: E731

        app.press("2")  # quote 1: accept ann2's version into gold
        [first] = gold()
        assert first.source_ids == (ids["q1_b"],) and first.polarity is Polarity.NEUTRAL
        app.press("A")  # quote 2: both agree
        assert len(gold()) == 2
        app.press("Left", "R")  # quote 3: only ann1's version; reject it with a comment
        assert review_window.reject_bar.isVisible() and review_window.reject_edit.hasFocus()
        app.type_text("Speaker is Aliyev via APA")
        app.press("Return")
        rejected = attr.get_attribution(app.db(), ids["q3_a"])
        assert rejected.review_state is ReviewState.REJECTED
        assert rejected.review_comment == "Speaker is Aliyev via APA"

        app.press("Ctrl+Z")  # undo the rejection
        back = attr.get_attribution(app.db(), ids["q3_a"])
        assert back.review_state is ReviewState.SUBMITTED and back.review_comment == ""

        app.press("Up", "Up", "E")  # quote 1's gold in the editor (a window-modal dialog)
        app.wait_until(lambda: QApplication.activeModalWidget() is review_window.gold_editor)
        editor = review_window.gold_editor
        app.check_window(editor)
        start = TEXT.index("stability")
        editor.content.setFocus()
        editor.content.selectAll()
        app.type_text(f"{start}-{start + len('stability')}")
        assert editor.preview.text() == "“stability”"
        app.press("Return")
        app.wait_until(lambda: not editor.isVisible())
        [edited] = [g for g in gold() if g.source_ids == (ids["q1_b"],)]
        assert edited.content[0].start == start and edited.content[0].end == start + 9
        app.press("Escape")  # close the review

    app.run_modal(lambda: app.xdotool("key", "--delay", "100", "alt+t", "r"),
                  ("Review and adjudication", adjudicate))  # fmt: skip

    # Back in the main window, the decisions are stored and still undoable from there.
    assert len(review.comparison(app.db(), x.doc_id).gold) == 2
    app.activate(main)
    app.press("Ctrl+Z")  # undo the gold edit, from the main window's Edit menu key
    [restored] = [
        g for g in review.comparison(app.db(), x.doc_id).gold if g.source_ids == (ids["q1_b"],)
    ]
    assert restored.content[0].start == TEXT.index("that stability")
    app.quit()
