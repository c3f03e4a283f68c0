"""Speaker mentions next to a reporting verb: names, pronouns and nominal phrases.

No tagger: a name is a run of capitalised words with the titles, lower-case modifiers and
joiners news copy puts around names ("Vermont Sen. Bernie Sanders", "former Secretary of State
Hillary Clinton", "Clinton campaign chairman John Podesta", "the Republican National
Committee"); a nominal is a determiner-led phrase whose head is a speaker noun ("the senator",
"a spokesman for the campaign", "officials"); a pronoun is one of the language's personal
pronouns. Apposition ("Lloyd Grove, the Daily Beast editor, said") is recognised and gives the
speaker a role that later nominals ("the editor") can refer back to.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.suggest.lexicon import FEMALE, FIRST, MALE, NEUTER, PLURAL, Lexicon
from annotator.suggest.tokens import Tok

PERSON, ORGANIZATION = "person", "organization"

# Capitalised at a sentence start, or generic: never part of a name.
FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "but",
        "or",
        "nor",
        "so",
        "yet",
        "for",
        "in",
        "on",
        "at",
        "to",
        "of",
        "by",
        "with",
        "from",
        "as",
        "if",
        "when",
        "while",
        "after",
        "before",
        "because",
        "since",
        "although",
        "though",
        "however",
        "meanwhile",
        "still",
        "also",
        "then",
        "now",
        "here",
        "there",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "their",
        "our",
        "my",
        "your",
        "him",
        "them",
        "us",
        "me",
        "who",
        "whom",
        "which",
        "what",
        "where",
        "why",
        "how",
        "not",
        "no",
        "yes",
        "all",
        "some",
        "many",
        "most",
        "several",
        "both",
        "each",
        "every",
        "any",
        "other",
        "such",
        "one",
        "two",
        "three",
        "four",
        "five",
        "said",
        "says",
        "say",
        "asked",
        "told",
        "according",
        "during",
        "under",
        "over",
        "about",
        "into",
        "through",
        "between",
        "against",
        "among",
        "without",
        "within",
        "thus",
        "indeed",
        "instead",
        "even",
        "just",
        "only",
        "perhaps",
        "maybe",
        "again",
        "mr",
        "mrs",
        "ms",
        "later",
        "earlier",
        "first",
        "last",
        "next",
        "today",
        "yesterday",
        "tomorrow",
        "tonight",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "sources",
        "officials",
        "critics",
    ]
)
ORG_WORDS = frozenset(
    [
        "committee",
        "party",
        "house",
        "department",
        "times",
        "news",
        "post",
        "network",
        "campaign",
        "association",
        "council",
        "institute",
        "university",
        "foundation",
        "agency",
        "ministry",
        "office",
        "court",
        "senate",
        "congress",
        "inc.",
        "corp.",
        "group",
        "center",
        "centre",
        "bureau",
        "commission",
        "service",
        "administration",
        "journal",
        "press",
        "reuters",
        "cnn",
        "nbc",
        "cbs",
        "abc",
        "fox",
        "msnbc",
        "bbc",
        "npr",
        "pac",
        "union",
        "federation",
        "league",
        "club",
        "company",
        "corporation",
        "bank",
        "fund",
        "board",
        "government",
        "police",
        "army",
        "navy",
        "command",
        "coalition",
        "alliance",
        "caucus",
        "organization",
        "organisation",
        "project",
        "network",
        "magazine",
        "daily",
        "tribune",
        "herald",
        "gazette",
        "telegraph",
        "guardian",
        "review",
    ]
)
_PREPOSITION_LINKS = frozenset({"for", "of", "at", "with", "from", "to"})
_APPOSITION_STARTS = frozenset({"who", "whose", "which"})
_ARTICLES = frozenset({"the", "a", "an"})
_INSERTION_STARTS = frozenset(
    [
        "in",
        "on",
        "at",
        "during",
        "after",
        "before",
        "from",
        "with",
        "via",
        "through",
        "by",
        "about",
        "over",
        "while",
        "when",
    ]
)


@dataclass(frozen=True, slots=True)
class Mention:
    first: int  # token index
    last: int  # token index + 1
    start: int  # offsets
    end: int
    form: str  # "name", "pronoun", "nominal"
    name: str  # canonical surface name: "Bernie Sanders", "the senator" -> "senator"
    role: str = ""  # a title or appositive role: "senator", "editor"
    gender: str | None = None
    etype: str | None = None  # PERSON / ORGANIZATION when it can be told
    fit: str | None = None  # for pronouns: MALE, FEMALE, PLURAL, NEUTER, FIRST
    name_start: int = -1  # offsets of the name itself inside a longer mention
    name_end: int = -1


class MentionFinder:
    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    # -- token classes -------------------------------------------------------------------
    def is_title(self, t: Tok) -> bool:
        return t.low in self.lex.titles

    def is_name_word(self, t: Tok) -> bool:
        if not t.cap or t.low in self.lex.pronouns or t.low in self.lex.titles:
            return False
        bare = t.low.rstrip(".")
        if bare in FUNCTION_WORDS or t.low in self.lex.verbs:
            return False
        return not (t.low in self.lex.determiners or t.low in self.lex.complementizers)

    def is_nominal(self, t: Tok) -> bool:
        return t.word and not t.cap and t.low in self.lex.nominal_heads

    def _chain_word(self, t: Tok) -> bool:
        """May stand inside a name's left context: Sen., former, presidential, campaign."""
        if self.is_name_word(t) or self.is_title(t):
            return True
        return t.word and not t.cap and (t.low in self.lex.modifiers or self.is_nominal(t))

    # -- mentions ending just before token k (subject of a following verb) ---------------
    def left(self, toks: list[Tok], k: int, lo: int) -> Mention | None:
        """The speaker phrase ending at token k-1 (not before token lo)."""
        if k - 1 < lo:
            return None
        t = toks[k - 1]
        if t.low in ("who", "which") and k - 2 > lo and toks[k - 2].text == ",":
            return self.left(toks, k - 2, lo)  # "Mike Lee, who declared ...": the antecedent
        if t.word and t.low in self.lex.subject_pronouns:
            return self._pronoun(toks, k - 1)
        if t.text in ")" and k - 2 >= lo:
            # Sen. Ted Cruz (R-Texas) said: skip the bracket
            j = k - 2
            while j > lo and toks[j].text != "(":
                j -= 1
            if toks[j].text == "(" and k - 1 - j <= 8:
                inner = self.left(toks, j, lo)
                if inner is not None:
                    return _extend(inner, toks, inner.first, k)
            return None
        if t.text == "," and k - 2 >= lo:
            return self._before_apposition(toks, k - 1, lo)
        if self.is_name_word(t) or (t.word and t.low.endswith(("’s", "'s")) and t.cap):
            return self._name_left(toks, k, lo)
        if self.is_nominal(t):
            return self._nominal_left(toks, k, lo)
        if t.word and not t.cap and t.low not in FUNCTION_WORDS and t.low not in self.lex.verbs:
            # "the forecaster said": any noun led by an article
            for j in range(k - 2, max(lo, k - 4) - 1, -1):
                if toks[j].low in _ARTICLES or toks[j].low in self.lex.determiners:
                    words = toks[j + 1 : k]
                    if all(w.word and not w.cap and w.low not in FUNCTION_WORDS for w in words):
                        name = " ".join(w.text for w in words)
                        return Mention(j, k, toks[j].start, t.end, "nominal", name, role=t.low)
                    break
                if not toks[j].word:
                    break
        return None

    def _pronoun(self, toks: list[Tok], i: int) -> Mention:
        t = toks[i]
        fit = self.lex.pronouns[t.low]
        return Mention(i, i + 1, t.start, t.end, "pronoun", t.text, fit=fit)

    def _name_left(self, toks: list[Tok], k: int, lo: int) -> Mention | None:
        j = k - 1
        while j - 1 >= lo:
            p = toks[j - 1]
            if (
                self._chain_word(p)
                or (
                    p.word
                    and p.low in self.lex.name_joiners
                    and j - 2 >= lo
                    and self.is_name_word(toks[j - 2])
                )
                or p.text in ("-", "&")
                and j - 2 >= lo
                and self.is_name_word(toks[j - 2])
            ):
                j -= 1
            else:
                break
        while j < k and toks[j].word and not toks[j].cap and toks[j].low in self.lex.name_joiners:
            j += 1
        if j >= k:
            return None
        # "a spokesman for Clinton": the nominal before the preposition is the speaker
        if j - 2 >= lo and toks[j - 1].low in _PREPOSITION_LINKS and self.is_nominal(toks[j - 2]):
            nominal = self._nominal_left(toks, j - 1, lo)
            if nominal is not None:
                return _extend(nominal, toks, nominal.first, k)
        if j - 1 >= lo and toks[j - 1].low in ("the",) and toks[j - 1].word:
            j -= 1
        return self._make_name(toks, j, k)

    def _nominal_left(self, toks: list[Tok], k: int, lo: int) -> Mention | None:
        head = toks[k - 1]
        j = k - 1
        steps = 0
        while j - 1 >= lo and steps < 4:
            p = toks[j - 1]
            if p.word and (p.low in self.lex.determiners):
                j -= 1
                break
            if p.word and (
                p.low in self.lex.modifiers
                or self.is_nominal(p)
                or self.is_name_word(p)
                or p.low.endswith(("’s", "'s"))
                or (not p.cap and p.low not in FUNCTION_WORDS and p.low not in self.lex.verbs)
            ):
                j -= 1
                steps += 1
                continue
            break
        # keep only determiner-led phrases, or bare plurals ("officials said")
        first = toks[j]
        if (
            first.low not in self.lex.determiners
            and not head.low.endswith("s")
            and not any(self.is_name_word(toks[x]) for x in range(j, k - 1))
        ):
            return None
        name = " ".join(t.text for t in toks[j:k] if t.low not in self.lex.determiners)
        return Mention(
            j, k, toks[j].start, toks[k - 1].end, "nominal", name, role=head.low, etype=None
        )

    def _before_apposition(self, toks: list[Tok], comma: int, lo: int) -> Mention | None:
        """`NAME, APPOSITIVE,` before the verb: the speaker is NAME, its role the appositive."""
        j = comma - 1
        while j > lo and toks[j].text != "," and comma - j <= 25:
            if toks[j].text in ".;:!?" or toks[j].text in ("“", "”", '"'):
                return None
            j -= 1
        if toks[j].text != "," or j <= lo:
            return None
        appositive = toks[j + 1 : comma]
        if not appositive:
            return None
        first = appositive[0]
        if first.low in _INSERTION_STARTS:
            # "Smith, in a statement released Thursday, said": an inserted adjunct
            head = self.left(toks, j, lo)
            return head if head is not None and head.form != "pronoun" else None
        if first.low in self.lex.verbs and not first.low.endswith("ing"):
            return None  # "the plan, said to cost": a clause, not an appositive
        head = self.left(toks, j, lo)
        if head is None or head.form == "pronoun":
            return None
        role = next((t.low for t in appositive if self.is_nominal(t) or self.is_title(t)), "")
        return Mention(
            head.first,
            comma,
            head.start,
            toks[comma - 1].end,
            head.form,
            head.name,
            role=head.role or role,
            gender=head.gender,
            etype=head.etype or (PERSON if first.low in ("who", "whose") else None),
            name_start=head.start,
            name_end=head.end,
        )

    # -- mentions starting at token k (subject after an inverted verb: "said Smith") -------
    def right(self, toks: list[Tok], k: int, hi: int) -> Mention | None:
        if k >= hi:
            return None
        t = toks[k]
        if t.word and t.low in self.lex.subject_pronouns:
            return self._pronoun(toks, k)
        j = k
        if toks[j].low in self.lex.determiners:
            j += 1
        while j < hi and (
            self._chain_word(toks[j])
            or (
                toks[j].low in self.lex.name_joiners
                and j + 1 < hi
                and self.is_name_word(toks[j + 1])
                and j > k
            )
        ):
            j += 1
        if j == k:
            return None
        # "a spokesman for the campaign": one prepositional complement
        if j + 1 < hi and toks[j].low in _PREPOSITION_LINKS and self.is_nominal(toks[j - 1]):
            m = j + 1
            while m < hi and (self._chain_word(toks[m]) or toks[m].low in self.lex.determiners):
                m += 1
            if m > j + 1:
                j = m
        while j > k and not toks[j - 1].word:
            j -= 1
        if j == k:
            return None
        if all(toks[x].low in self.lex.determiners for x in range(k, j)):
            return None
        last = toks[j - 1]
        if self.is_name_word(last) or (
            self.is_title(last) and any(self.is_name_word(toks[x]) for x in range(k, j))
        ):
            return self._make_name(toks, k, j)
        heads = [x for x in range(k, j) if self.is_nominal(toks[x]) or self.is_title(toks[x])]
        if heads:
            name = " ".join(t.text for t in toks[k:j] if t.low not in self.lex.determiners)
            role = self.lex.titles.get(toks[heads[0]].low) or toks[heads[0]].low
            return Mention(k, j, toks[k].start, last.end, "nominal", name, role=role)
        return None

    def appositive_after(self, toks: list[Tok], k: int, hi: int) -> int:
        """After `said Smith` at token k: the end of `, a Republican from Texas` (or k)."""
        if k >= hi or toks[k].text != ",":
            return k
        j = k + 1
        if j >= hi:
            return k
        first = toks[j]
        if not (
            first.low in self.lex.determiners
            or first.low in _APPOSITION_STARTS
            or first.low in self.lex.modifiers
            or self.is_nominal(first)
            or self.is_title(first)
        ):
            return k
        while j < hi and toks[j].text not in (",", ".", ";", ":", "!", "?") and j - k < 25:
            if toks[j].text in ("“", "”", '"'):
                return k
            j += 1
        return j

    # -- names ---------------------------------------------------------------------------
    def _make_name(self, toks: list[Tok], j: int, k: int) -> Mention | None:
        words = toks[j:k]
        # the name proper: the last run of capitalised non-title words
        end = len(words)
        while end > 0 and not self.is_name_word(words[end - 1]):
            end -= 1
        if end == 0:
            return None
        start = end
        while start > 0 and (
            self.is_name_word(words[start - 1])
            or (
                words[start - 1].low in self.lex.name_joiners
                and start - 2 >= 0
                and self.is_name_word(words[start - 2])
            )
            or words[start - 1].text in ("-", "&")
        ):
            start -= 1
        proper = words[start:end]
        name = _join(proper)
        name = name.removesuffix("’s").removesuffix("'s")
        role = ""
        gender = None
        etype = None
        for w in words[:start]:
            if self.is_title(w):
                role = role or self.lex.titles[w.low]
                gender = gender or self.lex.gendered_titles.get(w.low)
                etype = PERSON
        if any(w.low in ORG_WORDS for w in proper) or (
            len(proper) == 1 and proper[0].text.isupper() and len(proper[0].text) > 1
        ):
            etype = etype or ORGANIZATION
        first_name = proper[0].low
        if first_name in self.lex.first_names and len(proper) > 1:
            gender = gender or self.lex.first_names[first_name]
            etype = etype or PERSON
        return Mention(
            j,
            k,
            toks[j].start,
            toks[k - 1].end,
            "name",
            name,
            role=role,
            gender=gender,
            etype=etype,
            name_start=proper[0].start,
            name_end=proper[-1].end,
        )


def _join(words: list[Tok]) -> str:
    out = ""
    prev: Tok | None = None
    for w in words:
        if prev is not None and w.start > prev.end:
            out += " "
        out += w.text
        prev = w
    return out


def _extend(m: Mention, toks: list[Tok], first: int, last: int) -> Mention:
    return Mention(
        first,
        last,
        toks[first].start,
        toks[last - 1].end,
        m.form,
        m.name,
        role=m.role,
        gender=m.gender,
        etype=m.etype,
        fit=m.fit,
        name_start=m.name_start,
        name_end=m.name_end,
    )


PRONOUN_FITS = (MALE, FEMALE, PLURAL, NEUTER, FIRST)
