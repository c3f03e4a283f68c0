"""Selection helpers: snapping to whole words, and the word steps of Ctrl+Shift+Right."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.spans import _word_at, next_word_end, snap_span

TEXT = "Iran opposes any change to the region's borders, he said. “We will not accept it.”"


def test_after_a_snapped_word_the_next_step_takes_the_next_word() -> None:
    start = TEXT.index("Iran")
    end = start + len("Iran opposes")
    assert snap_span(TEXT, start, end) == (start, end)
    stops = []
    for _ in range(5):
        end = next_word_end(TEXT, end)
        stops.append(TEXT[start:end])
    assert stops == [
        "Iran opposes any",
        "Iran opposes any change",
        "Iran opposes any change to",
        "Iran opposes any change to the",
        "Iran opposes any change to the region's",  # an inner apostrophe stays in the word
    ]


def test_inside_a_word_the_step_ends_that_word_and_stops_at_the_text_end() -> None:
    assert TEXT[: next_word_end(TEXT, 1)] == "Iran"
    assert next_word_end(TEXT, len(TEXT) - 1) == len(TEXT)  # only punctuation left
    assert next_word_end("", 0) == 0


@given(st.text(alphabet="ab 'é,.\u201c\u201d\n", max_size=40), st.data())
def test_a_step_ends_on_a_word_end_with_one_word_end_crossed(
    text: str, data: st.DataObject
) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = next_word_end(text, i)
    assert i <= end <= len(text)
    if any(_word_at(text, k) for k in range(i, len(text))):
        assert _word_at(text, end - 1) and not _word_at(text, end)
        # no earlier word end between i and end
        assert not any(_word_at(text, k) and not _word_at(text, k + 1) for k in range(i, end - 1))
    else:
        assert end == len(text)
