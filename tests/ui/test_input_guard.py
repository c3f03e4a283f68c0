"""Tests cannot drive what the user cannot see: qtbot refuses hidden widgets, and the review
queue's dialog shows its review window (it was a hidden separate window: a blank dialog)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QMainWindow, QVBoxLayout

from tests.domain.test_review import make_setup, two_analysts
from tests.e2e.real_app import detached_children


def test_qtbot_refuses_a_hidden_widget_and_a_widget_of_a_hidden_window(qtbot) -> None:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    with pytest.raises(AssertionError, match="not shown"):
        qtbot.keyClicks(edit, "typed into nothing")
    assert edit.text() == ""
    edit.show()
    qtbot.waitExposed(edit)
    qtbot.keyClicks(edit, "typed")
    assert edit.text() == "typed"

    dialog = QDialog()
    qtbot.addWidget(dialog)
    inner = QLineEdit(dialog)
    with pytest.raises(AssertionError, match="not shown"):
        qtbot.mouseClick(inner, Qt.MouseButton.LeftButton)


def test_a_main_window_in_a_dialog_layout_is_a_hidden_window_until_made_a_widget(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    inner = QMainWindow(dialog)
    inner.setWindowTitle("inner")
    field = QLineEdit()
    inner.setCentralWidget(field)
    QVBoxLayout(dialog).addWidget(inner)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not inner.isVisible() and detached_children(dialog) == ["QMainWindow “inner”"]
    with pytest.raises(AssertionError, match="not shown"):
        qtbot.keyClicks(field, "x")
    inner.setWindowFlags(Qt.WindowType.Widget)
    inner.show()
    assert inner.isVisible() and detached_children(dialog) == []


def test_the_review_dialog_shows_its_review_window(qtbot, db) -> None:
    from annotator.ui.review import ReviewDialog

    x = make_setup(db)
    two_analysts(db, x)

    class Host(QMainWindow):
        annotator = type("A", (), {"id": x.lead})()

    host = Host()
    qtbot.addWidget(host)
    dialog = ReviewDialog(db, x.project_id, host)
    dialog.show()
    qtbot.waitExposed(dialog)
    review = dialog.window_
    assert review.isVisible() and not review.isWindow() and detached_children(dialog) == []
    qtbot.waitUntil(lambda: review.queue_ready and review.model.rowCount() == 3)
    assert review.table.isVisible()
    qtbot.keyClick(review.table, Qt.Key.Key_A)  # quote 1 is disputed: refused, but delivered
    assert "versions differ" in review.statusBar().currentMessage()
