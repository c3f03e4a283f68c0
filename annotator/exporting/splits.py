"""Leakage-free train/dev/test splits.

Documents are grouped first: near-identical articles (wire copies, the same story re-published
with a new intro or trimmed ending) are found with MinHash over word 4-gram shingles
(one-permutation hashing into 64 bins, crc32 so results never depend on PYTHONHASHSEED) and
LSH banding (21 bands x 3 bins) as the blocking step, so cost grows linearly with the project;
candidate pairs whose estimated Jaccard similarity reaches `threshold` are joined (union-find).
Whole groups are then dealt to splits, seeded, greedily filling the split whose document and
polarity-label quotas are furthest from target, which stratifies by polarity where counts allow.
A document, and every near-duplicate of it, is therefore in exactly one split.
"""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

BINS = 64
ROWS_PER_BAND = 3
SHINGLE_WORDS = 4
DEFAULT_THRESHOLD = 0.5
_WORD = re.compile(r"\w+")

Signature = tuple[int | None, ...]


def signature(text: str) -> Signature:
    """One-permutation MinHash of the text's word 4-gram shingles (case- and punctuation-blind)."""
    words = [w.encode() for w in _WORD.findall(text.casefold())]
    mins: list[int | None] = [None] * BINS
    if not words:
        return tuple(mins)
    n = max(1, len(words) - SHINGLE_WORDS + 1)
    crc = zlib.crc32
    join = b" ".join
    for i in range(n):
        h = crc(join(words[i : i + SHINGLE_WORDS]))
        b = h & (BINS - 1)
        v = h >> 6
        cur = mins[b]
        if cur is None or v < cur:
            mins[b] = v
    return tuple(mins)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    used = same = 0
    for x, y in zip(a, b, strict=True):
        if x is None and y is None:
            continue
        used += 1
        same += x == y
    return same / used if used else 1.0


@dataclass(slots=True)
class DocStats:
    """What the splitter needs to know about one document."""

    id: str
    signature: Signature
    labels: Counter[str] = field(default_factory=Counter)  # polarity -> attributions


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def near_duplicate_groups(
    sigs: Sequence[Signature], threshold: float = DEFAULT_THRESHOLD
) -> list[list[int]]:
    """Indices grouped so near-duplicates (estimated Jaccard >= threshold) share a group."""
    uf = _UnionFind(len(sigs))
    for band in range(BINS // ROWS_PER_BAND):
        lo = band * ROWS_PER_BAND
        buckets: dict[tuple[int | None, ...], list[int]] = defaultdict(list)
        for i, sig in enumerate(sigs):
            key = sig[lo : lo + ROWS_PER_BAND]
            if any(v is not None for v in key):
                buckets[key].append(i)
        for members in buckets.values():
            if len(members) < 2:
                continue
            # compare within a bucket; very large buckets (boilerplate) only against their head
            small = len(members) <= 50
            for pos in range(1, len(members)):
                i = members[pos]
                for j in members[:pos] if small else members[:1]:
                    if uf.find(i) != uf.find(j) and similarity(sigs[i], sigs[j]) >= threshold:
                        uf.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(sigs)):
        groups[uf.find(i)].append(i)
    return sorted(groups.values())


def parse_ratios(value: str) -> tuple[float, float, float]:
    """ "0.8,0.1,0.1" -> (0.8, 0.1, 0.1); two values mean no test split."""
    try:
        parts = [float(p) for p in value.split(",")]
    except ValueError as exc:
        raise ValueError(f"--split {value!r}: expected numbers like 0.8,0.1,0.1") from exc
    if len(parts) == 2:
        parts.append(0.0)
    if len(parts) != 3 or any(p < 0 for p in parts) or sum(parts) <= 0:
        raise ValueError(
            f"--split {value!r}: expected 2 or 3 non-negative ratios, e.g. 0.8,0.1,0.1"
        )
    total = sum(parts)
    return (parts[0] / total, parts[1] / total, parts[2] / total)


def assign_splits(
    docs: Sequence[DocStats],
    ratios: tuple[float, float, float],
    seed: int,
    names: Sequence[str] = ("train", "dev", "test"),
    threshold: float = DEFAULT_THRESHOLD,
) -> tuple[dict[str, str], int]:
    """Map document id -> split name. Returns (mapping, number of multi-document groups)."""
    order = sorted(range(len(docs)), key=lambda i: docs[i].id)  # input order must not matter
    groups = near_duplicate_groups([docs[i].signature for i in order], threshold)
    groups = [[order[i] for i in g] for g in groups]
    rng = random.Random(seed)
    rng.shuffle(groups)
    groups.sort(key=len, reverse=True)  # place big clusters first, while quotas are open

    labels: Counter[str] = Counter()
    for d in docs:
        labels.update(d.labels)
    total_docs = len(docs) or 1
    active = [k for k, r in enumerate(ratios) if r > 0]
    doc_count = [0] * len(ratios)
    label_count: list[Counter[str]] = [Counter() for _ in ratios]
    mapping: dict[str, str] = {}
    for gi, group in enumerate(groups):
        g_labels: Counter[str] = Counter()
        for i in group:
            g_labels.update(docs[i].labels)
        g_total = sum(g_labels.values())
        empty = [k for k in active if doc_count[k] == 0]
        if empty and len(groups) - gi <= len(empty):
            choice = empty[0]  # the last groups go to splits that would stay empty
        else:

            def need(k: int, g_labels: Counter[str] = g_labels, g_total: int = g_total) -> float:
                score = (ratios[k] * total_docs - doc_count[k]) / total_docs
                for lab, n in g_labels.items():
                    score += (
                        (n / g_total)
                        * (ratios[k] * labels[lab] - label_count[k][lab])
                        / labels[lab]
                    )
                return score

            choice = max(active, key=lambda k: (need(k), -k))
        doc_count[choice] += len(group)
        label_count[choice].update(g_labels)
        for i in group:
            mapping[docs[i].id] = names[choice]
    return mapping, sum(1 for g in groups if len(g) > 1)
