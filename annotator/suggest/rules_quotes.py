"""Rules for quotations in quotation marks (direct quotes and their continuations).

For every top-level quotation (a multi-paragraph one counts as one):

* `direct.after`   a frame right after it: “…,” he said. / “…,” said Smith. / “…,” according to X.
* `direct.before`  a frame right before it: Smith said: “…” / According to X, “…”
* `direct.colon`   the paragraph before ends with a frame and a colon: Cruz continued:⏎“…”
* `direct.named`   a name and a colon: Ted Cruz: ‘Physically Assaulting A Reporter Is…’
* `direct.dash`    a paragraph opened by a dash, with a frame after the speech (the dialogue
  dash of Russian, Polish, French, Spanish news): — Мы не сдадимся, — заявил министр.
* `direct.continued` a quote right after a frame's end joins the same attribution as another
  segment: “…,” he said. “…” (and “…,” he said, “…”)
* `direct.paragraph` a paragraph that is nothing but a quote, right after an attributed quote:
  same speaker, a new attribution
* `direct.standalone` a quoted full sentence (eight words or more) with no frame: the speaker
  of a quote just before it, if any
* `direct.unattributed` any other quote of four words or more with no frame: no speaker, low score

A quote inside a sentence whose reporting verb stands apart from it ("Trump said the South has
“treated me so well.”") is left to the reported-speech rules, which make it a mixed quote.
"""

from __future__ import annotations

from annotator.model import Kind
from annotator.suggest.draft import Doc, Draft
from annotator.suggest.frames import Frame, Frames
from annotator.suggest.lexicon import words as _words
from annotator.suggest.quotes import QuoteRegion

# Scores are the share of each rule's suggestions that matched a gold quote on the development
# part of PolNeAR (bench/suggest_quality_bench.py), rounded: a score reads as "kept this often".
SCORES = {
    "direct.after": 0.9,
    "direct.before": 0.95,
    "direct.colon": 0.85,
    "direct.named": 0.75,
    "direct.dash": 0.85,
    "direct.paragraph": 0.55,
    "direct.standalone": 0.7,
    "direct.unattributed": 0.45,
}
_CLOSING_PUNCT = (",", "?", "!", "\u2014", "\u2013", "-", "\u2026", ":")


CONTINUED = 0.98  # “…,” he said. “…”: the best-kept pattern of all


def _chains(regions: list[QuoteRegion]) -> list[list[QuoteRegion]]:
    """Regions grouped into quotations: a continued region is joined by the next one."""
    out: list[list[QuoteRegion]] = []
    for r in regions:
        if out and out[-1][-1].continued:
            out[-1].append(r)
        else:
            out.append([r])
    return out


def quote_drafts(doc: Doc, frames: Frames) -> list[Draft]:
    chains = _chains(doc.regions)
    drafts: list[Draft] = []
    consumed: set[int] = set()
    previous: Draft | None = None
    for idx, chain in enumerate(chains):
        if idx in consumed:
            continue
        first, last = chain[0], chain[-1]
        if doc.words_in(first.inner_start, last.inner_end) == 0:
            continue
        if len(chain) == 1 and _looks_like_title(doc, first):
            continue
        content = [(r.start, r.end) for r in chain]
        draft = _framed(doc, frames, chain)
        if draft is not None and draft.mention is None and draft.cue is not None:
            draft.follows = previous if _recent(doc, previous, first.start) else None
        if draft is not None:
            _absorb_continuations(doc, frames, chains, idx, draft, consumed)
        elif _whole_paragraph(doc, chain) and _recent(doc, previous, first.start):
            draft = Draft(content, "direct.paragraph", SCORES["direct.paragraph"], follows=previous)
        elif doc.words_in(first.inner_start, last.inner_end) >= 4 and not _in_frame_sentence(
            doc, frames, first
        ):
            rule = "direct.standalone" if _sentence_like(doc, chain) else "direct.unattributed"
            follows = (
                previous
                if rule == "direct.standalone" and _recent(doc, previous, first.start)
                else None
            )
            draft = Draft(content, rule, SCORES[rule], follows=follows)
        if draft is None:
            continue
        drafts.append(draft)
        if draft.rule != "direct.unattributed":
            previous = draft
    for d in drafts:
        if d.rule == "direct.continued":
            d.confidence = CONTINUED
    return drafts


