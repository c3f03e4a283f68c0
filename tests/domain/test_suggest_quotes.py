"""The quotation scanner: marks of many scripts, nesting, apostrophes, multi-paragraph quotes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model import Kind, Span
from annotator.suggest.kinds import kind_of
from annotator.suggest.quotes import QuoteMap, find_quotes, top_level


def inner(text: str) -> list[str]:
    return [text[r.inner_start : r.inner_end] for r in top_level(find_quotes(text))]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('He said "we will win" today.', "we will win"),
        ("He said “we will win” today.", "we will win"),
        ("Il a dit « nous gagnerons » hier.", " nous gagnerons "),
        ("Er sagte „wir gewinnen“ heute.", "wir gewinnen"),
        ("Powiedział „wygramy” dzisiaj.", "wygramy"),
        ("Han sa ”vi vinner” idag.", "vi vinner"),
        ("Han sagde »vi vinder« i dag.", "vi vinder"),
        ("彼は「勝つ」と言った。", "勝つ"),
        ("彼は『勝つ』と言った。", "勝つ"),
        ("He said ‘we will win’ today.", "we will win"),
        ("Er sagte ‚wir gewinnen‘ heute.", "wir gewinnen"),
        ("''We will win,'' he said.", "We will win,"),
        ("He said 'we will win' today.", "we will win"),
    ],
)
def test_each_quote_style_is_found(text: str, quoted: str) -> None:
    assert inner(text) == [quoted]


def test_apostrophes_are_not_quotes() -> None:
    text = "Iran’s voters’ rights in the ’90s don't matter, it's said."
    assert find_quotes(text) == []


def test_possessive_after_a_word_closes_only_an_open_single_quote() -> None:
    text = "He called it ‘the voters’ choice’ on Tuesday."
    assert inner(text) == ["the voters’ choice"]


def test_nesting_keeps_the_outer_quote_whole() -> None:
    text = "She said: “He told me ‘never again’ and left.” Then she went home."
    regions = find_quotes(text)
    outer = top_level(regions)
    assert [text[r.inner_start : r.inner_end] for r in outer] == [
        "He told me ‘never again’ and left."
    ]
    nested = [r for r in regions if r not in outer]
    assert [text[r.inner_start : r.inner_end] for r in nested] == ["never again"]
    assert nested[0].depth == 1


def test_multi_paragraph_quote_is_continued() -> None:
    text = "“The first paragraph ends here.\n\n“The second one closes it.”"
    first, second = find_quotes(text)
    assert first.continued and not first.closed
    assert text[first.inner_start : first.inner_end] == "The first paragraph ends here."
    assert second.closed and not second.continued


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = "He said “this never closes\nNext paragraph without quotes."
    (region,) = find_quotes(text)
    assert not region.closed and not region.continued
    assert text[region.start : region.end] == "“this never closes"


def test_kind_from_the_quotes_around_the_words() -> None:
    text = "Smith said the plan was “a disaster” and “a mess.” Iran’s view differs."
    quotes = QuoteMap(text)
    assert kind_of(text, [Span(24, 36)], quotes) == Kind.DIRECT  # “a disaster”
    assert kind_of(text, [Span(25, 35)], quotes) == Kind.DIRECT  # inside the marks
    assert kind_of(text, [Span(11, 50)], quotes) == Kind.MIXED
    assert kind_of(text, [Span(51, 67)], quotes) == Kind.INDIRECT  # the apostrophe


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n.,'’‘\"“”«»„‚「」『』") + ["𝐀", "é", "\u0301"])))
def test_regions_are_valid_on_any_text(text: str) -> None:
    for r in find_quotes(text):
        assert 0 <= r.start <= r.inner_start <= r.inner_end <= r.end <= len(text)
        assert "\n" not in text[r.start : r.end]
    tops = top_level(find_quotes(text))
    assert all(a.end <= b.start for a, b in zip(tops, tops[1:], strict=False))
