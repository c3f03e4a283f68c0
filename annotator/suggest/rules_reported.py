"""Rules for reported speech (indirect, or mixed when the clause holds a quotation).

Per sentence, outside quotation marks:

* `reported.that`        Smith said (on Tuesday) that CLAUSE.   He told reporters that CLAUSE.
* `reported.clause`      Smith said CLAUSE.   (no "that"; the clause starts right after the verb)
* `reported.to`          Trump vowed to “make America great again.”
* `reported.belief`      Many voters believe that CLAUSE.   (thinking verbs only with "that")
* `reported.after`       CLAUSE, Smith said.   CLAUSE, said Smith, a spokesman.
* `reported.parenthetical` CLAUSE, Smith said, CLAUSE.   (two segments)
* `reported.according`   According to X, CLAUSE.   CLAUSE, according to X.
* `reported.participle`  ..., adding that CLAUSE.   (same speaker as the sentence's frame)

The clause ends with the sentence, or before a trailing frame (", he said", ", according to",
", adding that").
"""

from __future__ import annotations

from annotator.suggest.draft import Doc, Draft
from annotator.suggest.frames import PUNCT_END, Cue, Frames
from annotator.suggest.lexicon import BELIEF
from annotator.suggest.lexicon import words as _words

# Share of each rule's suggestions that matched a gold quote on the development part of PolNeAR
# (reported clauses with a quotation in them are kept far more often: see MIXED_BONUS).
SCORES = {
    "reported.that": 0.9,
    "reported.clause": 0.68,
    "reported.to": 0.88,
    "reported.belief": 0.85,
    "reported.after": 0.72,
    "reported.parenthetical": 0.85,
    "reported.according": 0.9,
    "reported.participle": 0.78,
}
MIXED_BONUS = 0.12
_TO_VERBS = frozenset(
    [
        "vow",
        "promise",
        "pledge",
        "threaten",
        "urge",
        "ask",
        "call",
        "swear",
        "plan",
        "refuse",
        "decline",
        "demand",
        "offer",
    ]
)
_MIN_WORDS = 3
_ADVERBIAL_STARTS = frozenset(
    _words(
        """
        when while after before as if because although though since once until unless whenever
        during in on at despite
        """
    )
)
_PREPOSITION_OBJECTS = frozenset(["of", "about", "against"])
_TIME_ONLY = frozenset(
    [
        "on",
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
        "last",
        "this",
        "earlier",
        "later",
        "recently",
        "again",
        "also",
    ]
)
# called the plan “a disaster”: the clause is the object and what it is called
_NAMING = frozenset(["call", "describe", "label", "dub", "brand", "term", "characterize"])


def _no_verb(doc: Doc, frames: Frames, a: int, b: int) -> bool:
    """No reporting verb and no punctuation between tokens a and b (a hearer, an adjunct)."""
    return all(t.word and t.low not in doc.lex.verbs for t in doc.toks[a:b])


def reported_drafts(doc: Doc, frames: Frames) -> list[Draft]:
    drafts: list[Draft] = []
    for a, b in doc.sentences:
        drafts.extend(_sentence(doc, frames, a, b))
    return drafts


def _outside_quotes(doc: Doc, i: int) -> bool:
    return not doc.quotes.inside(doc.toks[i].start)


