"""Scoring attributions (suggestions, or any annotator's) against gold ones.

Quotes are matched exactly as agreement matches two annotators (docs/agreement.md §3: tokens are
`\\w+` runs, overlap is the Dice coefficient of token sets, greedy best-first matching at
`min_overlap`, 0.5 by default), with the gold as one annotator and the predictions as the other.

* content, exact:   a matched pair counts 1 when both cover the same tokens;
* content, overlap: a matched pair counts its token overlap (proportional match);
* cue / mention:    a matched pair counts 1 when both have the span and cover the same tokens
  (exact) or counts the spans' token overlap (overlap); gold and predictions without the span
  are not counted on that side;
* speaker:          a matched pair counts 1 when the predicted canonical speaker is the gold one
  (same name or alias, a name and its shorter form -- "Donald Trump" / "Trump" --, or a close
  spelling); only gold quotes with a canonical speaker are counted (a gold pronoun without an
  antecedent names nobody).

Precision divides by the predictions, recall by the gold; F1 is their harmonic mean. Per kind,
recall counts the gold quotes of that kind and precision the predicted quotes of that kind (a
matched pair counts on each side by its own kind). Kinds are read from the text for both sides
(`annotator.suggest.kinds`): files without kinds (PolNeAR) and typed kinds are treated alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from annotator.model import AttributionRecord, Kind, Span
from annotator.suggest.kinds import kind_of
from annotator.suggest.lexicon import words
from annotator.suggest.quotes import QuoteMap
from annotator.suggest.registry_index import name_key
from annotator.team.alignment import TokenIndex, align, dice

SLICES: dict[str, frozenset[Kind]] = {
    "all": frozenset(Kind),
    "direct": frozenset({Kind.DIRECT}),
    "mixed": frozenset({Kind.MIXED}),
    "indirect": frozenset({Kind.INDIRECT}),
    "direct+mixed": frozenset({Kind.DIRECT, Kind.MIXED}),
}
FIELDS = (
    "content_exact",
    "content_overlap",
    "cue_exact",
    "cue_overlap",
    "mention_exact",
    "mention_overlap",
    "speaker",
)


@dataclass(frozen=True)
class Item:
    """One attribution to score: spans, and the canonical speaker's names (name and aliases)."""

    content: tuple[Span, ...]
    cue: Span | None = None
    mention: Span | None = None
    speaker_names: tuple[str, ...] = ()


@dataclass
class Counts:
    """Numerators and denominators of precision and recall."""

    hit_p: float = 0.0
    hit_r: float = 0.0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, other: Counts) -> None:
        self.hit_p += other.hit_p
        self.hit_r += other.hit_r
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold

    @property
    def precision(self) -> float | None:
        return self.hit_p / self.n_pred if self.n_pred else None

    @property
    def recall(self) -> float | None:
        return self.hit_r / self.n_gold if self.n_gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        def rnd(v: float | None) -> float | None:
            return None if v is None else round(v, 4)

        return {
            "precision": rnd(self.precision),
            "recall": rnd(self.recall),
            "f1": rnd(self.f1),
            "predicted": self.n_pred,
            "gold": self.n_gold,
            "hits_predicted": round(self.hit_p, 4),
            "hits_gold": round(self.hit_r, 4),
        }


@dataclass
class Score:
    """Counts per kind slice and field, plus speaker accuracy on matched quotes."""

    counts: dict[str, dict[str, Counts]] = field(
        default_factory=lambda: {s: {f: Counts() for f in FIELDS} for s in SLICES}
    )
    speaker_items: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SLICES, 0))
    speaker_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SLICES, 0))
    documents: int = 0

    def add(self, other: Score) -> None:
        for s in SLICES:
            for f in FIELDS:
                self.counts[s][f].add(other.counts[s][f])
            self.speaker_items[s] += other.speaker_items[s]
            self.speaker_right[s] += other.speaker_right[s]
        self.documents += other.documents

    def speaker_accuracy(self, slice_name: str) -> float | None:
        n = self.speaker_items[slice_name]
        return self.speaker_right[slice_name] / n if n else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"documents": self.documents, "kinds": {}}
        for s in SLICES:
            acc = self.speaker_accuracy(s)
            out["kinds"][s] = {f: self.counts[s][f].to_dict() for f in FIELDS} | {
                "speaker_accuracy_on_matched": {
                    "value": None if acc is None else round(acc, 4),
                    "items": self.speaker_items[s],
                    "right": self.speaker_right[s],
                }
            }
        return out


