"""Margin labels in a dense passage stay beside their lines (they stacked ever further down)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QColor, QFontMetrics

from annotator.model import AttributionRecord, Span, new_id
from annotator.services.attributions import create_attribution
from annotator.services.registries import create_actor
from annotator.ui.margin import TEXT_X
from annotator.ui.margin_labels import line_heights, place_labels
from tests.ui.workspace_helpers import open_workspace

# Twelve short quotes close together, then a long paragraph without any.
DENSE = " ".join(f"Speaker {i} said “point {i} stands”." for i in range(12))
TEXT = DENSE + "\n\n" + ("Nothing else was said that day about the plan. " * 40) + "\n"


def test_labels_of_a_dense_passage_stay_beside_its_lines(qtbot, db) -> None:
    ws = open_workspace(qtbot, db, TEXT, "Dense")
    actor = create_actor(db, ws.project_id, "A speaker with a rather long name")
    for i in range(12):
        start = ws.text.index(f"“point {i} stands”")
        create_attribution(
            db,
            AttributionRecord(
                new_id(),
                ws.document_id,
                ws.annotator_id,
                (Span(start, start + len(f"“point {i} stands”")),),
                speaker_id=actor.id,
            ),  # fmt: skip
        )
    ws.load_document(ws.document_id)
    view, margin = ws.view, ws.view.margin
    view.verticalScrollBar().setValue(0)
    qtbot.wait(50)
    first_block = view.document().firstBlock()
    geo = view.blockBoundingGeometry(first_block).translated(view.contentOffset())
    label_h = QFontMetrics(margin.label_font()).height()
    bottom_of_quotes = int(geo.bottom())
    # Pixels of label text (darker than the margin's background) right of the bars.
    image = margin.grab().toImage()
    background = image.pixelColor(image.width() - 2, image.height() - 2).lightness()
    inked = [
        y
        for y in range(image.height())
        if any(
            QColor(image.pixelColor(x, y)).lightness() < background - 60
            for x in range(TEXT_X, image.width() - 4, 2)
        )
    ]
    assert inked, "no label drawn"
    full, _compact = line_heights(label_h)
    assert max(inked) <= bottom_of_quotes + full, (
        f"labels reach y={max(inked)}, the quoted paragraph ends at {bottom_of_quotes}"
    )
    # and every quote is named or counted
    slots = margin.label_slots(label_h)
    assert sorted(i for s in slots for i in s.ids) == sorted(r.id for r in ws.ordered())


starts_strategy = st.lists(st.integers(min_value=0, max_value=2000), max_size=60).map(sorted)


@given(starts_strategy, st.integers(min_value=6, max_value=30))
def test_placement_never_overlaps_nor_drifts_more_than_a_label_line(
    wants: list[int], text_height: int
) -> None:
    starts = [(y, f"a{i}") for i, y in enumerate(wants)]
    slots = place_labels(starts, text_height)
    full, compact = line_heights(text_height)
    assert [i for s in slots for i in s.ids] == [a for _, a in starts]  # all, in order
    for slot in slots:
        assert 0 <= slot.y - slot.want <= compact
        assert slot.want == dict((a, y) for y, a in starts)[slot.ids[0]]
    for above, below in zip(slots, slots[1:], strict=False):
        assert above.y + (full if above.lines == 2 else compact) <= below.y


def test_room_gives_two_lines_and_crowding_one_line_then_a_count() -> None:
    full, compact = line_heights(10)
    slots = place_labels([(0, "a"), (100, "b"), (100 + compact, "c"), (100 + compact, "d")], 10)
    assert [(s.ids, s.lines, s.y) for s in slots] == [
        (["a"], 2, 0),  # room: speaker and stance
        (["b"], 1, 100),  # the next starts close below: its name only
        (["c"], 1, 100 + compact),
        (["d"], 2, 100 + 2 * compact),  # one label line below its own line, no more
    ]
    crowded = place_labels([(0, "a"), (0, "b"), (0, "c"), (0, "d")], 10)
    assert [(s.ids, s.y) for s in crowded] == [(["a"], 0), (["b", "c", "d"], compact)]
