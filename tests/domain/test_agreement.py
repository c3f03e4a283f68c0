"""Agreement coefficients: hand-computed examples and random data against reference packages."""

from __future__ import annotations

import dataclasses
import math
import random
import re
import warnings
from collections import Counter

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotator.model import AttributionRecord, Polarity, Span
from annotator.team.agreement import DocumentAnnotations, compute_agreement, tally_document
from annotator.team.coefficients import (
    alpha_from_coincidences,
    alpha_nominal,
    binary_coincidences,
    cohen_kappa,
    f1,
)

# -- coefficients by hand ---------------------------------------------------------------------


def test_cohen_kappa_hand_computed() -> None:
    a = ["s", "s", "o", "o", "n", "s"]
    b = ["s", "o", "o", "o", "n", "s"]
    # p_o = 5/6; p_e = (3*2 + 2*3 + 1*1) / 36 = 13/36; kappa = (30-13)/(36-13)
    assert cohen_kappa(list(zip(a, b, strict=True))) == pytest.approx(17 / 23)


def test_cohen_kappa_undefined_cases() -> None:
    assert cohen_kappa([]) is None
    assert cohen_kappa([("s", "s"), ("s", "s")]) is None  # p_e = 1
    assert cohen_kappa([("s", "o"), ("o", "s")]) == pytest.approx(-1.0)


def test_alpha_nominal_hand_computed() -> None:
    # o_aa = 2, o_ab = o_ba = 1, o_bb = 4; n_a = 3, n_b = 5, n = 8
    # alpha = 1 - (n-1) * 2 / (2 * 3 * 5) = 1 - 14/30
    units = [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]
    assert alpha_nominal(units) == pytest.approx(8 / 15)


def test_alpha_with_missing_values_and_three_coders() -> None:
    # unit 1: a a b (m=3) -> o_aa = 2*1/2 = 1, o_ab = o_ba = 2*1/2 = 1; unit 2: b b -> o_bb = 2;
    # unit 3: a alone (not pairable). n_a = 2, n_b = 3, n = 5
    # alpha = 1 - 4 * 2 / (2*2*3) = 1/3
    assert alpha_nominal([("a", "a", "b"), ("b", "b"), ("a",)]) == pytest.approx(1 / 3)


def test_alpha_undefined_without_variation() -> None:
    assert alpha_nominal([("a", "a"), ("a", "a")]) is None
    assert alpha_nominal([("a",)]) is None


def test_f1_is_symmetric_harmonic_mean() -> None:
    # A has 4 quotes, B has 2, 1 exact match: P = 1/2, R = 1/4 -> F1 = 1/3
    assert f1(1, 6) == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    assert f1(0, 0) is None


# -- coefficients against reference implementations on random data ----------------------------


def _reference_alpha(matrix: list[list[int | None]]) -> float:
    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


@st.composite
def reliability(draw: st.DrawFn) -> list[list[int | None]]:
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(2, 30))
    labels = draw(st.integers(2, 4))
    value = st.one_of(st.none(), st.integers(0, labels - 1))
    return [[draw(value) for _ in range(units)] for _ in range(coders)]


@settings(max_examples=200, deadline=None)
@given(reliability())
def test_alpha_matches_krippendorff_package(matrix: list[list[int | None]]) -> None:
    units = [tuple(v for v in column if v is not None) for column in zip(*matrix, strict=True)]
    ours = alpha_nominal(units)
    pairable = [u for u in units if len(u) >= 2]
    if ours is None:
        # undefined: nothing pairable or a single value throughout
        assert not pairable or len({v for u in pairable for v in u}) == 1
        return
    assert ours == pytest.approx(_reference_alpha(matrix), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=60))
def test_kappa_matches_scikit_learn(pairs: list[tuple[int, int]]) -> None:
    ours = cohen_kappa(pairs)
    a, b = zip(*pairs, strict=True)
    if ours is None:
        assert len(set(a) | set(b)) == 1
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = cohen_kappa_score(a, b)
    assert ours == pytest.approx(reference, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(2, 4), st.integers(0, 4)), st.integers(1, 9)))