def _framed(doc: Doc, frames: Frames, chain: list[QuoteRegion]) -> Draft | None:
    first, last = chain[0], chain[-1]
    content = [(r.start, r.end) for r in chain]
    p_lo, p_hi = doc.paragraph_tokens(last.end - 1)
    after = doc.tok_at_or_after(last.end)
    inner = doc.text[last.inner_start : last.inner_end].rstrip()
    strict = not inner.endswith(_CLOSING_PUNCT)
    frame = frames.frame_after(doc.toks, after, p_hi, strict=strict) if after < p_hi else None
    if frame is not None and _post_frame_fits(doc, frame, inner, p_hi):
        lead = _sentence_lead(doc, first)
        if lead is not None:
            content[0] = (lead, content[0][1])  # The media are “manipulating ...,” he said.
        return _draft(content, "direct.after", frame)
    f_lo, _f_hi = doc.paragraph_tokens(first.start)
    opening = doc.tok_at_or_after(first.start)
    found = frames.frame_before(doc.toks, opening, f_lo)
    if found is not None and _words_after(doc, last.end):
        found = None  # Cruz said after a brief "I'm sorry" to Carson: part of a clause
    if found is not None:
        frame, content_from = found
        if content_from < opening:
            content[0] = (doc.toks[content_from].start, content[0][1])
        return _draft(content, "direct.before", frame)
    # Cruz continued:⏎“…”  (the frame closes the paragraph before, with a colon)
    if opening == f_lo and f_lo > 0 and doc.toks[f_lo - 1].text == ":":
        prev_lo, _ = doc.paragraph_tokens(doc.toks[f_lo - 1].start)
        found = frames.frame_before(doc.toks, f_lo, prev_lo)
        if found is not None:
            return _draft(content, "direct.colon", found[0])
    return _named(doc, frames, content, opening, f_lo)


def _named(
    doc: Doc, frames: Frames, content: list[tuple[int, int]], opening: int, lo: int
) -> Draft | None:
    """NAME: “…” -- a headline or a roundup line credits the quote to a name."""
    colon = opening - 1
    if colon <= lo or doc.toks[colon].text != ":":
        return None
    speaker = frames.mentions.left(doc.toks, colon, lo)
    if speaker is None or speaker.form != "name":
        return None
    before = doc.toks[speaker.first - 1] if speaker.first > lo else None
    if before is not None and before.word:
        return None  # "the plan: “…”" inside a sentence
    colon_tok = doc.toks[colon]
    return Draft(
        content,
        "direct.named",
        SCORES["direct.named"],
        cue=(colon_tok.start, colon_tok.end),
        mention=speaker,
    )


def _sentence_lead(doc: Doc, region: QuoteRegion) -> int | None:
    """Where the sentence starts when words of it come before the quote (then they are part
    of what is reported: "The media are “manipulating and shaping this campaign,” he said")."""
    opening = doc.tok_at_or_after(region.start)
    lo, _hi = doc.sentence_of_token(opening)
    lead = [t for t in doc.toks[lo:opening] if t.word]
    if not lead or "\n" in doc.text[doc.toks[lo].start : region.start]:
        return None
    if any(t.text in (":", ";") for t in doc.toks[lo:opening]):
        return None  # "... his former wife: “She signed a confidentiality agreement,” he said"
    return doc.toks[lo].start


_CLAUSE_STARTS = frozenset(
    _words("and but or before after as while when because then since though although so")
)


def _words_after(doc: Doc, offset: int) -> bool:
    """The sentence goes on with a word right after the quote (not and/but/or)."""
    i = doc.tok_at_or_after(offset)
    if i >= len(doc.toks) or "\n" in doc.text[offset : doc.toks[i].start]:
        return False
    t = doc.toks[i]
    return t.word and not t.cap and t.low not in _CLAUSE_STARTS


