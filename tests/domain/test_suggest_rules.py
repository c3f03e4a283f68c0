"""The rule engine on hand-written sentences, one phenomenon each, and its invariants."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model import ActorRecord, AttributionRecord, Kind, Span
from annotator.suggest.model import Suggestion, SuggestionEngine, SuggestRequest
from annotator.suggest.rules import RuleEngine


def suggest(text: str, language: str = "en", **kw) -> list[Suggestion]:
    return RuleEngine().suggest(SuggestRequest(text, language, **kw))


def only(text: str, language: str = "en", **kw) -> Suggestion:
    found = suggest(text, language, **kw)
    assert len(found) == 1, [(s.rule, s.content) for s in found]
    return found[0]


def spans(text: str, s: Suggestion) -> dict[str, object]:
    return {
        "content": [text[x.start : x.end] for x in s.content],
        "cue": text[s.cue.start : s.cue.end] if s.cue else None,
        "mention": text[s.mention.start : s.mention.end] if s.mention else None,
        "speaker": s.speaker_name,
    }


def test_the_engine_implements_the_interface() -> None:
    engine = RuleEngine()
    assert isinstance(engine, SuggestionEngine)
    assert engine.name == "rules" and engine.version


def test_direct_quote_with_the_frame_after() -> None:
    text = "“We will not give up,” Donald Trump said on Tuesday."
    s = only(text)
    assert spans(text, s) == {
        "content": ["“We will not give up,”"],
        "cue": "said",
        "mention": "Donald Trump",
        "speaker": "Donald Trump",
    }
    assert s.kind == Kind.DIRECT and s.rule == "direct.after" and s.confidence >= 0.8


def test_inverted_frame_with_title_and_apposition() -> None:
    text = "“It is over,” said Sen. Ted Cruz, a Republican from Texas."
    s = only(text)
    assert spans(text, s)["speaker"] == "Ted Cruz"
    assert spans(text, s)["mention"] == "Sen. Ted Cruz"


def test_direct_quote_with_the_frame_before() -> None:
    text = "In a statement, the mayor told reporters: “The budget is balanced.”"
    s = only(text)
    assert spans(text, s)["content"] == ["“The budget is balanced.”"]
    assert spans(text, s)["cue"] == "told"
    assert spans(text, s)["mention"] == "the mayor"
    assert s.rule == "direct.before"


def test_adjuncts_between_verb_and_quote() -> None:
    text = "Smith said in an interview on Sunday, “We are ready.”"
    assert spans(text, only(text))["cue"] == "said"


def test_particle_verb_is_one_cue() -> None:
    text = "“Nobody asked for this,” Clinton shot back."
    assert spans(text, only(text))["cue"] == "shot back"


def test_continuation_across_the_frame_joins_one_attribution() -> None:
    text = "“We will win,” she said. “Nobody can stop us.”"
    s = only(text)
    assert spans(text, s)["content"] == ["“We will win,”", "“Nobody can stop us.”"]
    assert s.rule == "direct.continued"
    text = "“We will win,” she said, “and nobody can stop us.”"
    assert len(only(text).content) == 2


def test_colon_paragraph_before_the_quote() -> None:
    text = "Cruz continued:\n\n“You look at the questions and you see the bias.”"
    s = only(text)
    assert s.rule == "direct.colon" and spans(text, s)["mention"] == "Cruz"


def test_dash_introduced_speech_is_not_needed_for_a_named_colon() -> None:
    text = "Ted Cruz: ‘Physically Assaulting A Reporter Is A Fireable Offense.’"
    s = only(text)
    assert s.rule == "direct.named" and s.speaker_name == "Ted Cruz"


def test_pronoun_refers_to_the_nearest_fitting_speaker() -> None:
    text = (
        "“Taxes will go down,” Hillary Clinton said. "
        "“The plan is ready,” Bernie Sanders said on Monday.\n"
        "“We start tomorrow,” she said."
    )
    found = suggest(text)
    assert [s.speaker_name for s in found] == [
        "Hillary Clinton",
        "Bernie Sanders",
        "Hillary Clinton",
    ]
    assert found[2].resolved_by == "pronoun"
    assert found[2].antecedent is not None
    assert text[found[2].antecedent.start : found[2].antecedent.end] == "Hillary Clinton"


def test_he_skips_a_known_woman() -> None:
    text = (
        "“Prices are up,” Mr. Smith said. “Wages are not,” Ms. Jones said.\n"
        "“Nothing will change,” he said."
    )
    assert suggest(text)[-1].speaker_name == "Smith"


def test_short_name_joins_the_full_one() -> None:
    text = "“We are ready,” Donald Trump said.\n“We are not,” Trump said later."
    assert [s.speaker_name for s in suggest(text)] == ["Donald Trump", "Donald Trump"]


def test_nominal_refers_back_to_the_role() -> None:
    text = "“The bill is dead,” Sen. Mitch McConnell said.\n“We will try again,” the senator added."
    found = suggest(text)
    assert found[1].speaker_name == "Mitch McConnell"
    assert found[1].resolved_by == "nominal"


def test_apposition_before_the_verb() -> None:
    text = "Lloyd Grove, the Daily Beast editor, said the profile was fair and accurate."
    s = only(text)
    assert s.speaker_name == "Lloyd Grove"
    assert spans(text, s)["content"] == ["the profile was fair and accurate"]
    assert s.kind == Kind.INDIRECT


def test_according_to_before_and_after() -> None:
    text = "According to the ministry, the talks will resume next week."
    s = only(text)
    assert spans(text, s) == {
        "content": ["the talks will resume next week"],
        "cue": "According to",
        "mention": "the ministry",
        "speaker": "ministry",
    }
    text = "The talks will resume next week, according to Iranian officials."
    s = only(text)
    assert spans(text, s)["content"] == ["The talks will resume next week"]
    assert s.rule == "reported.according"


def test_indirect_speech_with_that() -> None:
    text = "The governor told reporters on Friday that the state would appeal the ruling."
    s = only(text)
    assert spans(text, s)["content"] == ["that the state would appeal the ruling"]
    assert spans(text, s)["cue"] == "told"
    assert s.kind == Kind.INDIRECT and s.rule == "reported.that"


def test_indirect_speech_after_the_clause() -> None:
    text = "The economy is growing faster than expected, the minister said."
    s = only(text)
    assert spans(text, s)["content"] == ["The economy is growing faster than expected"]
    assert s.rule == "reported.after"


def test_mixed_quote_inside_reported_speech() -> None:
    text = "Trump said the South has “treated me so well” over the years."
    s = only(text)
    assert s.kind == Kind.MIXED
    assert spans(text, s)["content"] == ["the South has “treated me so well” over the years"]


def test_participle_after_a_comma_is_a_second_attribution() -> None:
    text = "The senator criticized the plan, adding that it would cost billions."
    found = suggest(text)
    assert any(spans(text, s)["content"] == ["that it would cost billions"] for s in found)


def test_scare_quotes_and_titles_are_not_proposed_at_the_default_floor() -> None:
    text = "He was a guest on ABC’s “This Week” with his “gifted hands” on show."
    assert [s for s in suggest(text) if s.confidence >= 0.5] == []


def test_other_languages() -> None:
    fr = "« Nous ne céderons pas », a déclaré le ministre."
    s = only(fr, "fr")
    assert spans(fr, s)["cue"] == "déclaré"
    de = "„Wir geben nicht auf“, sagte die Ministerin."
    assert spans(de, only(de, "de"))["cue"] == "sagte"
    es = "Según el ministro, las negociaciones seguirán la próxima semana."
    assert spans(es, only(es, "es"))["cue"] == "Según"
    pl = "„Nie poddamy się” – powiedział minister."
    assert spans(pl, only(pl, "pl"))["cue"] == "powiedział"
    ru = "«Мы не сдадимся», — заявил министр."
    assert spans(ru, only(ru, "ru"))["cue"] == "заявил"


def test_speakers_go_through_the_registry() -> None:
    actors = [
        ActorRecord("a1", "p", "Ali Akbar Ahmadian", aliases=("Ahmadiyyan",)),
        ActorRecord("a2", "p", "Hossein Amir-Abdollahian"),
    ]
    text = "“The border must not change,” Ahmadiyyan said.\n“We agree,” Amir-Abdollahian said."
    found = suggest(text, actors=actors)
    assert [(s.speaker_id, s.speaker_name) for s in found] == [
        ("a1", "Ali Akbar Ahmadian"),
        ("a2", "Hossein Amir-Abdollahian"),
    ]
    assert found[0].resolved_by == "registry"
    text = "“The border must not change,” Ali Akbar Ahmadiyan said."  # a spelling variant
    s = only(text, actors=actors)
    assert s.speaker_id == "a1" and s.resolved_by == "fuzzy"


def test_existing_attributions_are_not_proposed_again_and_lend_their_speaker() -> None:
    text = "“We will win,” Ahmadian said. “Nobody can stop us,” he added on Friday."
    actors = [ActorRecord("a1", "p", "Ali Akbar Ahmadian")]
    existing = [AttributionRecord("r1", "d", "u", (Span(0, 14),), speaker_id="a1")]
    found = suggest(text, actors=actors, existing=existing)
    assert all(not s.content[0].overlaps(Span(0, 14)) for s in found)
    assert found[-1].speaker_id == "a1"


def test_every_suggestion_names_its_rule_and_is_deterministic() -> None:
    text = (
        "“We will win,” Smith said. According to the report, prices rose. "
        "Jones said that the plan failed."
    )
    first, second = suggest(text), suggest(text)
    assert first == second
    assert all(s.rule and s.engine == "rules" and 0 <= s.confidence <= 1 for s in first)


def test_suggestions_round_trip_through_their_cache_form() -> None:
    text = "“We will win,” Donald Trump said. “Nobody can stop us.”"
    for s in suggest(text):
        assert Suggestion.from_dict(s.to_dict()) == s


WORDS = st.sampled_from(
    ["said", "he", "she", "Smith", "the", "minister", "that", "according", "to", "told", "we"]
    + ["win", ",", ".", "“", "”", '"', "‘", "’", "«", "»", "\n", "𝐀𝐁", "é", "\u0301", "\u200f"]
    + ["Iran’s", "«Non»", "„Ja“", "—", "Mr.", "U.S.", "\u00a0"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_offsets_are_valid_on_any_text(text: str) -> None:
    for s in suggest(text, ""):
        for span in (*s.content, s.cue, s.mention, s.antecedent):
            if span is not None:
                assert 0 <= span.start < span.end <= len(text)
        assert list(s.content) == sorted(s.content)
        assert text[s.content[0].start].strip() and text[s.content[-1].end - 1].strip()


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=5, max_size=60).map(" ".join), st.data())
def test_suggestions_never_overlap_an_existing_attribution(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    existing = [AttributionRecord("r", "d", "u", (Span(start, end),))]
    for s in suggest(text, "", existing=existing):
        assert not any(c.overlaps(Span(start, end)) for c in s.content)


def test_dash_introduced_speech() -> None:
    ru = "— Мы не сдадимся, — заявил министр."
    s = only(ru, "ru")
    assert spans(ru, s)["content"] == ["Мы не сдадимся"]
    assert spans(ru, s)["cue"] == "заявил" and s.kind == Kind.DIRECT and s.rule == "direct.dash"
    es = "— No nos rendiremos — dijo el ministro."
    assert spans(es, only(es, "es"))["content"] == ["No nos rendiremos"]


def test_dash_credit_after_a_quote() -> None:
    text = "“The fight is not over.” — Bernie Sanders"
    s = only(text)
    assert s.speaker_name == "Bernie Sanders" and spans(text, s)["cue"] == "—"