def test_binary_patterns_equal_expanded_units(patterns: dict[tuple[int, int], int]) -> None:
    patterns = {(m, k): n for (m, k), n in patterns.items() if k <= m}
    units = [(True,) * k + (False,) * (m - k) for (m, k), n in patterns.items() for _ in range(n)]
    ours = alpha_from_coincidences(binary_coincidences(patterns))
    expected = alpha_nominal(units)
    assert (ours is None) == (expected is None)
    if ours is not None:
        assert ours == pytest.approx(expected, abs=1e-9)


# -- agreement over documents ------------------------------------------------------------------

WORDS = [f"w{i}" for i in range(20)]
TEXT = " ".join(WORDS)


def tok(i: int) -> tuple[int, int]:
    start = TEXT.index(f"w{i} ") if i < 19 else TEXT.index("w19")
    return start, start + len(f"w{i}")


def quote(rid: str, ann: str, first: int, last: int, **fields: object) -> AttributionRecord:
    return AttributionRecord(
        id=rid,
        document_id="d1",
        annotator_id=ann,
        content=(Span(tok(first)[0], tok(last)[1]),),
        **fields,  # type: ignore[arg-type]
    )


def hand_document() -> DocumentAnnotations:
    a = [
        quote("q1", "A", 0, 4, speaker_id="X", target_id="T1", polarity=Polarity.SUPPORT),
        quote("q2", "A", 10, 13, speaker_id="Y", polarity=Polarity.OPPOSE),
        quote("q3", "A", 16, 17),
    ]
    b = [
        quote("p1", "B", 0, 4, speaker_id="Xdup", target_id="T1", polarity=Polarity.SUPPORT),
        quote("p2", "B", 11, 13, speaker_id="Z", target_id="T2", polarity=Polarity.SUPPORT),
        quote("p4", "B", 7, 8),
    ]
    return DocumentAnnotations("d1", "Hand", TEXT, {"A": a, "B": b})


def test_two_annotators_hand_computed() -> None:
    report = compute_agreement(
        [hand_document()], canonical_actor={"Xdup": "X"}, annotator_names={"A": "Ann", "B": "Bo"}
    )
    fig = report.project
    assert fig.annotators == ("A", "B")
    assert (fig.documents, fig.quotes, fig.matched) == (1, 6, 2)
    # q1 = p1 exactly; q2 ~ p2 with Dice 2*3/7; q3 and p4 unmatched
    assert fig.exact_f1.value == pytest.approx(2 * 1 / 6)
    assert (fig.exact_f1.items, fig.exact_f1.agree) == (6, 1)
    assert fig.overlap_f1.value == pytest.approx(2 * (1 + 6 / 7) / 6)
    # tokens: 8 marked by both, 5 by one, 7 by none -> o_TT=16, o_FF=14, o_TF=o_FT=5
    # alpha = 1 - 39 * 10 / (2 * 21 * 19)
    assert fig.token_alpha.value == pytest.approx(1 - 390 / 798)
    assert fig.token_alpha.items == 20
    # speaker: X vs Xdup (merged into X) agree; Y vs Z differ
    assert (fig.speaker.value, fig.speaker.items, fig.speaker.agree) == (0.5, 2, 1)
    # target: only q1/p1 both set
    assert (fig.target.value, fig.target.items, fig.target.agree) == (1.0, 1, 1)
    # stance: (support, support), (oppose, support): p_o = 1/2, p_e = 1/2 -> kappa 0
    assert fig.stance_coefficient == "cohen_kappa"
    assert fig.stance.value == pytest.approx(0.0)
    assert fig.stance.items == 2
    assert report.pairs[("A", "B")].token_alpha.value == pytest.approx(fig.token_alpha.value)
    assert [d.document_id for d in report.documents] == ["d1"]
    assert report.to_dict()["pairs"][0]["a"] == "Ann"


def test_token_alpha_matches_krippendorff_on_the_hand_document() -> None:
    doc = hand_document()
    report = compute_agreement([doc])
    marked = {
        ann: {i for r in recs for i in range(20) if tok(i)[0] >= r.start and tok(i)[1] <= r.end}
        for ann, recs in doc.by_annotator.items()
    }
    matrix = [[int(i in marked[a]) for i in range(20)] for a in ("A", "B")]
    assert report.project.token_alpha.value == pytest.approx(_reference_alpha(matrix))


