"""Attribution frames: a reporting verb (the cue) with its speaker, before or after a quote.

    “…,” he said.            “…,” said Sen. Ted Cruz, a Republican from Texas.
    “…,” Smith told reporters on Tuesday.        “…” — John Smith
    Smith said in an interview: “…”              According to Smith, “…”

A cue is the verb with its particle ("pointed out", "shot back", "put it"); the adjuncts that
follow it ("in an interview", "on Tuesday", "told reporters") are part of the frame but not of
the cue, as in the corpora we measure on.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.suggest.lexicon import BELIEF, SPEECH, Lexicon, Verb
from annotator.suggest.mentions import Mention, MentionFinder
from annotator.suggest.quotes import CLASS, DOUBLE, MARK_CHARS
from annotator.suggest.tokens import Tok

PUNCT_END = frozenset({".", "!", "?", ";", "\u2026"})
DASHES = frozenset({"\u2014", "\u2013", "-", "--"})
_TIME_WORDS = frozenset(
    [
        "yesterday",
        "today",
        "tonight",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "morning",
        "afternoon",
        "evening",
        "night",
        "week",
        "month",
        "year",
        "previously",
        "again",
        "also",
        "privately",
        "publicly",
        "flatly",
        "bluntly",
        "simply",
        "repeatedly",
        "once",
        "then",
        "recently",
        "earlier",
        "later",
        "afterward",
        "afterwards",
        "late",
        "early",
        "last",
        "this",
        "next",
        "ago",
        "weekend",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_PREPOSITIONS = frozenset(
    [
        "in",
        "on",
        "at",
        "during",
        "after",
        "before",
        "from",
        "to",
        "with",
        "via",
        "through",
        "by",
        "about",
        "of",
        "over",
        "while",
        "when",
        "as",
    ]
)
# Inside an adjunct phrase these start a clause instead: "on the plan to cut taxes".
_PHRASE_STOPS = frozenset(
    [
        "to",
        "that",
        "and",
        "but",
        "or",
        "who",
        "which",
        "whose",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "would",
        "will",
        "should",
        "could",
        "can",
        "may",
        "might",
        "must",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "not",
    ]
)
_ADJECTIVE_ENDINGS = ("al", "ic", "ive", "ent", "ant", "ist", "ary", "ous", "ian")
_NOT_VERB_BEFORE = frozenset({"the", "a", "an", "to", "needless", "is", "was", "be", "been"})
_WH = frozenset({"whether", "if", "why", "how", "what", "who", "when", "where"})
# Verbs that report only right next to their quote: “…,” he added. / She continued: “…”
WEAK = frozenset(["add", "continue", "begin", "conclude", "read", "go", "put"])


DOUBLE_MARKS = frozenset(m for m in MARK_CHARS if CLASS.get(m) == DOUBLE)


def _reaches(toks: list[Tok], k: int, hi: int) -> bool:
    return all(not toks[x].word for x in range(k, hi))


def _title_case(toks: list[Tok], i: int) -> bool:
    """A headline in title case ("Clinton Says Russians Hacked DNC"): most words around i
    are capitalised, so a capitalised verb there is still a verb."""
    words = [t for t in toks[max(0, i - 5) : i + 6] if t.word and not t.text.isdigit()]
    return len(words) >= 5 and sum(1 for t in words if t.cap) >= 0.75 * len(words)


@dataclass(frozen=True, slots=True)
class Cue:
    first: int  # token indices of the verb (and its particle)
    last: int
    verb: Verb
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Frame:
    cue: Cue
    speaker: Mention | None
    first: int  # token range of the whole frame
    last: int


class Frames:
    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.mentions = MentionFinder(lex)
        self._according: dict[str, list[tuple[str, ...]]] = {}
        for phrase in lex.according:  # by first word: tried at every token
            self._according.setdefault(phrase[0], []).append(phrase)

    def cue_at(self, toks: list[Tok], i: int, *, speech_only: bool = True) -> Cue | None:
        """The reporting verb at token i (with its particle), if it is one."""
        t = toks[i]
        if not t.word:
            return None
        verb = self.lex.verbs.get(t.low)
        if verb is None and "-" in t.low:
            head, _, tail = t.low.partition("-")  # dit-il, a-t-il: verb with its pronoun
            verb = self.lex.verbs.get(head)
        if verb is None or (speech_only and verb.cls != SPEECH):
            return None
        if i > 0 and t.low not in ("said", "told"):
            prev = toks[i - 1].low
            if prev in self.lex.determiners or (
                self.lex.language == "en" and prev in _NOT_VERB_BEFORE
            ):
                return None  # "an added bonus", "needless to say"
        if i > 0 and toks[i - 1].low.endswith(("’s", "'s")) and t.low in self.lex.nominal_heads:
            return None  # "Clinton’s emails": a noun
        name_part = t.cap and i > 0 and self.mentions.is_name_word(toks[i - 1])
        if name_part and not _title_case(toks, i):
            return None  # "the United States": part of a name
        last = i + 1
        particles = self.lex.particles.get(verb.base, frozenset())
        if verb.needs_particle and not (last < len(toks) and toks[last].low in particles):
            return None  # "held rallies", "followed the debate": not reporting
        if last < len(toks) and toks[last].low in particles:
            last += 1
            if (
                verb.base == "go"
                and last + 1 < len(toks)
                and toks[last].low == "to"
                and self.lex.verbs.get(toks[last + 1].low, verb).cls == SPEECH
                and toks[last + 1].low in self.lex.verbs
            ):
                last += 2  # goes on to say
        return Cue(i, last, verb, toks[i].start, toks[last - 1].end)

    def subject_before(self, toks: list[Tok], cue: Cue, lo: int) -> Mention | None:
        """Smith said / he has also said / the senator, a Republican, said."""
        k = cue.first
        while k - 1 >= lo and toks[k - 1].word and toks[k - 1].low in self.lex.between:
            k -= 1
        if k <= lo:
            return None
        if "-" in toks[cue.first].low:  # dit-il
            t = toks[cue.first]
            return Mention(cue.first, cue.first + 1, t.start, t.end, "pronoun", t.text)
        if toks[k - 1].low in ("and", "but") and k - 1 > lo:
            # "He then leaned in and boomed:": the clause's subject opens the sentence
            first = self.mentions.right(toks, lo, k - 1)
            if first is not None and first.last < k - 1 and toks[first.last].word:
                return first
            return None
        return self.mentions.left(toks, k, lo)

    def skip_object(self, toks: list[Tok], k: int, hi: int, verb: Verb) -> int:
        """After "told": the hearer ("reporters", "the Associated Press", "him")."""
        if not verb.takes_object or k >= hi:
            return k
        t = toks[k]
        if t.low in self.lex.complementizers or t.low in _WH or not t.word:
            return k
        if t.low in self.lex.pronouns and t.low in ("him", "her", "them", "us", "me", "you"):
            return k + 1
        m = self.mentions.right(toks, k, hi)
        if m is not None and m.form != "pronoun":
            return m.last
        if t.word and not t.cap and k + 1 <= hi and t.low in self.lex.nominal_heads:
            return k + 1
        return k

    def skip_adjuncts(self, toks: list[Tok], k: int, hi: int, limit: int = 10) -> int:
        """Past time words and short prepositional phrases ("in an interview on Tuesday",
        "Sunday", "to reporters"), at most `limit` tokens; stops at a complementizer,
        punctuation or anything else. Returns k when nothing adjunct-like follows."""
        j = k
        while j < hi and j - k < limit:
            t = toks[j]
            if not t.word or t.low in self.lex.complementizers:
                break
            if t.low in _TIME_WORDS:
                j += 1
                continue
            if t.low in _PREPOSITIONS:
                m = j + 1
                if (
                    m < hi
                    and t.low == "to"
                    and toks[m].word
                    and not toks[m].cap
                    and toks[m].low not in self.lex.determiners
                    and toks[m].low not in self.lex.nominal_heads
                ):
                    break  # "to conduct": an infinitive, not an adjunct
                while (
                    m < hi
                    and toks[m].word
                    and m - j <= 6
                    and toks[m].low not in _PHRASE_STOPS
                    and toks[m].low not in self.lex.complementizers
                ):
                    m += 1
                if m == j + 1:
                    break
                j = m
                continue
            break
        return j

    def frame_after(
        self, toks: list[Tok], k: int, hi: int, *, strict: bool = False
    ) -> Frame | None:
        """A frame starting at token k (just after a closing quotation mark). With `strict`
        (the quote ended its sentence), only adjuncts may follow the verb: “…” Trump said
        on Monday. -- not “…” He touted his victories."""
        j = k
        while j < hi and not toks[j].word and toks[j].text in (",",):
            j += 1
        dash = j < hi and toks[j].text in DASHES
        if dash:
            j += 1
            while j < hi and not toks[j].word and toks[j].text == ",":
                j += 1
        if j >= hi:
            return None
        if dash and self.cue_at(toks, j) is None:
            # “…” — John Smith, at the end of a line: a credit
            speaker = self.mentions.right(toks, j, hi)
            if speaker is not None and speaker.form == "name" and _reaches(toks, speaker.last, hi):
                dash_tok = toks[j - 1]
                cue = Cue(j - 1, j, Verb(dash_tok.text, SPEECH), dash_tok.start, dash_tok.end)
                return Frame(cue, speaker, k, speaker.last)
        acc = self.according_at(toks, j)
        if acc is not None:
            speaker = self.mentions.right(toks, acc.last, hi)
            if speaker is None:
                return None
            last = self._frame_end(toks, speaker.last, hi)
            return None if last is None else Frame(acc, speaker, k, last)
        v = j
        while v < hi and toks[v].word and toks[v].low in self.lex.between and v - j < 2:
            v += 1  # « … », a déclaré le ministre
        cue = self.cue_at(toks, v)
        if cue is None:
            v = j
        if cue is not None and (toks[v].low.endswith("ing") or cue.verb.takes_object):
            return None  # “fantastic,” telling reporters: no speaker after the verb
        if cue is not None:  # inverted: said Smith / said the senator, a Republican
            speaker = self.mentions.right(toks, cue.last, hi)
            if speaker is None:
                return None
            end = self.mentions.appositive_after(toks, speaker.last, hi)
            last = self._frame_end(toks, end, hi, cue.verb, strict=strict)
            return None if last is None else Frame(cue, speaker, k, last)
        # subject first: he said / Smith told reporters / the senator, a Republican, said
        for v in range(j, min(hi, j + 25)):
            t = toks[v]
            if not t.word and t.text in PUNCT_END | {":"} | DOUBLE_MARKS:
                break
            cue = self.cue_at(toks, v)
            if cue is None:
                continue
            speaker = self.subject_before(toks, cue, j)
            if speaker is None:
                if t.low in self.lex.nominal_heads:
                    continue  # "the report said": a noun, not the verb
                break
            if speaker.first != j and not self._lead_modifiers(toks, j, speaker.first):
                break
            last = self._frame_end(toks, cue.last, hi, cue.verb, strict=strict)
            return None if last is None else Frame(cue, speaker, k, last)
        return None

    def _lead_modifiers(self, toks: list[Tok], j: int, first: int) -> bool:
        """ "political scientist Christopher Wlezien": a few lower-case words before the
        mention found still belong to the subject."""
        return 0 < first - j <= 3 and all(
            toks[x].word
            and not toks[x].cap
            and (
                toks[x].low in self.lex.modifiers
                or toks[x].low.endswith(_ADJECTIVE_ENDINGS)
                or "-" in toks[x].low
            )
            for x in range(j, first)
        )

    def _frame_end(
        self, toks: list[Tok], k: int, hi: int, verb: Verb | None = None, strict: bool = False
    ) -> int | None:
        if verb is not None:
            k = self.skip_object(toks, k, hi, verb)
        if strict and k < hi and toks[k].word and self.skip_adjuncts(toks, k, hi) == k:
            return None
        j = k
        while j < hi and toks[j].word and j - k < 14:
            j += 1
        return j

    def according_at(self, toks: list[Tok], j: int) -> Cue | None:
        if j >= len(toks):
            return None
        for phrase in self._according.get(toks[j].low, ()):
            n = len(phrase)
            if j + n <= len(toks) and all(toks[j + x].low == phrase[x] for x in range(1, n)):
                verb = Verb(" ".join(phrase), SPEECH)
                return Cue(j, j + n, verb, toks[j].start, toks[j + n - 1].end)
        return None

    def frame_before(self, toks: list[Tok], k: int, lo: int) -> tuple[Frame, int] | None:
        """A frame ending just before token k (an opening quotation mark), not before lo.

        Returns the frame and the index where the content starts (k, or a complementizer
        such as "that" standing between the frame and the quote). A frame whose speaker is
        the subject of an earlier verb ("she said, adding: “…”") has no speaker mention."""
        j = k
        punct = ""
        if j - 1 >= lo and not toks[j - 1].word and toks[j - 1].text in (",", ":"):
            j -= 1
            punct = toks[j].text
        content_from = k
        if not punct and j - 1 >= lo and toks[j - 1].low in self.lex.complementizers:
            j -= 1
            content_from = j
        # According to X, “…” / As X put it, “…”
        for a in range(max(lo, j - 12), j):
            acc = self.according_at(toks, a)
            if acc is not None:
                speaker = self.mentions.right(toks, acc.last, j)
                if speaker is not None and speaker.last >= j - 1:
                    return Frame(acc, speaker, a, j), content_from
        for v in range(j - 1, max(lo, j - 14) - 1, -1):
            t = toks[v]
            if not t.word and t.text in PUNCT_END | DOUBLE_MARKS:
                return None
            cue = self.cue_at(toks, v)
            if cue is None:
                continue
            if cue.last < j and not self._adjunct_run(toks, cue, j):
                return None
            if cue.verb.base in WEAK and not punct:
                return None  # "would continue “to break barriers”"
            speaker = self.subject_before(toks, cue, lo)
            if speaker is not None:
                return Frame(cue, speaker, speaker.first, j), content_from
            if v == lo:
                # Said Dorothy Poynter, who grew up with Ali, “…”
                speaker = self.mentions.right(toks, cue.last, j)
                if speaker is not None and punct:
                    return Frame(cue, speaker, v, j), content_from
            if punct and v - 1 >= lo and toks[v - 1].text == "," and t.low.endswith("ing"):
                return Frame(cue, None, v, j), content_from  # ..., adding: “…”
            return None
        return None

    def _adjunct_run(self, toks: list[Tok], cue: Cue, j: int) -> bool:
        """Only a hearer and adjuncts stand between the cue and the quote (no clause)."""
        k = self.skip_object(toks, cue.last, j, cue.verb)
        if k >= j:
            return True
        end = self.skip_adjuncts(toks, k, j)
        return end >= j or all(not toks[x].word or toks[x].text == "," for x in range(end, j))

    def cue_any(self, toks: list[Tok], i: int) -> Cue | None:
        """A reporting verb of either class (for "X believes that ...")."""
        cue = self.cue_at(toks, i, speech_only=False)
        if cue is not None and cue.verb.cls == BELIEF:
            return cue
        return self.cue_at(toks, i)
