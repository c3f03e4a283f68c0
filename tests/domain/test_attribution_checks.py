"""The checks behind the workspace's warnings: identical attributions, far cues and mentions,
a cue and a mention on the same words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.attribution_checks import (
    FAR_CHARS,
    far_from_content,
    identical_attribution,
    role_clash,
)
from annotator.model import AttributionRecord, Span

TEXT = (
    "The minister said that Iran opposes any change to the borders.\n\n"
    "Officials in Baku did not comment.\n\n"
    "The presence of outside powers only brings instability, according to him.\n"
)


def _span(words: str) -> Span:
    start = TEXT.index(words)
    return Span(start, start + len(words))


def _record(content: tuple[Span, ...], **fields: object) -> AttributionRecord:
    return AttributionRecord("a1", "d", "ana", content, **fields)  # type: ignore[arg-type]


QUOTE = (_span("Iran opposes any change to the borders"),)


def test_identical_means_the_same_content_spans() -> None:
    existing = _record(QUOTE)
    assert identical_attribution([existing], list(QUOTE)) is existing
    assert identical_attribution([existing], [Span(QUOTE[0].start, QUOTE[0].end - 1)]) is None
    split = _record((Span(0, 3), Span(10, 20)))
    assert identical_attribution([split], [Span(10, 20), Span(0, 3)]) is split  # any order
    assert identical_attribution([split], [Span(0, 3)]) is None


def test_near_in_its_sentence_or_the_next_paragraph_far_beyond() -> None:
    assert not far_from_content(TEXT, QUOTE, _span("said"))
    assert not far_from_content(TEXT, QUOTE, _span("Officials"))  # the next paragraph
    assert far_from_content(TEXT, QUOTE, _span("according to"))  # a paragraph in between
    # a quote split over paragraphs: near one segment is enough
    split = (*QUOTE, _span("only brings instability"))
    assert not far_from_content(TEXT, split, _span("according to"))


@given(st.integers(min_value=0, max_value=2 * FAR_CHARS))
def test_far_in_one_paragraph_only_beyond_the_character_limit(distance: int) -> None:
    text = "quote " + "x" * distance + " cue"
    content = (Span(0, 5),)
    cue = Span(len(text) - 3, len(text))
    assert far_from_content(text, content, cue) == (distance + 2 > FAR_CHARS)


def test_role_clash_names_the_other_role() -> None:
    said = _span("said")
    with_cue = _record(QUOTE, cue=said)
    assert role_clash(with_cue, "mention", said) == "cue"
    assert role_clash(with_cue, "mention", _span("minister")) is None
    with_mention = _record(QUOTE, mention=_span("The minister"))
    assert role_clash(with_mention, "cue", _span("minister said")) == "speaker mention"
    assert role_clash(with_mention, "cue", said) is None