_TITLE_CUES = frozenset(
    _words("""
    on with in of show program programme book film movie series titled entitled called dubbed
    named song album magazine newspaper hit episode network channel
    """)
)


def _looks_like_title(doc: Doc, region: QuoteRegion) -> bool:
    """CNN’s “State of the Union”, the film “Cake Boss”: a short capitalised name in quotes."""
    first, last = doc.tok_at_or_after(region.inner_start), doc.tok_at_or_after(region.inner_end)
    words = [t for t in doc.toks[first:last] if t.word]
    if not words or len(words) > 6 or sum(1 for t in words if t.cap) < max(1, len(words) - 1):
        return False
    i = doc.tok_at_or_after(region.start) - 1
    if i < 0:
        return False
    before = doc.toks[i]
    return (
        before.low in _TITLE_CUES or before.low.endswith(("’s", "'s")) or before.text in ("’", "'")
    )


def _post_frame_fits(doc: Doc, frame: Frame, inner: str, hi: int) -> bool:
    """A quote ending in a full stop takes a frame only if the frame ends the sentence too:
    “We will win.” Trump said. -- but not “We will win.” Trump said on Monday he would run."""
    if inner.endswith(_CLOSING_PUNCT) or not inner.endswith("."):
        return True
    end = frame.last
    return end >= hi or not doc.toks[end].word


def _draft(content: list[tuple[int, int]], rule: str, frame: Frame) -> Draft:
    cue = (frame.cue.start, frame.cue.end)
    return Draft(content, rule, SCORES[rule], cue=cue, mention=frame.speaker)


def _absorb_continuations(
    doc: Doc,
    frames: Frames,
    chains: list[list[QuoteRegion]],
    idx: int,
    draft: Draft,
    consumed: set[int],
) -> None:
    """“…,” he said. “…” / “…,” he said, “…” -- a quote that opens the sentence after the
    frame (or follows its comma) is more of the same attribution."""
    if draft.rule != "direct.after":
        return
    frame_start = doc.tok_at_or_after(draft.end)
    if frame_start >= len(doc.toks):
        return
    _lo, frame_sentence_end = doc.sentence_of_token(frame_start)
    k = idx + 1
    while k < len(chains):
        nxt = chains[k][0]
        opening = doc.tok_at_or_after(nxt.start)
        between = doc.text[draft.end : nxt.start]
        if any(doc.quotes.region_at(t.start) for t in doc.toks[frame_start:opening]):
            break
        if "\n" in between:
            # the frame closes its paragraph and the next one is nothing but the quote
            if between.count("\n") > 2 or not _whole_paragraph(doc, chains[k]):
                break
            if doc.text[doc.toks[frame_sentence_end - 1].end : nxt.start].strip():
                break
        after_comma = opening > 0 and doc.toks[opening - 1].text == ","
        if opening != frame_sentence_end and not after_comma:
            break
        after_cue = doc.tok_at_or_after(draft.cue[1]) if draft.cue else frame_start
        if any(_tail_attribution(doc, frames, x) for x in range(after_cue, opening)):
            break  # "…,” he said, adding that …. “…”: the tail is an attribution of its own
        after = doc.tok_at_or_after(chains[k][-1].end)
        _p_lo, p_hi = doc.paragraph_tokens(chains[k][-1].end - 1)
        own = frames.frame_after(doc.toks, after, p_hi) if after < p_hi else None
        if own is not None and not _same_speaker(draft, own):
            break  # “…,” Bernie Sanders said: that quote has a speaker of its own
        draft.content.extend((r.start, r.end) for r in chains[k])
        draft.rule = "direct.continued"
        consumed.add(k)
        if chains[k][-1].continued or k + 1 >= len(chains):
            break
        # a further quote straight after this one (“…” “…”) continues too
        nxt_end = chains[k][-1].end
        if doc.text[nxt_end : chains[k + 1][0].start].strip():
            break
        k += 1
        frame_start = doc.tok_at_or_after(chains[k][0].start)
        _lo, frame_sentence_end = doc.sentence_of_token(frame_start)