def test_speaker_not_canonicalized_without_map() -> None:
    report = compute_agreement([hand_document()])
    assert report.project.speaker.agree == 0


def test_merged_targets_count_as_the_same_target() -> None:
    doc = hand_document()
    b = [
        dataclasses.replace(r, target_id="T1old") if r.id == "p1" else r
        for r in doc.by_annotator["B"]
    ]
    doc = DocumentAnnotations("d1", "Hand", TEXT, {"A": doc.by_annotator["A"], "B": b})
    assert compute_agreement([doc]).project.target.agree == 0
    merged = compute_agreement([doc], canonical_target={"T1old": "T1"}).project.target
    assert (merged.agree, merged.items) == (1, 1)


def test_documents_coded_by_one_annotator_are_left_out() -> None:
    alone = DocumentAnnotations("d2", "Alone", TEXT, {"A": [quote("x", "A", 0, 3)]})
    report = compute_agreement([hand_document(), alone])
    assert report.project.documents == 1
    assert [d.document_id for d in report.documents] == ["d1"]
    assert tally_document(alone).documents == 0


def test_annotator_with_no_quotes_counts_as_missing_everything() -> None:
    doc = DocumentAnnotations("d3", "Empty", TEXT, {"A": [quote("x", "A", 0, 3)], "B": []})
    fig = compute_agreement([doc]).project
    assert fig.exact_f1.value == 0.0
    assert fig.exact_f1.items == 1
    assert fig.overlap_f1.value == 0.0
    assert fig.speaker.items == 0 and fig.speaker.value is None
    # 4 tokens marked by one, 16 by none: observed disagreement only -> alpha < 0
    assert fig.token_alpha.value is not None and fig.token_alpha.value < 0


def _random_documents(
    rnd: random.Random, coders: list[str], n_docs: int
) -> tuple[list[DocumentAnnotations], list[list[int | None]]]:
    """Documents where all coders mark the same quotes (so matching is trivial) with random
    polarities (or none), plus the coder x quote reliability matrix for the reference."""
    labels = list(Polarity)
    docs, columns = [], []
    for d in range(n_docs):
        by: dict[str, list[AttributionRecord]] = {c: [] for c in coders}
        for q in range(rnd.randint(1, 4)):
            first = q * 5
            column: list[int | None] = []
            for c in coders:
                if rnd.random() < 0.15:  # this coder missed the quote
                    column.append(None)
                    continue
                pol = rnd.choice(labels) if rnd.random() > 0.1 else None
                column.append(None if pol is None else labels.index(pol))
                rec = quote(f"{d}-{q}-{c}", c, first, first + 3, polarity=pol)
                by[c].append(AttributionRecord(**{**_fields(rec), "document_id": f"d{d}"}))
            columns.append(column)
        docs.append(DocumentAnnotations(f"d{d}", "", TEXT, by))
    matrix = [[col[i] for col in columns] for i in range(len(coders))]
    return docs, matrix


def _fields(rec: AttributionRecord) -> dict[str, object]:
    return {name: getattr(rec, name) for name in rec.__slots__}  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", range(8))
