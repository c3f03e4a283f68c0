"""The attribution table keeps its rows in reading order through any edits, and finds a row by
id with a binary search (20,000 rows: no dictionary rebuilt after each insert)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.services.workspace_queries import QuoteSummary, summary_key
from annotator.ui.attribution_table import AttributionTableModel


def _quote(att_id: str, start: int, length: int) -> QuoteSummary:
    return QuoteSummary(att_id, ((start, start + length),), None, None, None, None,
                        None, None, None, None, "indirect")  # fmt: skip


edits = st.lists(
    st.tuples(st.sampled_from("abcdefgh"), st.integers(0, 5), st.integers(1, 3), st.booleans()),
    max_size=30,
)


@given(edits)
@settings(max_examples=150, deadline=None)
def test_rows_stay_in_reading_order_and_are_found(qapp, steps) -> None:
    model = AttributionTableModel(lambda _id: "")
    model.set_records("x" * 20, [])
    live: dict[str, QuoteSummary] = {}
    for att_id, start, length, remove in steps:
        if remove:
            model.remove(att_id)
            live.pop(att_id, None)
        else:
            q = _quote(att_id, start, length)  # same start and end as another: id decides
            model.upsert(q)
            live[att_id] = q
        want = sorted(live.values(), key=summary_key)
        assert model.summaries() == want
        for row, q in enumerate(want):
            assert model.row_of(q.id) == row
        assert all(model.row_of(i) == -1 for i in "abcdefgh" if i not in live)
        for q in want:  # the identical-attribution check's lookup
            found = model.with_content(q.content)
            assert found is not None and live[found].content == q.content
        assert model.with_content(((7, 30),)) is None
