"""Residue rules: furniture goes, reporting never does (property-tested)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.importing.plaintext import is_protected, parse_dateline, strip_residue

PROTECTED = [
    'The minister said the plan "will not change anything at all".',
    "According to officials, the talks will resume next week.",
    "“We are ready to help the countries of the region,” he added.",
    "Raisi stressed that stability depends on cooperation.",
    "Follow us on social networks, the spokesman told reporters.",
]
PLAIN = [
    "The meeting took place in the capital on Tuesday.",
    "Trade between the two countries grew last year.",
    "Roads in the region were closed because of snow.",
]
FURNITURE = [
    "Leave a review",
    "Follow us on social networks",
    "News Line",
    "Read more: Another story about the region",
    "Continue reading the main story",
    "Advertisement",
    "InvestPro Azerbaijan Baku & Turkiye Istanbul 2024 – two conferences in one shot",
    'Чего ждать после потери Авдеевки? - беседа в "Çətin sual"',
]


@given(st.lists(st.sampled_from(PROTECTED + PLAIN + FURNITURE), min_size=1, max_size=14))
def test_reporting_paragraphs_always_survive(middle: list[str]):
    paragraphs = ["A headline", "Baku /05.10.23/Turan: The article starts here.", *middle]
    text = "\n\n".join(paragraphs)
    cleaned, removed = strip_residue(text)
    for p in paragraphs:
        if is_protected(p):
            assert p in cleaned
    # what was removed plus what was kept accounts for every paragraph
    gone = "\n\n".join(r["text"] for r in removed)
    for p in paragraphs:
        assert p in cleaned or p in gone


def test_trailing_block_kept_whole_when_it_holds_reporting():
    text = "\n\n".join(["Title", *PLAIN, "Leave a review", "Promo line", PROTECTED[0]])
    cleaned, removed = strip_residue(text)
    assert removed == [] and cleaned == text


def test_trailing_block_cut_at_the_first_marker():
    text = "\n\n".join(["Title", *PLAIN, "Leave a review", "Promo line", "Follow us", "News Line"])
    cleaned, removed = strip_residue(text)
    assert cleaned == "\n\n".join(["Title", *PLAIN])
    assert [r["where"] for r in removed] == ["end"]


def test_marker_in_the_first_third_is_not_an_ending():
    text = "\n\n".join(["Title", "Share", *PLAIN, *PLAIN])
    assert strip_residue(text) == (text, [])


def test_quoted_name_is_not_speech_but_quoted_words_are():
    assert not is_protected('Promo: a talk show in "Çətin sual" tonight')
    assert is_protected('He called it "a big obstacle to peace" on Monday')


def test_datelines():
    assert parse_dateline("Baku /05.10.23/Turan: Text")["date"] == "2023-10-05"
    assert parse_dateline("Tbilisi/31.12.2024/ APA: Text")["source"] == "APA"
    assert parse_dateline("Baku /31.02.23/Turan: Text")["date"] == ""  # impossible date
    found = parse_dateline("BAKU, Oct 5 (AP) — Text")
    assert (found["place"], found["source"], found["when"]) == ("Baku", "AP", "Oct 5")
    assert parse_dateline("No dateline here.") == {}