def _clause_end(doc: Doc, frames: Frames, k: int, b: int) -> tuple[int, int | None]:
    """Where a clause starting at token k ends (exclusive), and the token of a trailing
    participle (", adding that ...") if that is what ends it.

    The clause stops before a trailing frame (", he said", ", according to X"), a participle
    after a comma (", adding that", ", contrasting herself"), a contrast (", but", "— but"),
    a coordinated reporting verb ("but insists"), or a semicolon."""
    toks = doc.toks
    j = k
    while j < b:
        t = toks[j]
        if not _outside_quotes(doc, j):
            j += 1
            continue
        if t.text == ";" and j - k >= _MIN_WORDS:
            break
        if t.text in (",", "\u2014", "\u2013", "--") and j + 1 < b and j - k >= 2:
            nxt = j + 1
            if frames.according_at(toks, nxt) is not None:
                return j, None
            cue = frames.cue_at(toks, nxt)
            if toks[nxt].low.endswith("ing") and toks[nxt].word and not toks[nxt].cap:
                return j, (nxt if cue is not None else None)
            if toks[nxt].low in ("but", "while", "although", "though", "whereas"):
                after = toks[nxt + 1] if nxt + 1 < b else None
                if after is None or doc.quotes.region_at(after.start) is None:
                    return j, None
            frame = frames.frame_after(toks, nxt, b)
            if frame is not None and _reaches_end(doc, frame.last, b):
                return j, None
        if t.low in ("but", "and") and j > k and j + 1 < b:
            if frames.cue_any(toks, j + 1) is not None:
                return j, None  # "..., but insists that ...": a second attribution
            if t.low == "but" and toks[j + 1].low in ("did", "does", "do", "has", "have", "had"):
                return j, None
        j += 1
    while j > k and not toks[j - 1].word and toks[j - 1].text in PUNCT_END | {",", ":"}:
        if doc.quotes.region_at(toks[j - 1].start) is not None:
            break  # the closing punctuation of a quotation belongs to it
        j -= 1
    return j, None


def _reaches_end(doc: Doc, k: int, b: int) -> bool:
    return all(not doc.toks[x].word for x in range(k, b))


