"""Scoring against gold: figures computed by hand on small documents."""

from __future__ import annotations

import pytest

from annotator.model import Span
from annotator.suggest.evaluation import Item, Score, same_speaker, score_document

# Tokens (word runs) of TEXT, by index:
#  0 “We 1 will 2 win 3 ,” 4 Smith 5 said 6 . 7 The 8 economy 9 grows 10 , 11 Jones 12 said
TEXT = "“We will win,” Smith said. The economy grows fast, Jones said. Prices fell, Lee said."
Q1 = Span(0, 14)  # “We will win,”
SMITH, SAID1 = Span(15, 20), Span(21, 25)
Q2 = Span(27, 49)  # The economy grows fast
Q2_SHORT = Span(27, 44)  # The economy grows (3 of 4 tokens)
JONES, SAID2 = Span(51, 56), Span(57, 61)
Q3 = Span(63, 74)  # Prices fell


def test_perfect_prediction() -> None:
    gold = [Item((Q1,), SAID1, SMITH, ("John Smith",))]
    pred = [Item((Q1,), SAID1, SMITH, ("Smith",))]
    score = score_document(TEXT, gold, pred)
    c = score.counts["all"]
    for f in ("content_exact", "content_overlap", "cue_exact", "mention_exact", "speaker"):
        assert (c[f].precision, c[f].recall, c[f].f1) == (1.0, 1.0, 1.0)
    assert score.speaker_accuracy("direct") == 1.0


def test_hand_computed_figures() -> None:
    gold = [
        Item((Q1,), SAID1, SMITH, ("Smith",)),  # direct
        Item((Q2,), SAID2, JONES, ("Jones",)),  # indirect
        Item((Q3,), None, None, ()),  # indirect, no cue, no speaker
    ]
    pred = [
        Item((Q1,), SAID2, SMITH, ("Smith",)),  # content exact, cue wrong, speaker right
        Item((Q2_SHORT,), SAID2, JONES, ("Bob Lee",)),  # overlap 2*3/(3+4)=6/7, speaker wrong
        Item((SMITH,), None, None, ()),  # no gold quote there
    ]
    c = score_document(TEXT, gold, pred).counts
    # 2 matched pairs: (Q1, Q1) exact, (Q2, Q2_SHORT) at 6/7
    assert c["all"]["content_exact"].hit_p == 1 and c["all"]["content_exact"].n_pred == 3
    assert c["all"]["content_exact"].precision == pytest.approx(1 / 3)
    assert c["all"]["content_exact"].recall == pytest.approx(1 / 3)
    assert c["all"]["content_overlap"].precision == pytest.approx((1 + 6 / 7) / 3)
    assert c["all"]["content_overlap"].recall == pytest.approx((1 + 6 / 7) / 3)
    # cue: 2 gold cues, 2 predicted cues; only the Jones pair shares it
    assert (c["all"]["cue_exact"].n_gold, c["all"]["cue_exact"].n_pred) == (2, 2)
    assert c["all"]["cue_exact"].precision == pytest.approx(1 / 2)
    assert c["all"]["mention_exact"].f1 == pytest.approx(1.0)
    # speaker: 2 gold, 2 predicted, 1 right
    assert c["all"]["speaker"].precision == pytest.approx(1 / 2)
    assert c["all"]["speaker"].recall == pytest.approx(1 / 2)
    # by kind: gold has 1 direct (Q1), 2 indirect; prediction 1 is direct, 2 and 3 are not
    assert c["direct"]["content_exact"].recall == 1.0
    assert c["direct"]["content_exact"].precision == 1.0
    assert c["indirect"]["content_exact"].n_gold == 2
    assert c["indirect"]["content_exact"].recall == 0.0
    assert c["indirect"]["content_overlap"].recall == pytest.approx((6 / 7) / 2)
    assert c["indirect"]["content_overlap"].precision == pytest.approx((6 / 7) / 2)


def test_min_overlap_decides_matching() -> None:
    gold = [
        Item(
            (Q2,),
        )
    ]
    pred = [Item((Span(27, 38),))]  # "The economy": 2 of 4 tokens, overlap 2*2/(2+4)=2/3
    assert score_document(TEXT, gold, pred).counts["all"]["content_overlap"].hit_r == pytest.approx(
        2 / 3
    )
    strict = score_document(TEXT, gold, pred, min_overlap=0.7).counts["all"]["content_overlap"]
    assert strict.hit_r == 0


def test_scores_add_up_over_documents() -> None:
    total = Score()
    total.add(score_document(TEXT, [Item((Q1,))], [Item((Q1,))]))
    total.add(score_document(TEXT, [Item((Q2,))], []))
    c = total.counts["all"]["content_exact"]
    assert (c.precision, c.recall, total.documents) == (1.0, 0.5, 2)
    assert c.f1 == pytest.approx(2 / 3)
    data = total.to_dict()
    assert data["kinds"]["all"]["content_exact"]["f1"] == pytest.approx(0.6667, abs=1e-4)


def test_empty_sides_give_no_value() -> None:
    c = score_document(TEXT, [], []).counts["all"]["content_exact"]
    assert (c.precision, c.recall, c.f1) == (None, None, None)


@pytest.mark.parametrize(
    ("gold", "predicted", "same"),
    [
        (("Donald Trump",), ("Trump",), True),
        (("Mr. Trump",), ("Donald Trump",), True),
        (("Clinton’s",), ("Hillary Clinton",), True),
        (("Ali Akbar Ahmadian",), ("Ali Akbar Ahmadiyan",), True),
        (("Hillary Clinton",), ("Bill Clinton",), False),
        (("Smith",), (), False),
        (("the ministry",), ("Ministry",), True),
    ],
)
def test_same_speaker(gold: tuple[str, ...], predicted: tuple[str, ...], same: bool) -> None:
    assert same_speaker(gold, predicted) is same