_NOT_NAME = frozenset(
    words(
        """
        the a an mr mrs ms miss dr sen rep gov gen lt col sgt capt prof rev pres sec amb st jr sr
        president senator representative governor secretary former presidential candidate
        nominee republican democratic democrat gop vice u.s us
        """
    )
)


def _name_words(name: str) -> list[str]:
    """A name's words without titles and descriptions: "Vermont Sen. Bernie Sanders" keeps
    "vermont bernie sanders", "Mr. Trump" keeps "trump"."""
    out = [w for w in name_key(name).split() if w.rstrip(".") not in _NOT_NAME]
    return out or name_key(name).split()


def same_speaker(gold: Sequence[str], predicted: Sequence[str]) -> bool:
    """Do two sets of names (a speaker's name and aliases) name the same speaker?"""
    for g in gold:
        gw = _name_words(g)
        for p in predicted:
            pw = _name_words(p)
            if not gw or not pw:
                continue
            if gw == pw:
                return True
            short, long_ = (gw, pw) if len(gw) <= len(pw) else (pw, gw)
            if long_[-len(short) :] == short or set(short) <= set(long_) and len(short) > 1:
                return True
            if fuzz.ratio(" ".join(gw), " ".join(pw)) >= 90:
                return True
    return False


def _record(item: Item, prefix: str, n: int) -> AttributionRecord:
    return AttributionRecord(
        id=f"{prefix}{n:06d}", document_id="", annotator_id=prefix, content=item.content
    )


def score_document(
    text: str,
    gold: Sequence[Item],
    predicted: Sequence[Item],
    *,
    min_overlap: float = 0.5,
    quotes: QuoteMap | None = None,
) -> Score:
    index = TokenIndex(text)
    quotes = quotes or QuoteMap(text)
    g_recs = [_record(x, "g", n) for n, x in enumerate(gold)]
    p_recs = [_record(x, "p", n) for n, x in enumerate(predicted)]
    g_kind = [kind_of(text, x.content, quotes) for x in gold]
    p_kind = [kind_of(text, x.content, quotes) for x in predicted]
    score = Score(documents=1)
    for s, kinds in SLICES.items():
        for f in FIELDS:
            c = score.counts[s][f]
            c.n_gold = sum(
                1 for x, k in zip(gold, g_kind, strict=True) if k in kinds and _has(x, f)
            )
            c.n_pred = sum(
                1 for x, k in zip(predicted, p_kind, strict=True) if k in kinds and _has(x, f)
            )
    groups = align({"g": g_recs, "p": p_recs}, text, min_overlap=min_overlap, index=index)
    for group in groups:
        if "g" not in group.members or "p" not in group.members:
            continue
        gi = int(group.members["g"].id[1:])
        pi = int(group.members["p"].id[1:])
        g, p = gold[gi], predicted[pi]
        values = _pair_values(index, g, p)
        for s, kinds in SLICES.items():
            for f, v in values.items():
                c = score.counts[s][f]
                if g_kind[gi] in kinds and _has(g, f):
                    c.hit_r += v
                if p_kind[pi] in kinds and _has(p, f):
                    c.hit_p += v
            if g_kind[gi] in kinds and g.speaker_names:
                score.speaker_items[s] += 1
                score.speaker_right[s] += int(values["speaker"] > 0)
    return score


def _has(item: Item, f: str) -> bool:
    if f.startswith("cue"):
        return item.cue is not None
    if f.startswith("mention"):
        return item.mention is not None
    if f == "speaker":
        return bool(item.speaker_names)
    return True


def _tokens(index: TokenIndex, spans: Iterable[Span]) -> frozenset[int]:
    return index.covered(spans)


def _pair_values(index: TokenIndex, g: Item, p: Item) -> dict[str, float]:
    gt, pt = _tokens(index, g.content), _tokens(index, p.content)
    out = {"content_exact": float(gt == pt and bool(gt)), "content_overlap": dice(gt, pt)}
    for name in ("cue", "mention"):
        gs, ps = getattr(g, name), getattr(p, name)
        if gs is None or ps is None:
            out[f"{name}_exact"] = out[f"{name}_overlap"] = 0.0
            continue
        a, b = _tokens(index, [gs]), _tokens(index, [ps])
        out[f"{name}_exact"] = float(a == b and bool(a))
        out[f"{name}_overlap"] = dice(a, b)
    both = bool(g.speaker_names) and bool(p.speaker_names)
    out["speaker"] = float(both and same_speaker(g.speaker_names, p.speaker_names))
    return out
