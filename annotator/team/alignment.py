"""Aligning several annotators' attributions on one document by content overlap.

Pure Python, no Qt, no database: review (side-by-side comparison) and agreement both use it.
See docs/agreement.md for the definitions.

Tokens are runs of word characters (`\\w+`, Unicode-aware); punctuation and whitespace are not
tokens, so two selections that differ only by a quotation mark or a trailing full stop cover the
same tokens. A content span covers a token when they share at least one code point, so a
selection that cuts a word in half still covers that word.

Matching is greedy by best overlap with complete linkage: all cross-annotator pairs with overlap
>= `min_overlap` are taken best first (ties broken by position, then annotator id, then record
id) and their groups are joined when the joined group still has at most one attribution per
annotator and every pair inside it overlaps by >= `min_overlap`. We chose greedy over an optimal
assignment (Hungarian) because it extends to any number of annotators, needs no SciPy, is
deterministic, and differs from the optimum only when a quote overlaps two quotes of another
annotator by >= `min_overlap` each (rare at 0.5); see docs/agreement.md.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from annotator.model import AttributionRecord, Span

_TOKEN = re.compile(r"\w+")

FIELDS = (
    "content",
    "cue",
    "mention",
    "speaker",
    "via",
    "kind",
    "target",
    "polarity",
    "proposition",
)


@dataclass(frozen=True)
class AlignedGroup:
    """Attributions of different annotators that mark the same quote.

    `members` maps annotator id -> that annotator's attribution; an annotator absent from it
    missed the quote. `overlap` is the smallest pairwise token overlap (Dice) inside the group,
    1.0 for a group of one.
    """

    members: dict[str, AttributionRecord]
    overlap: float

    @property
    def start(self) -> int:
        return min(r.start for r in self.members.values())

    @property
    def end(self) -> int:
        return max(r.end for r in self.members.values())


def tokens(text: str) -> list[tuple[int, int]]:
    """Token spans [start, end) in code points: the units of matching and token-level metrics."""
    return [m.span() for m in _TOKEN.finditer(text)]


class TokenIndex:
    """Tokens of one text with fast lookup of the tokens a span covers."""

    def __init__(self, text: str) -> None:
        self.spans = tokens(text)
        self._starts = [s for s, _ in self.spans]
        self._ends = [e for _, e in self.spans]

    def __len__(self) -> int:
        return len(self.spans)

    def covered(self, spans: Iterable[Span]) -> frozenset[int]:
        """Indices of tokens sharing at least one code point with any of `spans`."""
        out: set[int] = set()
        for span in spans:
            first = bisect_right(self._ends, span.start)  # first token ending after span start
            last = bisect_left(self._starts, span.end)  # tokens starting before span end
            out.update(range(first, last))
        return frozenset(out)


def dice(a: frozenset[int], b: frozenset[int]) -> float:
    """Token-overlap F1 of two token sets: 2|A∩B| / (|A|+|B|); 0 when either is empty."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


@dataclass
class _Item:
    annotator: str
    record: AttributionRecord
    toks: frozenset[int]
    start: int
    end: int


def align(
    by_annotator: Mapping[str, Sequence[AttributionRecord]],
    text: str,
    *,
    min_overlap: float = 0.5,
    index: TokenIndex | None = None,
    token_sets: Mapping[str, frozenset[int]] | None = None,
) -> list[AlignedGroup]:
    """Group the attributions of several annotators on one document by content overlap.

    Every attribution ends up in exactly one group, with at most one attribution per annotator
    per group. Deterministic for the same input; groups are sorted by position. `index` (the
    tokenization of `text`) and `token_sets` (record id -> covered token indices) may be passed
    to reuse work across calls.
    """
    idx = index if index is not None else TokenIndex(text)
    items: list[_Item] = []
    for annotator in sorted(by_annotator):
        for r in sorted(by_annotator[annotator], key=lambda r: (r.start, r.end, r.id)):
            toks = token_sets[r.id] if token_sets is not None else idx.covered(r.content)
            items.append(_Item(annotator, r, toks, r.start, r.end))

    # Pairwise overlaps between different annotators' attributions (only non-zero ones kept);
    # a sweep over token ranges skips pairs that cannot share a token.
    score: dict[tuple[int, int], float] = {}
    ranges = sorted((min(it.toks), max(it.toks), k) for k, it in enumerate(items) if it.toks)
    for pos, (_, hi, i) in enumerate(ranges):
        for lo_j, _, j in ranges[pos + 1 :]:
            if lo_j > hi:
                break
            a, b = items[i], items[j]
            if a.annotator != b.annotator and not a.toks.isdisjoint(b.toks):
                score[(i, j) if i < j else (j, i)] = dice(a.toks, b.toks)

    def pair(i: int, j: int) -> float:
        return score.get((i, j) if i < j else (j, i), 0.0)

    def tie_key(edge: tuple[int, int]) -> tuple[object, ...]:
        a, b = items[edge[0]], items[edge[1]]
        first = min(a.start, b.start)
        return (-score[edge], first, a.annotator, b.annotator, a.record.id, b.record.id)

    group_of = list(range(len(items)))
    groups: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    for i, j in sorted((e for e, s in score.items() if s >= min_overlap), key=tie_key):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        left, right = groups[gi], groups[gj]
        if {items[k].annotator for k in left} & {items[k].annotator for k in right}:
            continue
        if any(pair(x, y) < min_overlap for x in left for y in right):
            continue
        left.extend(right)
        for k in right:
            group_of[k] = gi
        del groups[gj]

    keyed = []
    for members in groups.values():
        overlap = min((pair(x, y) for x, y in combinations(members, 2)), default=1.0)
        group = AlignedGroup(
            members={items[k].annotator: items[k].record for k in sorted(members)},
            overlap=overlap,
        )
        first = min(members)  # items are sorted by annotator: this one has the smallest id
        key = (
            min(items[k].start for k in members),
            max(items[k].end for k in members),
            items[first].annotator,
            min(items[k].record.id for k in members),
        )
        keyed.append((key, group))
    keyed.sort(key=lambda t: t[0])
    return [g for _, g in keyed]


def _canon(value: str | None, canonical: Mapping[str, str] | None) -> str | None:
    if value is None or canonical is None:
        return value
    return canonical.get(value, value)


def field_differences(
    a: AttributionRecord,
    b: AttributionRecord,
    *,
    canonical_actor: Mapping[str, str] | None = None,
) -> list[str]:
    """Names of the fields in which two attributions differ, in the order of `FIELDS`.

    Spans compare by exact code-point boundaries; actor ids are first mapped through
    `canonical_actor` (merged actor -> surviving actor) when given; propositions compare after
    trimming whitespace.
    """
    diffs: list[str] = []
    if tuple(sorted(a.content)) != tuple(sorted(b.content)):
        diffs.append("content")
    if a.cue != b.cue:
        diffs.append("cue")
    if a.mention != b.mention:
        diffs.append("mention")
    if _canon(a.speaker_id, canonical_actor) != _canon(b.speaker_id, canonical_actor):
        diffs.append("speaker")
    if _canon(a.via_id, canonical_actor) != _canon(b.via_id, canonical_actor):
        diffs.append("via")
    if a.kind != b.kind:
        diffs.append("kind")
    if a.target_id != b.target_id:
        diffs.append("target")
    if a.polarity != b.polarity:
        diffs.append("polarity")
    if a.proposition.strip() != b.proposition.strip():
        diffs.append("proposition")
    return diffs
