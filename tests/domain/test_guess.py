"""Kind guessing from quotation marks, pronoun speakers, and selection snapping (pure)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from annotator.guess import guess_kind, is_pronoun, recent_speaker
from annotator.model import AttributionRecord, Kind, Span
from annotator.spans import snap_span


def test_kind_direct_when_wholly_quoted() -> None:
    assert (
        guess_kind('"The Zangezur corridor is a big obstacle to a peace agreement,"') == Kind.DIRECT
    )
    assert guess_kind("«Nous ne céderons pas»") == Kind.DIRECT
    assert guess_kind("„Das ist gut“.") == Kind.DIRECT


def test_kind_direct_when_selected_inside_the_marks() -> None:
    assert guess_kind("we will not give up", before="“", after="”") == Kind.DIRECT


def test_kind_mixed_when_partly_quoted() -> None:
    assert guess_kind('any actions "will not only not help the countries"') == Kind.MIXED


def test_kind_indirect_without_marks() -> None:
    assert guess_kind("Iran opposes any plan that could change the geopolitics") == Kind.INDIRECT
    assert guess_kind("Iran's policy") == Kind.INDIRECT  # an apostrophe is no quotation mark


def test_kinds_of_the_hand_made_corpus_records(corpus) -> None:
    text = (corpus / "turan-2023-10-05-khalafov-tehran.txt").read_text(encoding="utf-8")
    lines = (corpus / "turan-2023-10-05-khalafov-tehran.quotes.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    agree = 0
    for r in records:
        s, e = r["content"]["start"], r["content"]["end"]
        agree += guess_kind(text[s:e], text[s - 1 : s], text[e : e + 1]) == r["kind"]
    # including the scare-quoted name ("Nagorno-Karabakh") inside reported speech (issue 9)
    assert agree == len(records), f"{agree}/{len(records)}"


def test_pronouns() -> None:
    for word in ("He", "his", "She", "they", "the latter", "Il", "elle"):
        assert is_pronoun(word), word
    for word in ("Raisi", "Ahmadiyyan", "IRNA", "Hemmati"):
        assert not is_pronoun(word), word


def _rec(i: int, start: int, speaker: str | None, mention: int | None = None) -> AttributionRecord:
    return AttributionRecord(
        id=str(i),
        document_id="d",
        annotator_id=None,
        content=(Span(start, start + 5),),
        mention=Span(mention, mention + 2) if mention is not None else None,
        speaker_id=speaker,
    )


def test_recent_speaker_is_the_nearest_before_by_mention_or_content() -> None:
    records = [_rec(1, 100, "raisi", mention=90), _rec(2, 300, "ahmadian"), _rec(3, 500, None)]
    assert recent_speaker(records, 50) is None
    assert recent_speaker(records, 95) == "raisi"
    assert recent_speaker(records, 299) == "raisi"
    assert recent_speaker(records, 301) == "ahmadian"
    assert recent_speaker(records, 10_000) == "ahmadian"  # the speakerless one is skipped


def test_snap_widens_to_words_and_trims_spaces() -> None:
    text = "Raisi said that  maintaining stability matters. "
    s = text.index("aintaining")
    assert text[slice(*snap_span(text, s - 3, s + 5))] == "maintaining"  # leading spaces trimmed
    assert text[slice(*snap_span(text, s - 5, s + 5))] == "that  maintaining"  # mid-word start
    start = text.index("maintaining")
    assert text[slice(*snap_span(text, start - 2, start + 14))] == "maintaining stability"
    assert snap_span(text, 5, 6) is None  # only a space


def test_snap_keeps_apostrophes_and_nbsp_is_space() -> None:
    text = "Iran's\u00a0policy"
    assert snap_span(text, 1, 3) == (0, 6)
    assert snap_span(text, 5, 8) == (0, len(text))
    assert snap_span(text, 6, 7) is None


@given(st.text(alphabet="ab \u00a0😀.\u0627\u0301", max_size=30), st.data())
def test_snap_result_is_trimmed_whole_words(text: str, data: st.DataObject) -> None:
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(0, len(text)))
    got = snap_span(text, a, b)
    if got is None:
        assert text[min(a, b) : max(a, b)].strip() == ""
        return
    s, e = got
    assert 0 <= s < e <= len(text)
    assert not text[s].isspace() and not text[e - 1].isspace()
    # the snapped span covers the non-space part of the selection
    inner = text[min(a, b) : max(a, b)].strip()
    assert inner in text[s:e]
