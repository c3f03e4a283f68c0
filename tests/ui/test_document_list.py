"""The lazy document list: pages fetched on scroll, row refresh, navigation across pages, counts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.model import Span, WorkStatus
from annotator.services import attributions as attr
from annotator.services.documents import DocumentDraft, add_document, set_work_status
from annotator.services.projects import get_or_create_annotator, get_or_create_project
from annotator.storage.engine import Database
from annotator.ui.document_list import DocumentListModel, DocumentListPanel


def _docs(db: Database, n: int) -> tuple[str, str, list[str]]:
    project = get_or_create_project(db, "Big")
    ann = get_or_create_annotator(db, "ana")
    ids = []
    with db.session() as s:
        for i in range(n):
            row, _ = add_document(
                s,
                project.id,
                DocumentDraft(
                    text=f"Article number {i}. Word{i % 3} appears here.",
                    title=f"Article {i:03d}",
                    source=["Turan", "IRNA"][i % 2],
                    published=f"2023-10-{1 + i % 28:02d}T10:00:00",
                    language="en",
                ),
            )
            ids.append(row.id)
    return project.id, ann.id, ids


def test_model_fetches_pages_lazily(qtbot, db) -> None:
    pid, aid, ids = _docs(db, 23)
    model = DocumentListModel(db)
    model.page_size = 5
    model.set_context(pid, aid)
    assert model.rowCount() == 5 and model.total == 23 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 10
    assert model.row_of(ids[22]) is None
    assert model.row_of(ids[22], fetch=True) == 22
    assert not model.canFetchMore()
    assert [r.id for r in model.rows] == ids
    assert model.index(3, 0).data() == "Article 003"
    assert model.index(3, 1).data() == "IRNA"
    assert model.index(3, 2).data() == "2023-10-04"  # date only
    assert model.index(3, 4).data() == "new"
    assert model.index(3, 0).data(Qt.ItemDataRole.FontRole).bold()  # new work stands out


def test_view_scrolling_triggers_fetch(qtbot, db) -> None:
    pid, aid, _ids = _docs(db, 60)
    panel = DocumentListPanel(db)
    panel.model.page_size = 10
    qtbot.addWidget(panel)
    panel.resize(500, 300)
    panel.show()
    panel.set_context(pid, aid)
    assert panel.model.rowCount() == 10
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    for _ in range(25):
        qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert panel.table.currentIndex().row() == 25
    assert panel.model.rowCount() >= 30  # the view asked for more as the end came near


def test_refresh_row_and_navigation(qtbot, db) -> None:
    pid, aid, ids = _docs(db, 12)
    panel = DocumentListPanel(db)
    panel.model.page_size = 5
    qtbot.addWidget(panel)
    panel.show()
    opened: list[str] = []
    panel.document_activated.connect(opened.append)
    panel.set_context(pid, aid)
    assert panel.count_label.text() == "12 documents"
    assert panel.step(0) == ids[0]
    for _ in range(6):
        panel.step(1)
    assert opened[-1] == ids[6]  # crossed the page boundary
    attr.new_attribution(db, ids[6], aid, [Span(0, 7)])
    set_work_status(db, ids[6], aid, WorkStatus.DONE)
    panel.model.refresh_row(ids[6])
    assert panel.model.index(6, 4).data() == "done"
    assert panel.model.index(6, 5).data() == "1"
    assert panel.select_document(ids[11])  # beyond loaded rows: fetched
    assert panel.current_document_id() == ids[11]
    assert panel.step(1) is None  # end of the list


def test_filters_keep_selection_and_show_empty_state(qtbot, db) -> None:
    pid, aid, ids = _docs(db, 9)
    panel = DocumentListPanel(db)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_context(pid, aid)
    assert panel.source_combo.count() == 3  # Any + IRNA + Turan
    panel.select_document(ids[2], emit=False)
    panel.source_combo.setCurrentIndex(panel.source_combo.findData("Turan"))
    assert [r.id for r in panel.model.rows] == ids[0::2]
    assert panel.current_document_id() == ids[2]  # still selected after filtering
    panel.search.setText("word1")
    panel.apply_filter()
    assert [r.id for r in panel.model.rows] == [ids[4]]
    panel.search.setText("zzzz")
    panel.apply_filter()
    assert panel.model.rowCount() == 0
    assert "No document matches" in panel.empty_label.text()
    assert panel.empty_label.isVisibleTo(panel)


def test_capped_count_label(qtbot, db, monkeypatch) -> None:
    from annotator.services import doclist

    pid, aid, _ = _docs(db, 8)
    monkeypatch.setattr(doclist, "COUNT_CAP", 3)
    monkeypatch.setattr(
        doclist.first_page, "__kwdefaults__", {**doclist.first_page.__kwdefaults__, "cap": 3}
    )
    panel = DocumentListPanel(db)
    qtbot.addWidget(panel)
    panel.set_context(pid, aid)
    assert panel.count_label.text() == "8 documents"  # unfiltered: exact
    panel.search.setText("article")
    panel.apply_filter()
    assert panel.count_label.text() == "More than 3 documents match"
    assert panel.model.rowCount() == 8  # the rows are all there, only the count is capped


@pytest.mark.parametrize("page_size", [1, 2, 3, 7, 200])
def test_stepping_visits_every_document_once_in_order(qtbot, db, page_size) -> None:
    pid, aid, ids = _docs(db, 17)
    panel = DocumentListPanel(db)
    panel.model.page_size = page_size
    qtbot.addWidget(panel)
    panel.set_context(pid, aid)
    seen = [panel.step(0)]
    while (nxt := panel.step(1)) is not None:
        seen.append(nxt)
    assert seen == ids
    back = []
    while (prev := panel.step(-1)) is not None:
        back.append(prev)
    assert back == ids[-2::-1]


def _click_header(qtbot, panel: DocumentListPanel, column: int) -> None:
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_header_clicks_sort_page_by_page_and_keep_the_selection(qtbot, db) -> None:
    pid, aid, ids = _docs(db, 23)
    panel = DocumentListPanel(db)
    panel.model.page_size = 4  # sorted order must hold across keyset pages
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    panel.set_context(pid, aid)
    panel.select_document(ids[5], emit=False)
    header = panel.table.horizontalHeader()
    published = [f"2023-10-{1 + i % 28:02d}T10:00:00" for i in range(23)]

    def loaded() -> list[str]:
        while panel.model.canFetchMore():
            panel.model.fetchMore()
        return [r.id for r in panel.model.rows]

    _click_header(qtbot, panel, 2)  # Date, ascending (ties in import order)
    assert header.sortIndicatorSection() == 2
    assert panel.current_document_id() == ids[5]  # the analyst's place is kept
    assert loaded() == [ids[i] for i in sorted(range(23), key=lambda i: (published[i], i))]
    _click_header(qtbot, panel, 2)  # Date, descending
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    want = sorted(range(23), key=lambda i: (published[i], i), reverse=True)
    assert loaded() == [ids[i] for i in want]
    _click_header(qtbot, panel, 2)  # third click: back to import order
    assert header.sortIndicatorSection() == -1
    assert loaded() == ids
    _click_header(qtbot, panel, 1)  # Source: IRNA before Turan, import order within each
    by_source = [ids[i] for i in range(1, 23, 2)] + [ids[i] for i in range(0, 23, 2)]
    assert loaded() == by_source
    _click_header(qtbot, panel, 4)  # Status is not an index order: the click changes nothing
    assert header.sortIndicatorSection() == 1
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert loaded() == by_source
    assert panel.current_document_id() == ids[5]
    assert panel.step(1) == by_source[by_source.index(ids[5]) + 1]  # N/P follow the list shown


def test_attribution_count_column_shows_thousands_whole(qtbot, db) -> None:
    """The "#" column showed "5…" for an article with 5,000 attributions."""
    from PySide6.QtWidgets import QStyle

    from annotator.model import AttributionRecord, new_id
    from annotator.storage import schema
    from annotator.storage.records import attribution_columns

    pid, aid, ids = _docs(db, 1)
    line = "Article number 0."  # the document's first sentence, quoted again and again
    with db.session() as s:  # one transaction, no per-row checks: 5,000 rows in about a second
        s.add_all(
            schema.Attribution(
                **attribution_columns(
                    AttributionRecord(new_id(), ids[0], aid, (Span(0, len(line)),))
                )
            )
            for _ in range(5000)
        )
    panel = DocumentListPanel(db)
    qtbot.addWidget(panel)
    panel.resize(520, 400)
    panel.set_context(pid, aid)
    panel.show()
    qtbot.waitExposed(panel)
    table = panel.table
    shown = panel.model.index(0, 5).data()
    assert shown == "5,000"
    assert not table.isColumnHidden(5)
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    assert table.columnWidth(5) >= table.fontMetrics().horizontalAdvance("99,999") + 2 * margin
