"""Inter-annotator agreement: pure computations over documents annotated by several people.

Per document, per pair of annotators and for the whole project: quote identification (exact-
match F1, token-overlap F1, Krippendorff's alpha over tokens), speaker and target agreement on
matched quotes, stance agreement (Cohen's kappa for two annotators, Krippendorff's alpha for
more), each with the number of items behind it. Definitions: docs/agreement.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from annotator.model import AttributionRecord
from annotator.team.alignment import TokenIndex, align, dice
from annotator.team.coefficients import (
    alpha_from_coincidences,
    alpha_nominal,
    binary_coincidences,
    cohen_kappa,
    f1,
)

Pair = tuple[str, str]


@dataclass(frozen=True)
class Figure:
    """One agreement figure. `value` is None when undefined (no items, or no variation)."""

    value: float | None
    items: int
    agree: int | None = None  # for proportions: how many of the items agree

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "items": self.items}
        if self.agree is not None:
            out["agree"] = self.agree
        return out


@dataclass(frozen=True)
class Figures:
    """All figures for one scope (project, document or annotator pair)."""

    annotators: tuple[str, ...]
    documents: int
    quotes: int  # attributions compared (each counted once)
    matched: int  # matched pairs of quotes, summed over annotator pairs
    exact_f1: Figure  # items: quotes summed over annotator pairs (|A| + |B|)
    overlap_f1: Figure
    token_alpha: Figure  # items: tokens coded by at least two annotators
    speaker: Figure  # items: matched pairs where both set a speaker
    target: Figure  # items: matched pairs where both set a target
    stance: Figure  # items: matched pairs (kappa) or aligned quotes (alpha) with a polarity
    stance_coefficient: str  # "cohen_kappa" or "krippendorff_alpha"

    FIGURE_NAMES = ("exact_f1", "overlap_f1", "token_alpha", "speaker", "target", "stance")

    def to_dict(self, names: Mapping[str, str] | None = None) -> dict[str, Any]:
        names = names or {}
        ordered = sorted(self.annotators, key=lambda a: (names.get(a, a).casefold(), a))
        out: dict[str, Any] = {
            "annotators": [names.get(a, a) for a in ordered],
            "annotator_ids": ordered,
            "documents": self.documents,
            "quotes": self.quotes,
            "matched": self.matched,
            "stance_coefficient": self.stance_coefficient,
        }
        for name in self.FIGURE_NAMES:
            out[name] = getattr(self, name).to_dict()
        return out


@dataclass(frozen=True)
class DocumentAnnotations:
    """One document's text and the attributions of each annotator who worked on it.

    An annotator listed with no attributions marked no quote; one not listed did not code it.
    """

    document_id: str
    title: str
    text: str
    by_annotator: Mapping[str, Sequence[AttributionRecord]]


@dataclass
class PairTally:
    """Additive counts for one pair of annotators (a < b)."""

    quotes: int = 0
    exact: int = 0
    dice: float = 0.0
    matched: int = 0
    speaker: list[bool] = field(default_factory=list)
    target: list[bool] = field(default_factory=list)
    stance: list[tuple[str, str]] = field(default_factory=list)
    tokens: Counter[int] = field(default_factory=Counter)  # k of 2 marked -> tokens
    documents: int = 0

    def add(self, other: PairTally) -> None:
        self.quotes += other.quotes
        self.exact += other.exact
        self.dice += other.dice
        self.matched += other.matched
        self.speaker += other.speaker
        self.target += other.target
        self.stance += other.stance
        self.tokens.update(other.tokens)
        self.documents += other.documents


@dataclass
class Tally:
    """Additive counts for a scope: pairs, multi-annotator token patterns, stance units."""

    annotators: set[str] = field(default_factory=set)
    documents: int = 0
    quotes: int = 0
    pairs: dict[Pair, PairTally] = field(default_factory=dict)
    token_patterns: Counter[tuple[int, int]] = field(default_factory=Counter)
    stance_units: list[tuple[str, ...]] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.annotators |= other.annotators
        self.documents += other.documents
        self.quotes += other.quotes
        for pair, tally in other.pairs.items():
            self.pairs.setdefault(pair, PairTally()).add(tally)
        self.token_patterns.update(other.token_patterns)
        self.stance_units += other.stance_units


@dataclass(frozen=True)
class DocumentAgreement:
    document_id: str
    title: str
    figures: Figures


@dataclass(frozen=True)
class AgreementReport:
    annotator_names: dict[str, str]  # id -> display name
    project: Figures
    documents: list[DocumentAgreement]
    pairs: dict[Pair, Figures]
    min_overlap: float
    project_name: str = ""

    def name(self, annotator_id: str) -> str:
        return self.annotator_names.get(annotator_id, annotator_id)

    def by_name(self, annotator_ids: Iterable[str]) -> list[str]:
        """Annotator ids ordered by display name (ids break ties)."""
        return sorted(annotator_ids, key=lambda a: (self.name(a).casefold(), a))

    def named_pairs(self) -> list[tuple[str, str, Figures]]:
        """(first, second, figures) for each pair, names in alphabetical order."""
        out = []
        for (a, b), figures in self.pairs.items():
            first, second = self.by_name((a, b))
            out.append((first, second, figures))
        return sorted(out, key=lambda t: (self.name(t[0]).casefold(), self.name(t[1]).casefold()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project_name,
            "min_overlap": self.min_overlap,
            "annotators": {k: self.annotator_names[k] for k in sorted(self.annotator_names)},
            "overall": self.project.to_dict(self.annotator_names),
            "pairs": [
                {"a": self.name(a), "b": self.name(b), **f.to_dict(self.annotator_names)}
                for a, b, f in self.named_pairs()
            ],
            "documents": [
                {
                    "document_id": d.document_id,
                    "title": d.title,
                    **d.figures.to_dict(self.annotator_names),
                }
                for d in self.documents
            ],
        }


def _same(a: str | None, b: str | None, canon: Mapping[str, str]) -> bool | None:
    """Whether two ids agree after canonicalization; None when either is missing."""
    if a is None or b is None:
        return None
    return canon.get(a, a) == canon.get(b, b)


def tally_document(
    doc: DocumentAnnotations,
    *,
    canonical_actor: Mapping[str, str] | None = None,
    canonical_target: Mapping[str, str] | None = None,
    min_overlap: float = 0.5,
) -> Tally:
    """Counts for one document; documents coded by fewer than two annotators count nothing."""
    canon = canonical_actor or {}
    canon_target = canonical_target or {}
    coders = sorted(doc.by_annotator)
    tally = Tally()
    if len(coders) < 2:
        return tally
    idx = TokenIndex(doc.text)
    toks = {r.id: idx.covered(r.content) for recs in doc.by_annotator.values() for r in recs}
    tally.annotators = set(coders)
    tally.documents = 1
    tally.quotes = sum(len(v) for v in doc.by_annotator.values())
    marked = {a: frozenset().union(*(toks[r.id] for r in doc.by_annotator[a])) for a in coders}

    for a, b in combinations(coders, 2):
        pt = PairTally(documents=1)
        pt.quotes = len(doc.by_annotator[a]) + len(doc.by_annotator[b])
        sub = {a: doc.by_annotator[a], b: doc.by_annotator[b]}
        for group in align(sub, doc.text, min_overlap=min_overlap, index=idx, token_sets=toks):
            if len(group.members) < 2:
                continue
            ra, rb = group.members[a], group.members[b]
            pt.matched += 1
            pt.dice += dice(toks[ra.id], toks[rb.id])
            pt.exact += bool(toks[ra.id]) and toks[ra.id] == toks[rb.id]
            speaker = _same(ra.speaker_id, rb.speaker_id, canon)
            if speaker is not None:
                pt.speaker.append(speaker)
            target = _same(ra.target_id, rb.target_id, canon_target)
            if target is not None:
                pt.target.append(target)
            if ra.polarity is not None and rb.polarity is not None:
                pt.stance.append((str(ra.polarity), str(rb.polarity)))
        both = len(marked[a] & marked[b])
        one = len(marked[a] ^ marked[b])
        pt.tokens.update({2: both, 1: one, 0: len(idx) - both - one})
        tally.pairs[(a, b)] = pt

    coverage = Counter(t for a in coders for t in marked[a])
    m = len(coders)
    for k, count in Counter(coverage.values()).items():
        tally.token_patterns[(m, k)] += count
    tally.token_patterns[(m, 0)] += len(idx) - len(coverage)

    if m == 2:
        tally.stance_units += tally.pairs[(coders[0], coders[1])].stance
    else:
        for group in align(
            doc.by_annotator, doc.text, min_overlap=min_overlap, index=idx, token_sets=toks
        ):
            labels = tuple(str(r.polarity) for r in group.members.values() if r.polarity)
            if len(labels) >= 2:
                tally.stance_units.append(labels)
    return tally


def _proportion(flags: Sequence[bool]) -> Figure:
    agree = sum(flags)
    return Figure(agree / len(flags) if flags else None, len(flags), agree)


def pair_figures(pair: Pair, pt: PairTally) -> Figures:
    token_units = sum(pt.tokens.values())
    return Figures(
        annotators=pair,
        documents=pt.documents,
        quotes=pt.quotes,
        matched=pt.matched,
        exact_f1=Figure(f1(pt.exact, pt.quotes), pt.quotes, pt.exact),
        overlap_f1=Figure(f1(pt.dice, pt.quotes), pt.quotes),
        token_alpha=Figure(
            alpha_from_coincidences(binary_coincidences({(2, k): n for k, n in pt.tokens.items()})),
            token_units,
        ),
        speaker=_proportion(pt.speaker),
        target=_proportion(pt.target),
        stance=Figure(cohen_kappa(pt.stance), len(pt.stance)),
        stance_coefficient="cohen_kappa",
    )


def scope_figures(tally: Tally) -> Figures:
    """Figures for a scope: pairwise counts pooled; alpha over all annotators at once."""
    pooled = PairTally()
    for pt in tally.pairs.values():
        pooled.add(pt)
    annotators = tuple(sorted(tally.annotators))
    if len(annotators) == 2 and len(tally.pairs) == 1:
        stance = Figure(cohen_kappa(pooled.stance), len(pooled.stance))
        coefficient = "cohen_kappa"
    else:
        stance = Figure(alpha_nominal(tally.stance_units), len(tally.stance_units))
        coefficient = "krippendorff_alpha"
    return Figures(
        annotators=annotators,
        documents=tally.documents,
        quotes=tally.quotes,
        matched=pooled.matched,
        exact_f1=Figure(f1(pooled.exact, pooled.quotes), pooled.quotes, pooled.exact),
        overlap_f1=Figure(f1(pooled.dice, pooled.quotes), pooled.quotes),
        token_alpha=Figure(
            alpha_from_coincidences(binary_coincidences(tally.token_patterns)),
            sum(n for (m, _), n in tally.token_patterns.items() if m >= 2),
        ),
        speaker=_proportion(pooled.speaker),
        target=_proportion(pooled.target),
        stance=stance,
        stance_coefficient=coefficient,
    )


def compute_agreement(
    documents: Iterable[DocumentAnnotations],
    *,
    annotator_names: Mapping[str, str] | None = None,
    canonical_actor: Mapping[str, str] | None = None,
    canonical_target: Mapping[str, str] | None = None,
    min_overlap: float = 0.5,
    project_name: str = "",
    on_document: Callable[[], None] | None = None,
) -> AgreementReport:
    """The full report. `on_document` is called after each document (progress, cancellation:
    raise from it to stop)."""
    total = Tally()
    per_document: list[DocumentAgreement] = []
    for doc in documents:
        tally = tally_document(
            doc,
            canonical_actor=canonical_actor,
            canonical_target=canonical_target,
            min_overlap=min_overlap,
        )
        if tally.documents:
            per_document.append(DocumentAgreement(doc.document_id, doc.title, scope_figures(tally)))
            total.add(tally)
        if on_document is not None:
            on_document()
    names = dict(annotator_names or {})
    for a in total.annotators:
        names.setdefault(a, a)
    return AgreementReport(
        annotator_names=names,
        project=scope_figures(total),
        documents=per_document,
        pairs={pair: pair_figures(pair, pt) for pair, pt in sorted(total.pairs.items())},
        min_overlap=min_overlap,
        project_name=project_name,
    )