def _span(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Offsets of tokens [first, last), widened to a quotation cut in half at either end."""
    start, end = doc.toks[first].start, doc.toks[last - 1].end
    region = doc.quotes.region_at(end - 1)
    if region is not None and region.end > end and region.start >= start:
        end = region.end
    return start, end


def _sentence(doc: Doc, frames: Frames, a: int, b: int) -> list[Draft]:
    toks = doc.toks
    out: list[Draft] = []
    taken_until = a
    last_speaker = None
    for i in range(a, b):
        if i < taken_until or not _outside_quotes(doc, i):
            continue
        acc = frames.according_at(toks, i)
        if acc is not None:
            d = _according(doc, frames, acc, a, b)
            if d is not None:
                out.append(d)
                taken_until = b
            continue
        cue = frames.cue_any(toks, i)
        if cue is None:
            continue
        speaker = frames.subject_before(toks, cue, a)
        follows = None
        rule_override = ""
        if _coordinated(doc, cue.first, a) and last_speaker is not None:
            speaker = last_speaker  # "... and said the administration should ..."
        if speaker is None:
            if not _participle_here(toks, cue.first, a):
                continue
            # "The businessman began ..., saying that ...": the sentence's subject speaks
            speaker = frames.mentions.right(toks, a, cue.first)
            follows = out[-1] if out else None
            if speaker is None and follows is None:
                continue
            rule_override = "reported.participle"
        if speaker is not None:
            last_speaker = speaker
        start, rule = _complement(doc, frames, cue, b)
        if start is None:
            continue
        rule = rule_override or rule
        end, participle = _clause_end(doc, frames, start, b)
        if sum(1 for t in toks[start:end] if t.word) < _MIN_WORDS:
            if participle is not None and speaker is not None:
                # "The senator criticized the plan, adding that ...": the participle stands
                carrier = Draft([(0, 1)], rule, 0.0, mention=speaker)
                p = _participle(doc, frames, participle, b, carrier)
                if p is not None:
                    p.mention, p.follows = speaker, None
                    out.append(p)
                    taken_until = b
            continue
        d = Draft(
            [_span(doc, start, end)],
            rule,
            SCORES[rule],
            cue=(cue.start, cue.end),
            mention=speaker,
            follows=follows if speaker is None else None,
        )
        out.append(d)
        taken_until = end
        if participle is not None:
            p = _participle(doc, frames, participle, b, d)
            if p is not None:
                out.append(p)
                taken_until = b
    if not out:
        d = _after(doc, frames, a, b)
        if d is not None:
            out.append(d)
    return out


def _coordinated(doc: Doc, i: int, a: int) -> bool:
    """The verb at i follows "and" / "but" (adverbs aside): it shares the earlier subject."""
    k = i
    while k - 1 > a and doc.toks[k - 1].low in doc.lex.between:
        k -= 1
    return k - 1 > a and doc.toks[k - 1].low in ("and", "but")


def _participle_here(toks: list, i: int, a: int) -> bool:
    """`, saying that ...` / `before insisting ...`: a participle whose subject is the
    sentence's."""
    if not toks[i].low.endswith("ing") or i - 1 < a:
        return False
    return toks[i - 1].text == "," or toks[i - 1].low in ("before", "after", "while", "by")


def _complement(doc: Doc, frames: Frames, cue: Cue, b: int) -> tuple[int | None, str]:
    """Where the reported clause starts after a cue, and the rule that says so."""
    toks = doc.toks
    naming = cue.verb.base in _NAMING
    k = cue.last if naming else frames.skip_object(toks, cue.last, b, cue.verb)
    comp = None
    reach = 10 if cue.verb.takes_object else 14
    for j in range(k, min(b, k + reach)):
        t = toks[j]
        if t.low in doc.lex.complementizers:
            comp = j
            break
        if not t.word and t.text not in (",",) and doc.quotes.region_at(t.start) is None:
            break
        if not t.word and doc.quotes.region_at(t.start) is not None:
            break
    if comp is not None and (
        comp == k
        or frames.skip_adjuncts(toks, k, comp, limit=14) >= comp
        or (cue.verb.takes_object and not naming and _no_verb(doc, frames, k, comp))
    ):
        return comp, ("reported.belief" if cue.verb.cls == BELIEF else "reported.that")
    if cue.verb.cls == BELIEF or k >= b:
        return None, ""
    t = toks[k]
    if t.low == "to" and cue.verb.base in _TO_VERBS:
        return k, "reported.to"
    if not t.word:
        region = doc.quotes.region_at(t.start)
        if region is not None and region.start == t.start and _words_follow(doc, region.end, b):
            return k, "reported.clause"  # asked them “prayerfully consider” the future
        return None, ""
    if t.low in _PREPOSITION_OBJECTS and k + 1 < b:
        # warned of a “ferocious” battle: with a quotation only
        end, _ = _clause_end(doc, frames, k + 1, b)
        if any(doc.quotes.region_at(x.start) for x in toks[k + 1 : end]):
            return k + 1, "reported.clause"
        return None, ""
    if t.low in doc.lex.complementizers or t.low in ("to", "for", "by", "about", "of", "as"):
        return None, ""
    if naming:
        # called the plan “a disaster”: only with a quotation in the clause
        end, _ = _clause_end(doc, frames, k, b)
        if not any(doc.quotes.region_at(x.start) for x in toks[k:end]):
            return None, ""
        return k, "reported.clause"
    if not cue.verb.bare_clause:
        # "charged his campaign for rent": without "that", only a quotation tells speech
        end, _ = _clause_end(doc, frames, k, b)
        if not any(doc.quotes.region_at(x.start) for x in toks[k:end]):
            return None, ""
    adj = frames.skip_adjuncts(toks, k, b, limit=6)
    if adj > k:
        # "said Thursday his biggest worry is ..." -- time words, then the clause
        timeish = all(x.low in _TIME_ONLY for x in toks[k:adj])
        if timeish and adj < b and toks[adj].word and toks[adj].low not in _PREPOSITION_OBJECTS:
            return adj, "reported.clause"
        return None, ""  # "said on Tuesday." -- adjuncts, then no clause
    return k, "reported.clause"


def _words_follow(doc: Doc, offset: int, b: int) -> bool:
    """A word comes right after `offset` in the sentence (not punctuation, not and/but)."""
    i = doc.tok_at_or_after(offset)
    return i < b and doc.toks[i].word and doc.toks[i].low not in ("and", "but", "or")


def _according(doc: Doc, frames: Frames, acc: Cue, a: int, b: int) -> Draft | None:
    toks = doc.toks
    speaker = frames.mentions.right(toks, acc.last, b)
    if speaker is None:
        return None
    cue = (acc.start, acc.end)
    after = speaker.last
    while after < b and toks[after].word:
        after += 1  # "according to the report released Tuesday"
    lead = [t for t in toks[a : acc.first] if t.word]
    if not lead and after < b and toks[after].text == ",":
        end, _ = _clause_end(doc, frames, after + 1, b)
        if sum(1 for t in toks[after + 1 : end] if t.word) >= _MIN_WORDS:
            content = [_span(doc, after + 1, end)]
            return Draft(content, "reported.according", SCORES["reported.according"], cue, speaker)
        return None
    comma = acc.first - 1
    if comma > a and toks[comma].text == "," and len(lead) >= _MIN_WORDS:
        region = doc.quotes.region_at(toks[a].start)
        if region is not None and region.end >= toks[comma].start:
            return None  # “…,” according to X: the quote rules take it
        content = [_span(doc, a, comma)]
        if after < b and toks[after].text == "," and not _reaches_end(doc, after + 1, b):
            end, _ = _clause_end(doc, frames, after + 1, b)
            if end > after + 1:
                content.append(_span(doc, after + 1, end))
        return Draft(content, "reported.according", SCORES["reported.according"], cue, speaker)
    return None


def _after(doc: Doc, frames: Frames, a: int, b: int) -> Draft | None:
    """CLAUSE, Smith said.  /  CLAUSE, Smith said, CLAUSE.  /  But, Carson added, CLAUSE."""
    toks = doc.toks
    lead = a
    while lead < b and toks[lead].low in ("but", "and", "yet", "still", "so"):
        lead += 1
    if lead < b and toks[lead].text == "," and lead > a:
        frame = frames.frame_after(toks, lead + 1, b)
        if frame is not None and frame.last < b and toks[frame.last].text == ",":
            end, _ = _clause_end(doc, frames, frame.last + 1, b)
            if sum(1 for t in toks[frame.last + 1 : end] if t.word) >= _MIN_WORDS:
                rule = "reported.parenthetical"
                cue = (frame.cue.start, frame.cue.end)
                content = [_span(doc, frame.last + 1, end)]
                return Draft(content, rule, SCORES[rule], cue, frame.speaker)
    for c in range(a + _MIN_WORDS, b - 1):
        if toks[c].text != "," or not _outside_quotes(doc, c):
            continue
        frame = frames.frame_after(toks, c + 1, b)
        if frame is None or frame.cue.verb.cls == BELIEF:
            continue
        if frames.according_at(toks, c + 1) is not None:
            continue
        region = doc.quotes.region_at(toks[a].start)
        if region is not None and region.end >= toks[c].start:
            return None  # a quotation: the quote rules take it
        head = [_span(doc, a, c)]
        if sum(1 for t in toks[a:c] if t.word) < _MIN_WORDS:
            return None
        if toks[a].low in _ADVERBIAL_STARTS:
            return None  # "When the man was led away, Trump yelled ...": a circumstance
        cue = (frame.cue.start, frame.cue.end)
        if _reaches_end(doc, frame.last, b):
            return Draft(head, "reported.after", SCORES["reported.after"], cue, frame.speaker)
        if frame.last < b and toks[frame.last].text == ",":
            if frame.last + 1 < b and doc.quotes.region_at(toks[frame.last + 1].start):
                return None  # ..., Smith said, “…”: the quote rules take it
            end, _ = _clause_end(doc, frames, frame.last + 1, b)
            if sum(1 for t in toks[frame.last + 1 : end] if t.word) >= 2:
                head.append(_span(doc, frame.last + 1, end))
                rule = "reported.parenthetical"
                return Draft(head, rule, SCORES[rule], cue, frame.speaker)
        return None
    return None


def _participle(doc: Doc, frames: Frames, i: int, b: int, source: Draft) -> Draft | None:
    """`, adding that CLAUSE`: a second attribution of the same speaker."""
    cue = frames.cue_at(doc.toks, i)
    if cue is None:
        return None
    start, rule = _complement(doc, frames, cue, b)
    if start is None:
        return None
    end, _ = _clause_end(doc, frames, start, b)
    if sum(1 for t in doc.toks[start:end] if t.word) < _MIN_WORDS:
        return None
    return Draft(
        [_span(doc, start, end)],
        "reported.participle",
        SCORES["reported.participle"],
        cue=(cue.start, cue.end),
        follows=source,
    )
