"""Random edit sequences over two documents: undo all restores the start, redo all the end."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from annotator.services.attributions import list_attributions
from annotator.ui.workspace import Workspace
from tests.ui.workspace_helpers import add_text, make_project

TEXT_A = " ".join(f"alpha{i}" for i in range(60))
TEXT_B = "Beta 😀 " + " ".join(f"beta{i}" for i in range(60))

ops = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 55), st.integers(1, 4)),
        st.tuples(st.just("key"), st.sampled_from([Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_D])),
        st.tuples(st.just("key"), st.sampled_from([Qt.Key.Key_Delete, Qt.Key.Key_J, Qt.Key.Key_K])),
        st.tuples(st.just("cue"), st.integers(0, 55)),
        st.tuples(st.just("switch"), st.integers(0, 1)),
    ),
    min_size=1,
    max_size=12,
)


def state(ws: Workspace, docs: tuple[str, str]) -> list[tuple]:
    out = []
    for doc in docs:
        for r in list_attributions(ws.db, doc, ws.annotator_id):
            out.append((doc, r.id, r.content, r.cue, r.kind, r.polarity))
    return sorted(out, key=repr)


def select_word_range(ws: Workspace, first: int, count: int) -> None:
    words = ws.text.split(" ")
    start = len(" ".join(words[:first])) + (1 if first else 0)
    end = len(" ".join(words[: first + count]))
    ws.view.select_cp(start, end)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops)
def test_undo_all_then_redo_all(qtbot, db, sequence) -> None:
    if not hasattr(db, "_ws_case"):
        project_id, annotator_id = make_project(db)
        docs = (add_text(db, project_id, TEXT_A), add_text(db, project_id, TEXT_B))
        ws = Workspace(db, QUndoStack())
        ws.set_context(project_id, annotator_id)
        qtbot.addWidget(ws)
        ws.show()
        db._ws_case = (ws, docs)  # type: ignore[attr-defined]
    ws, docs = db._ws_case  # type: ignore[attr-defined]
    stack = ws.undo_stack
    ws.load_document(docs[0])
    start = state(ws, docs)
    for op in sequence:
        if op[0] == "create":
            select_word_range(ws, op[1], op[2])
            qtbot.keyClick(ws.view, Qt.Key.Key_Q)
        elif op[0] == "key":
            qtbot.keyClick(ws.view, op[1])
        elif op[0] == "cue":
            select_word_range(ws, op[1], 1)
            qtbot.keyClick(ws.view, Qt.Key.Key_C)
        else:
            ws.load_document(docs[op[1]])
        ws.view.setFocus()
    end = state(ws, docs)
    done = stack.index()
    while stack.canUndo():
        stack.undo()
    assert state(ws, docs) == start
    while stack.canRedo():
        stack.redo()
    assert stack.index() == done
    assert state(ws, docs) == end
    # the view shows what the database holds for the document it ended on
    shown = sorted(ws.records)
    assert shown == sorted(r.id for r in list_attributions(db, ws.document_id, ws.annotator_id))
    while stack.canUndo():
        stack.undo()
    stack.clear()
