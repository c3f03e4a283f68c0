"""Alignment of several annotators' attributions by token overlap of their content spans."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model import AttributionRecord, Kind, Polarity, Span
from annotator.team.alignment import (
    AlignedGroup,
    TokenIndex,
    align,
    dice,
    field_differences,
    tokens,
)

TEXT = 'He said "the corridor is an obstacle," and added that peace is near. Others disagreed.'
#       0123456789...


def rec(rid: str, ann: str, *spans: tuple[int, int], **fields: object) -> AttributionRecord:
    return AttributionRecord(
        id=rid,
        document_id="d",
        annotator_id=ann,
        content=tuple(Span(s, e) for s, e in spans),
        **fields,  # type: ignore[arg-type]
    )


def span_of(phrase: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def test_tokens_are_word_runs_in_code_points() -> None:
    text = "Ali Akbar Ahmadiyyan 🙂 said: «Zangezur»."
    got = [text[s:e] for s, e in tokens(text)]
    assert got == ["Ali", "Akbar", "Ahmadiyyan", "said", "Zangezur"]
    # offsets are code points: the emoji counts as one, so "said" starts right after it
    assert tokens(text)[3] == (text.index("said"), text.index("said") + 4)


def test_span_covers_a_token_it_touches_by_one_code_point() -> None:
    idx = TokenIndex("alpha beta gamma")
    assert idx.covered([Span(3, 8)]) == frozenset({0, 1})  # "ha be"
    assert idx.covered([Span(5, 6)]) == frozenset()  # only the space
    assert idx.covered([Span(0, 5), Span(11, 16)]) == frozenset({0, 2})


def test_dice_hand_computed() -> None:
    assert dice(frozenset({1, 2, 3}), frozenset({2, 3, 4, 5})) == 2 * 2 / 7
    assert dice(frozenset(), frozenset({1})) == 0.0
    assert dice(frozenset({1}), frozenset({1})) == 1.0


def test_punctuation_differences_still_match_exactly() -> None:
    quote = span_of('"the corridor is an obstacle,"')
    inner = span_of("the corridor is an obstacle")
    a = rec("a1", "A", quote)
    b = rec("b1", "B", inner)
    [group] = align({"A": [a], "B": [b]}, TEXT)
    assert group.members == {"A": a, "B": b}
    assert group.overlap == 1.0


def test_two_annotators_partial_and_missed() -> None:
    a1 = rec("a1", "A", span_of("the corridor is an obstacle"))
    a2 = rec("a2", "A", span_of("peace is near"))
    b1 = rec("b1", "B", span_of("corridor is an obstacle"))  # 4 of 5 tokens
    b2 = rec("b2", "B", span_of("Others disagreed"))
    groups = align({"A": [a2, a1], "B": [b2, b1]}, TEXT)
    assert [sorted(g.members) for g in groups] == [["A", "B"], ["A"], ["B"]]
    assert groups[0].members == {"A": a1, "B": b1}
    assert groups[0].overlap == 2 * 4 / 9
    assert groups[1].overlap == 1.0  # a group of one is vacuously consistent


def test_below_threshold_stays_apart() -> None:
    a = rec("a", "A", span_of("the corridor is an obstacle"))  # 5 tokens
    b = rec("b", "B", span_of('obstacle," and added that peace'))  # shares 1 token of 5
    groups = align({"A": [a], "B": [b]}, TEXT)
    assert len(groups) == 2
    assert len(align({"A": [a], "B": [b]}, TEXT, min_overlap=0.1)) == 1


def test_one_to_one_best_overlap_wins() -> None:
    # B marked one long quote; A split it into two. The longer half pairs with B's quote.
    a1 = rec("a1", "A", span_of("He said"))
    a2 = rec("a2", "A", span_of('the corridor is an obstacle," and added'))
    b = rec("b", "B", span_of('He said "the corridor is an obstacle," and added'))
    groups = align({"A": [a1, a2], "B": [b]}, TEXT, min_overlap=0.2)
    paired = [g for g in groups if len(g.members) == 2]
    assert len(paired) == 1
    assert paired[0].members["A"] is a2


def test_three_annotators_complete_linkage() -> None:
    a = rec("a", "A", span_of("the corridor is an obstacle"))
    b = rec("b", "B", span_of("the corridor is an obstacle"))
    c = rec("c", "C", span_of('an obstacle," and added that peace is near'))
    groups = align({"A": [a], "B": [b], "C": [c]}, TEXT)
    # C overlaps A and B by 2 tokens of 5 vs 8: below 0.5, so C is on its own
    assert [sorted(g.members) for g in groups] == [["A", "B"], ["C"]]
    groups = align({"A": [a], "B": [b], "C": [c]}, TEXT, min_overlap=0.3)
    assert [sorted(g.members) for g in groups] == [["A", "B", "C"]]
    assert groups[0].overlap == 2 * 2 / 13


def test_split_quote_uses_all_segments() -> None:
    first = span_of("the corridor is an obstacle")
    second = span_of("peace is near")
    a = rec("a", "A", first, second)
    b = rec("b", "B", first)
    [group] = align({"A": [a], "B": [b]}, TEXT)
    assert group.overlap == 2 * 5 / 13


# -- property tests ---------------------------------------------------------------------------

WORDS = [
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "a",
    "lazy",
    "dog",
    "while",
    "analysts",
    "label",
    "quotes",
]


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[str, dict[str, list[AttributionRecord]]]:
    n_words = draw(st.integers(5, 40))
    text = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=n_words, max_size=n_words)))
    by: dict[str, list[AttributionRecord]] = {}
    for ann in draw(st.lists(st.sampled_from("ABCD"), min_size=1, max_size=4, unique=True)):
        recs = []
        for k in range(draw(st.integers(0, 5))):
            s = draw(st.integers(0, len(text) - 1))
            e = draw(st.integers(s + 1, min(len(text), s + 60)))
            recs.append(rec(f"{ann}{k}", ann, (s, e)))
        by[ann] = recs
    return text, by


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.sampled_from([0.1, 0.5, 0.8]), st.randoms())
def test_alignment_invariants(
    case: tuple[str, dict[str, list[AttributionRecord]]], threshold: float, rnd: random.Random
) -> None:
    text, by = case
    groups = align(by, text, min_overlap=threshold)
    placed = [r.id for g in groups for r in g.members.values()]
    # every attribution in exactly one group
    assert sorted(placed) == sorted(r.id for recs in by.values() for r in recs)
    idx = TokenIndex(text)
    for g in groups:
        assert isinstance(g, AlignedGroup)
        for ann, r in g.members.items():
            assert r.annotator_id == ann
        if len(g.members) > 1:
            assert g.overlap >= threshold
            sets = [idx.covered(r.content) for r in g.members.values()]
            assert g.overlap == min(dice(x, y) for i, x in enumerate(sets) for y in sets[i + 1 :])
    # sorted by position
    assert [(g.start, g.end) for g in groups] == sorted((g.start, g.end) for g in groups)
    # deterministic whatever the order of the input
    shuffled = {}
    for ann in rnd.sample(list(by), len(by)):
        shuffled[ann] = rnd.sample(by[ann], len(by[ann]))
    again = align(shuffled, text, min_overlap=threshold)
    assert [{a: r.id for a, r in g.members.items()} for g in again] == [
        {a: r.id for a, r in g.members.items()} for g in groups
    ]


# -- field differences ------------------------------------------------------------------------


def test_field_differences_names_each_field() -> None:
    base = rec(
        "x",
        "A",
        (0, 7),
        cue=Span(3, 7),
        mention=Span(0, 2),
        speaker_id="s1",
        via_id="v1",
        kind=Kind.DIRECT,
        target_id="t1",
        polarity=Polarity.OPPOSE,
        proposition="p",
    )
    assert field_differences(base, dataclasses.replace(base, id="y", annotator_id="B")) == []
    changes = {
        "content": {"content": (Span(0, 8),)},
        "cue": {"cue": None},
        "mention": {"mention": Span(0, 3)},
        "speaker": {"speaker_id": "s2"},
        "via": {"via_id": None},
        "kind": {"kind": Kind.MIXED},
        "target": {"target_id": "t2"},
        "polarity": {"polarity": Polarity.SUPPORT},
        "proposition": {"proposition": "q"},
    }
    for name, change in changes.items():
        assert field_differences(base, dataclasses.replace(base, **change)) == [name]
    everything = dataclasses.replace(base, **{k: v for c in changes.values() for k, v in c.items()})
    assert field_differences(base, everything) == list(changes)


def test_field_differences_canonical_actor_and_whitespace() -> None:
    a = rec("a", "A", (0, 3), speaker_id="old", proposition="Iran opposes ")
    b = rec("b", "B", (0, 3), speaker_id="new", proposition="Iran opposes")
    assert field_differences(a, b) == ["speaker"]
    assert field_differences(a, b, canonical_actor={"old": "new"}) == []


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.sampled_from([0.3, 0.5]))
def test_two_annotator_matching_against_optimal_assignment(
    case: tuple[str, dict[str, list[AttributionRecord]]], threshold: float
) -> None:
    """Greedy best-first vs SciPy's maximum-weight assignment: equal without conflicts, and
    never below half of the optimum (the greedy matching bound)."""
    optimize = pytest.importorskip("scipy.optimize")
    text, by = case
    anns = sorted(by)
    if len(anns) < 2:
        return
    a, b = anns[:2]
    idx = TokenIndex(text)
    weight = [
        [
            d if (d := dice(idx.covered(x.content), idx.covered(y.content))) >= threshold else 0.0
            for y in by[b]
        ]
        for x in by[a]
    ]
    groups = align({a: by[a], b: by[b]}, text, min_overlap=threshold)
    greedy = sum(g.overlap for g in groups if len(g.members) == 2)
    if not weight or not weight[0]:
        assert greedy == 0
        return
    rows, cols = optimize.linear_sum_assignment(weight, maximize=True)
    best = sum(weight[r][c] for r, c in zip(rows, cols, strict=True))
    assert greedy <= best + 1e-9
    assert greedy >= best / 2 - 1e-9
    conflicts = any(sum(w > 0 for w in row) > 1 for row in weight) or any(
        sum(row[c] > 0 for row in weight) > 1 for c in range(len(weight[0]))
    )
    if not conflicts:
        assert greedy == pytest.approx(best)
