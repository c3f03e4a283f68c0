"""The rule engine: quotation rules, reported-speech rules, speakers, kinds, scores.

`RuleEngine().suggest(SuggestRequest(text, language, actors, existing))` returns suggestions
sorted by position. When two rules claim the same words the higher-scored one wins; nothing
overlapping an attribution already in the document is proposed (the analyst's work stands).
"""

from __future__ import annotations

from annotator.matching import fold
from annotator.model import Kind, Span
from annotator.suggest.draft import Doc, Draft
from annotator.suggest.frames import Frames
from annotator.suggest.kinds import kind_of
from annotator.suggest.language import lexicon_for
from annotator.suggest.model import Suggestion, SuggestRequest
from annotator.suggest.registry_index import RegistryIndex
from annotator.suggest.rules_quotes import dash_drafts, quote_drafts
from annotator.suggest.rules_reported import MIXED_BONUS, reported_drafts
from annotator.suggest.speakers import SpeakerResolver

RULE_ENGINE = "rules"
RULE_ENGINE_VERSION = "1"


class RuleEngine:
    """Hand-written rules (docs/suggestions.md). Stateless; safe to share across threads."""

    name = RULE_ENGINE
    version = RULE_ENGINE_VERSION

    def __init__(self, registry: RegistryIndex | None = None) -> None:
        self._registry = registry  # reused across documents by batch runs

    def suggest(self, request: SuggestRequest) -> list[Suggestion]:
        text = request.text
        if not text.strip():
            return []
        doc = Doc(text, lexicon_for(request.language, text))
        frames = Frames(doc.lex)
        drafts = _best(
            quote_drafts(doc, frames) + dash_drafts(doc, frames) + reported_drafts(doc, frames)
        )
        taken = [s for rec in request.existing for s in rec.content]
        drafts = [d for d in drafts if not _overlaps_any(d, taken)]
        drafts.sort(key=lambda d: (d.start, d.end))
        _follow_nearest(text, drafts)
        registry = self._registry or RegistryIndex(request.actors)
        speakers = SpeakerResolver(registry, text).resolve_all(drafts, request.existing)
        out = []
        for d, who in zip(drafts, speakers, strict=True):
            content = tuple(sorted(Span(s, e) for s, e in _trim(text, d.content)))
            if not content:
                continue
            kind = d.kind or kind_of(text, content, doc.quotes)
            mention = Span(d.mention.start, d.mention.end) if d.mention is not None else None
            out.append(
                Suggestion(
                    content=content,
                    kind=kind,
                    confidence=_score(d, kind, who.resolved_by),
                    rule=d.rule,
                    engine=self.name,
                    cue=Span(*d.cue) if d.cue else None,
                    mention=mention,
                    speaker_id=who.speaker_id,
                    speaker_name=who.speaker_name,
                    resolved_by=who.resolved_by,
                    antecedent=who.antecedent,
                    speaker_type=who.etype,
                )
            )
        return out


_NEEDS_ANTECEDENT = ("direct.standalone", "direct.paragraph")


def _follow_nearest(text: str, drafts: list[Draft]) -> None:
    """A framed-less quote right after another attribution (within two paragraphs) is taken
    to continue its speaker: "Valastro praised Christie's leadership.⏎“We need someone...”"."""
    previous: Draft | None = None
    for d in drafts:
        if (
            d.rule in _NEEDS_ANTECEDENT
            and d.mention is None
            and (d.follows is None or d.follows not in drafts)
        ):
            d.follows = None
            if previous is not None:
                gap = text[previous.end : d.start]
                if gap.count("\n") <= 2 and len(gap) < 400:
                    d.follows = previous
        if d.mention is not None or d.follows is not None:
            previous = d


def _trim(text: str, content: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Segments without surrounding white space; empty ones dropped."""
    out = []
    for s, e in content:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _score(d: Draft, kind: Kind, resolved_by: str) -> float:
    score = d.confidence
    if kind == Kind.MIXED and d.rule.startswith("reported."):
        score += MIXED_BONUS  # a quotation inside reported speech: someone surely spoke
    if resolved_by == "none" and d.rule != "direct.unattributed":
        score -= 0.1  # a quote nobody could be found for is less likely to be kept as is
    return max(0.0, min(1.0, score))


def _overlaps_any(d: Draft, taken: list[Span]) -> bool:
    return any(s < t.end and t.start < e for s, e in d.content for t in taken)


def _best(drafts: list[Draft]) -> list[Draft]:
    """Highest score first; a draft sharing words with a kept one is dropped. A reported
    clause that contains a short framed quote ("said he expected Americans will say “no” to
    Trump’s policy") goes first: the quote is a part of what was reported."""
    order = {id(d): d.confidence for d in drafts}
    for d in drafts:
        if not d.rule.startswith("reported."):
            continue
        for q in drafts:
            if q.rule.startswith("direct.") and q.kind is None and _contains(d, q) and _short(q):
                order[id(d)] = max(order[id(d)], q.confidence + 0.01)
    kept: list[Draft] = []
    for d in sorted(drafts, key=lambda d: (-order[id(d)], d.start)):
        if any(_overlaps_any(d, [Span(s, e) for s, e in k.content]) for k in kept):
            continue
        kept.append(d)
    return kept


def _contains(outer: Draft, inner: Draft) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end and outer is not inner


def _short(d: Draft) -> bool:
    return len(d.content) == 1 and sum(1 for _ in range(d.start, d.end)) < 60


def same_speaker_name(a: str, b: str) -> bool:
    """Two names for one speaker within a document ("Trump", "Donald Trump")."""
    wa, wb = fold(a).split(), fold(b).split()
    if not wa or not wb:
        return False
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return long_[-len(short) :] == short