def test_stance_alpha_for_three_coders_matches_krippendorff(seed: int) -> None:
    rnd = random.Random(seed)
    docs, matrix = _random_documents(rnd, ["A", "B", "C"], 6)
    report = compute_agreement(docs)
    assert report.project.stance_coefficient == "krippendorff_alpha"
    pairable = sum(1 for col in zip(*matrix, strict=True) if sum(v is not None for v in col) >= 2)
    assert report.project.stance.items == pairable
    assert report.project.stance.value == pytest.approx(_reference_alpha(matrix), abs=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_stance_kappa_for_two_coders_matches_scikit_learn(seed: int) -> None:
    rnd = random.Random(100 + seed)
    docs, matrix = _random_documents(rnd, ["A", "B"], 8)
    both = [(a, b) for a, b in zip(*matrix, strict=True) if a is not None and b is not None]
    report = compute_agreement(docs)
    fig = report.project
    assert fig.stance_coefficient == "cohen_kappa"
    assert fig.stance.items == len(both)
    reference = cohen_kappa_score([a for a, _ in both], [b for _, b in both])
    if math.isnan(reference):
        assert fig.stance.value is None
    else:
        assert fig.stance.value == pytest.approx(reference, abs=1e-9)
    # both coders mark identical spans, so every matched pair is an exact match
    assert fig.matched >= len(both)
    assert fig.exact_f1.agree == fig.matched
    assert report.pairs[("A", "B")].stance.value == fig.stance.value


def test_pairs_and_documents_pool_consistently() -> None:
    rnd = random.Random(7)
    docs, _ = _random_documents(rnd, ["A", "B", "C"], 5)
    report = compute_agreement(docs)
    assert set(report.pairs) == {("A", "B"), ("A", "C"), ("B", "C")}
    assert report.project.matched == sum(f.matched for f in report.pairs.values())
    assert report.project.exact_f1.items == sum(f.exact_f1.items for f in report.pairs.values())
    assert report.project.quotes == sum(d.figures.quotes for d in report.documents)
    counts = Counter(len(d.figures.annotators) for d in report.documents)
    assert counts == {3: 5}


@st.composite
def coded_documents(draw: st.DrawFn) -> list[DocumentAnnotations]:
    """Documents of random words coded by random subsets of four coders with random spans."""
    docs = []
    for d in range(draw(st.integers(1, 4))):
        n_words = draw(st.integers(3, 25))
        text = " ".join(f"x{draw(st.integers(0, 9))}" for _ in range(n_words))
        coders = draw(st.lists(st.sampled_from("ABCD"), min_size=1, max_size=4, unique=True))
        by: dict[str, list[AttributionRecord]] = {}
        for c in coders:
            recs = []
            for k in range(draw(st.integers(0, 3))):
                s = draw(st.integers(0, len(text) - 1))
                e = draw(st.integers(s + 1, len(text)))
                recs.append(
                    AttributionRecord(
                        id=f"{d}{c}{k}", document_id=f"d{d}", annotator_id=c, content=(Span(s, e),)
                    )
                )
            by[c] = recs
        docs.append(DocumentAnnotations(f"d{d}", "", text, by))
    return docs


def _token_matrix(docs: list[DocumentAnnotations], coders: list[str]) -> list[list[int | None]]:
    """Coder x token reliability matrix built independently of the code under test:
    1 if a coder's span shares a code point with the token, 0 if not, None if not coded."""
    rows: list[list[int | None]] = [[] for _ in coders]
    for doc in docs:
        if sum(c in doc.by_annotator for c in coders) < 2:
            continue
        for m in re.finditer(r"\w+", doc.text):
            for row, c in zip(rows, coders, strict=True):
                if c not in doc.by_annotator:
                    row.append(None)
                    continue
                inside = any(
                    sp.start < m.end() and m.start() < sp.end
                    for r in doc.by_annotator[c]
                    for sp in r.content
                )
                row.append(int(inside))
    return rows


@settings(max_examples=120, deadline=None)
@given(coded_documents())
def test_token_alpha_matches_krippendorff_on_random_coding(
    docs: list[DocumentAnnotations],
) -> None:
    report = compute_agreement(docs)
    coders = sorted({c for d in docs for c in d.by_annotator})
    matrix = _token_matrix(docs, coders)
    ours = report.project.token_alpha
    columns = list(zip(*matrix, strict=True)) if matrix and matrix[0] else []
    assert ours.items == sum(1 for col in columns if sum(v is not None for v in col) >= 2)
    values = {v for col in columns for v in col if v is not None}
    if ours.value is None:
        assert len(values) <= 1
    else:
        assert ours.value == pytest.approx(_reference_alpha(matrix), abs=1e-9)
    # each pair: only the two coders, on documents both coded
    for (a, b), fig in report.pairs.items():
        pair_docs = [d for d in docs if a in d.by_annotator and b in d.by_annotator]
        pair_matrix = _token_matrix(
            [
                DocumentAnnotations(
                    d.document_id, "", d.text, {a: d.by_annotator[a], b: d.by_annotator[b]}
                )
                for d in pair_docs
            ],
            [a, b],
        )
        assert fig.token_alpha.items == len(pair_matrix[0])
        if fig.token_alpha.value is not None:
            assert fig.token_alpha.value == pytest.approx(_reference_alpha(pair_matrix), abs=1e-9)