def _sentence_like(doc: Doc, chain: list[QuoteRegion]) -> bool:
    """A quoted full sentence of eight words or more: “We will not give up on this.”"""
    inner = doc.text[chain[0].inner_start : chain[-1].inner_end].strip()
    words = doc.words_in(chain[0].inner_start, chain[-1].inner_end)
    return words >= 8 and inner[:1].isupper() and inner[-1:] in ".,?!\u2026"


def _same_speaker(draft: Draft, frame: Frame) -> bool:
    """The frame after a further quote names the draft's speaker again ("Greene added")."""
    if draft.mention is None or frame.speaker is None:
        return False
    if frame.speaker.form != "name" or draft.mention.form != "name":
        return False
    a = draft.mention.name.lower().split()
    b = frame.speaker.name.lower().split()
    return bool(a and b) and a[-1] == b[-1]


_TAIL_VERBS = frozenset(
    _words("add say note argue claim insist explain suggest warn tell write predict declare state")
) | frozenset(_words("announce acknowledge admit stress emphasize contend"))


def _tail_attribution(doc: Doc, frames: Frames, x: int) -> bool:
    """ ", adding that" / "and added": a reporting verb that starts a new attribution (not
    "speaking on condition of anonymity", "referring to", "after Rubio spoke")."""
    if x == 0:
        return False
    cue = frames.cue_at(doc.toks, x)
    if cue is None or cue.verb.base not in _TAIL_VERBS:
        return False
    before = doc.toks[x - 1]
    return (before.text == "," and doc.toks[x].low.endswith("ing")) or before.low in ("and",)


def _whole_paragraph(doc: Doc, chain: list[QuoteRegion]) -> bool:
    ps, pe = doc.paragraph_of(chain[0].start)
    head = doc.text[ps : chain[0].start].strip()
    tail = doc.text[chain[-1].end : pe].strip()
    return not head and not any(c.isalnum() for c in tail)


def _recent(doc: Doc, previous: Draft | None, start: int) -> bool:
    """The previous attributed quote ends in this paragraph or the one before."""
    if previous is None:
        return False
    gap = doc.text[previous.end : start]
    return gap.count("\n") <= 2 and len(gap) < 400


def _in_frame_sentence(doc: Doc, frames: Frames, region: QuoteRegion) -> bool:
    """A reporting verb earlier in the quote's sentence: the reported-speech rules take it."""
    i = doc.tok_at_or_after(region.start)
    lo, _hi = doc.sentence_of_token(i)
    return any(frames.cue_at(doc.toks, j) is not None for j in range(lo, i))


_DASHES = ("\u2014", "\u2013", "\u2015")


def dash_drafts(doc: Doc, frames: Frames) -> list[Draft]:
    """— Speech, — said the minister. / — Speech, a déclaré le ministre."""
    out: list[Draft] = []
    for ps, pe in doc.paragraphs:
        line = doc.text[ps:pe]
        stripped = line.lstrip()
        if not stripped.startswith(_DASHES):
            continue
        start = ps + (len(line) - len(stripped)) + 1
        while start < pe and doc.text[start].isspace():
            start += 1
        lo, hi = doc.tok_at_or_after(start), doc.tok_at_or_after(pe)
        for i in range(lo + 1, hi):
            t = doc.toks[i]
            if t.text not in (",", ".", "!", "?", "\u2026") and t.text not in _DASHES:
                continue
            frame = frames.frame_after(doc.toks, i + (t.text in ".!?\u2026"), hi)
            if frame is None:
                continue
            end = doc.toks[i - 1].end if t.text in _DASHES or t.text == "," else t.end
            if doc.words_in(start, end) < 2:
                break
            d = _draft([(start, end)], "direct.dash", frame)
            d.kind = Kind.DIRECT
            out.append(d)
            break
    return out
