"""Agreement dialog and progress dashboard, driven through real widgets (pytest-qt)."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.storage.engine import Database
from annotator.team.agreement_service import AgreementCancelled, project_agreement
from annotator.team.progress import project_progress
from annotator.ui.agreement_charts import HeatMap, nice_max, scale_color
from annotator.ui.agreement_view import AgreementDialog, DashboardDialog, Worker
from tests.agreement_seed import seed_project
from tests.conftest import screenshot_dir  # noqa: E402

SHOTS = screenshot_dir()


def _wait_ready(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: not dialog.busy and dialog.status.text().startswith("Ready"), timeout=20000
    )


@pytest.fixture
def team_db(db: Database) -> tuple[Database, str]:
    return db, seed_project(db, n_docs=6)


def test_agreement_dialog_shows_the_service_figures(qtbot, team_db) -> None:  # type: ignore[no-untyped-def]
    db, pid = team_db
    dialog = AgreementDialog(db, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    _wait_ready(qtbot, dialog)
    expected = project_agreement(db, pid)
    fig = expected.project
    # overall table: one row per figure, value and items as computed by the service
    assert dialog.figures.rowCount() == 6
    assert dialog.figures.item(1, 1).text() == f"{fig.overlap_f1.value:.3f}"
    assert dialog.figures.item(1, 2).text() == f"{fig.overlap_f1.items} quotes"
    assert dialog.figures.item(3, 3).text() == str(fig.speaker.agree)
    assert dialog.figures.item(5, 0).text() == "Stance: Krippendorff's α"
    assert "3 annotators (alice, bob, carol)" in dialog.summary.text()
    # heat map: overlap F1 by default, one cell per pair, symmetric
    assert dialog.heatmap.names == ["alice", "bob", "carol"]
    ab = expected.pairs[tuple(sorted(expected.pairs))[0]]
    values = {v for v, _ in dialog.heatmap.cells.values()}
    assert ab.overlap_f1.value in values
    assert dialog.heatmap.cells[(0, 1)] == dialog.heatmap.cells[(1, 0)]
    assert len(dialog.pairs.item(0, 0).text().split(" · ")) == 2
    assert dialog.documents.rowCount() == 6
    dialog.resize(1000, 620)
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "agreement.png"))


def test_keyboard_switches_heatmap_figure_and_recomputes(qtbot, team_db) -> None:  # type: ignore[no-untyped-def]
    db, pid = team_db
    dialog = AgreementDialog(db, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    _wait_ready(qtbot, dialog)
    dialog.heat_metric.setFocus()
    qtbot.keyClick(dialog.heat_metric, Qt.Key.Key_Down)  # overlap F1 -> token alpha
    assert dialog.heat_metric.currentData() == "token_alpha"
    report = dialog.report
    assert report is not None
    names = {a: report.name(a) for a in report.annotator_names}
    for (a, b), fig in report.pairs.items():
        i, j = dialog.heatmap.names.index(names[a]), dialog.heatmap.names.index(names[b])
        assert dialog.heatmap.cells[(i, j)] == (fig.token_alpha.value, fig.token_alpha.items)
    assert "Krippendorff" in dialog.heatmap.cell_text(0, 1)

    before = report.project.matched
    dialog.min_overlap.setFocus()
    dialog.min_overlap.selectAll()
    qtbot.keyClicks(dialog.min_overlap, "1")
    qtbot.keyClick(dialog.min_overlap, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: dialog.report is not report and not dialog.busy, timeout=20000)
    assert dialog.report is not None
    assert dialog.report.min_overlap == 1.0
    assert dialog.report.project.matched < before
    assert dialog.report.project.matched == dialog.report.project.exact_f1.agree


def test_documents_sort_by_value_when_header_clicked(qtbot, team_db) -> None:  # type: ignore[no-untyped-def]
    db, pid = team_db
    dialog = AgreementDialog(db, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    _wait_ready(qtbot, dialog)
    dialog.tabs.setCurrentIndex(2)
    header = dialog.documents.horizontalHeader()
    x = header.sectionViewportPosition(3) + 5  # "Overlap F1"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    shown = [float(dialog.documents.item(r, 3).text().split()[0]) for r in range(6)]
    assert shown in (sorted(shown), sorted(shown, reverse=True))
    assert len(set(shown)) > 1
    # Enter on a row asks to open that document (the lowest-agreement one after sorting)
    report = dialog.report
    assert report is not None
    worst = min(report.documents, key=lambda d: d.figures.overlap_f1.value or 0.0)
    row = shown.index(min(shown))
    dialog.documents.setFocus()
    dialog.documents.setCurrentCell(row, 0)
    with qtbot.waitSignal(dialog.document_activated, timeout=2000) as blocker:
        qtbot.keyClick(dialog.documents, Qt.Key.Key_Return)
    assert blocker.args == [worst.document_id]


def test_heatmap_hit_testing_and_undefined_cells(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = HeatMap()
    qtbot.addWidget(heat)
    heat.resize(400, 340)
    heat.set_data(["a", "b"], {(0, 1): (None, 0)}, figure_name="stance", unit="pairs")
    left, top, size = heat._geometry()
    assert heat.cell_at(left + size * 1.5, top + size * 0.5) == (0, 1)
    assert heat.cell_at(left - 3, top + 3) is None
    assert heat.cell_text(1, 0) == "b vs a: stance undefined over 0 pairs"
    heat.grab()  # paints without error with an undefined cell


def test_scale_and_axis_helpers() -> None:
    assert scale_color(-0.4) == scale_color(0.0)
    assert scale_color(1.0).name() == "#3f8f7a"
    assert scale_color(0.2) != scale_color(0.8)
    assert [nice_max(v) for v in (0, 1, 3, 7, 12, 480)] == [1, 1, 5, 10, 20, 500]


def test_worker_cancel_reports_cancelled(qtbot) -> None:  # type: ignore[no-untyped-def]
    started = threading.Event()

    def slow(progress, cancelled):  # type: ignore[no-untyped-def]
        started.set()
        while not cancelled():
            time.sleep(0.01)
        raise AgreementCancelled("stop")

    worker = Worker(slow)
    with qtbot.waitSignal(worker.cancelled_, timeout=5000):
        worker.start()
        assert started.wait(5)
        worker.cancel()
    worker.wait()


def test_cancel_button_stops_the_computation(qtbot, team_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db, pid = team_db
    gate = threading.Event()
    _gated_service(monkeypatch, gate)  # the real service, held at its first progress report
    dialog = AgreementDialog(db, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.cancel_button.isVisible())
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: dialog.status.text() == "Cancelled.", timeout=10000)
    assert dialog.report is None
    assert not dialog.cancel_button.isVisible()


def test_dashboard_charts_follow_progress_data(qtbot, team_db) -> None:  # type: ignore[no-untyped-def]
    db, pid = team_db
    dialog = DashboardDialog(db, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    _wait_ready(qtbot, dialog)
    data = project_progress(db, pid)
    assert dialog.table.rowCount() == 3
    assert dialog.table.item(0, 0).text() == "alice"
    assert dialog.table.item(0, 1).text() == "6 of 6"
    alice = data.annotators[0]
    assert dialog.done_chart.series[0] == ("alice", data.cumulative(data.documents_done[alice]))
    assert dialog.attr_chart.series[2][1] == data.attributions[data.annotators[2]]
    assert dialog.done_chart.days == data.days and len(data.days) == 8
    dialog.resize(900, 680)
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "dashboard.png"))


def test_empty_project_dialogs_say_so(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    pid = seed_project(db, name="Solo", annotators=("alice",), n_docs=1)
    dialog = AgreementDialog(db, pid)
    qtbot.addWidget(dialog)
    _wait_ready(qtbot, dialog)
    assert "nothing to compare" in dialog.summary.text()
    assert dialog.heatmap.names == ["alice"] or dialog.heatmap.names == []
    dash = DashboardDialog(db, pid)
    qtbot.addWidget(dash)
    _wait_ready(qtbot, dash)
    assert dash.table.rowCount() == 1


def test_main_window_tool_names_and_no_project(qtbot, db) -> None:  # type: ignore[no-untyped-def]
    import annotator.ui.agreement_view as view

    assert view.AgreementView is AgreementDialog
    assert view.ProgressDashboard is DashboardDialog
    dialog = view.AgreementView(db, None)  # no project open in the main window
    qtbot.addWidget(dialog)
    assert dialog.status.text() == "Open a project first."
    assert not dialog.busy and dialog.report is None


def _gated_service(monkeypatch, gate: threading.Event) -> None:  # type: ignore[no-untyped-def]
    import annotator.ui.agreement_view as view

    def gated(db, pid, *, min_overlap, progress, cancelled):  # type: ignore[no-untyped-def]
        def held(done: int, total: int) -> None:
            progress(done, total)
            gate.wait(5)

        return project_agreement(
            db, pid, min_overlap=min_overlap, progress=held, cancelled=cancelled
        )

    monkeypatch.setattr(view, "project_agreement", gated)


def test_escape_while_computing_stops_the_worker(qtbot, team_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db, pid = team_db
    gate = threading.Event()
    _gated_service(monkeypatch, gate)
    dialog = AgreementDialog(db, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.busy)
    worker = dialog.worker
    threading.Timer(0.3, gate.set).start()  # let the held worker reach its cancel check
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert worker is not None and worker.isFinished()
    assert dialog.report is None


def test_dialog_deleted_while_computing_does_not_crash(qtbot, team_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import annotator.ui.background_dialog as view

    db, pid = team_db
    gate = threading.Event()
    _gated_service(monkeypatch, gate)
    dialog = AgreementDialog(db, pid)
    qtbot.waitUntil(lambda: dialog.busy)
    worker = dialog.worker
    dialog.deleteLater()
    qtbot.wait(50)
    gate.set()
    qtbot.waitUntil(lambda: worker not in view._RUNNING, timeout=10000)
