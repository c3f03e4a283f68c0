"""Alias- and spelling-tolerant name matching (case-, diacritic- and typo-insensitive)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils


def fold(name: str) -> str:
    """Casefold and strip diacritics: 'İRNA' -> 'irna', 'Abdullahiyan' stays, 'Māori' -> 'maori'.

    Marks are stripped before casefolding (U+0345 would casefold to a letter) and after it
    ('İ' -> 'i' + dot); a second casefold catches capitals made by compatibility decomposition
    ('ᴬ' -> 'A'). Together these make fold(fold(x)) == fold(x) for every code point.
    """
    folded = _strip(_strip(_strip(name).casefold()).casefold()).translate(_LETTERS)
    return " ".join(folded.split())


# Letters with a "diacritic" that Unicode does not decompose, spelled the way English-language
# news writes them: Yıldırım/Yildirim, Wałęsa/Walesa, Məmmədov/Mammadov, Ødegaard/Odegaard.
_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ə": "a"}
    | {"æ": "ae", "œ": "oe", "þ": "th"}
)


def _strip(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not _ignorable(c))


def _ignorable(c: str) -> bool:
    # Marks, and invisible format characters web pages leave inside names (soft hyphen, ZWSP,
    # ZWJ/ZWNJ, bidi marks, the combining grapheme joiner).
    return bool(unicodedata.combining(c)) or c == "\u034f" or unicodedata.category(c) == "Cf"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A registry entry (actor or target) under one of its names."""

    entry_id: str
    name: str  # canonical name
    label: str  # the name or alias that matched


@dataclass(frozen=True, slots=True)
class Match:
    entry_id: str
    name: str
    label: str
    score: float


def rank(
    query: str, candidates: Iterable[Candidate], *, limit: int = 10, cutoff: float = 60.0
) -> list[Match]:
    """Best registry entries for `query`, one per entry, best first.

    Exact (folded) matches and prefix matches rank above fuzzy ones so that typing a few letters
    of a name finds it; fuzzy scoring (rapidfuzz WRatio) catches variant spellings.
    """
    items = list(candidates)
    q = fold(query)
    if not q:
        return [Match(c.entry_id, c.name, c.label, 0.0) for c in _first_per_entry(items)][:limit]
    folded = [fold(c.label) for c in items]
    best: dict[str, Match] = {}

    def offer(c: Candidate, score: float) -> None:
        old = best.get(c.entry_id)
        if old is None or score > old.score:
            best[c.entry_id] = Match(c.entry_id, c.name, c.label, score)

    for c, f in zip(items, folded, strict=True):
        if f == q:
            offer(c, 200.0)
        elif f.startswith(q) or any(w.startswith(q) for w in f.split()):
            offer(c, 150.0 + 10.0 * len(q) / max(len(f), 1))
    for _label, score, idx in process.extract(
        q,
        folded,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit * 4,
        score_cutoff=cutoff,
    ):
        offer(items[idx], float(score))
    return sorted(best.values(), key=lambda m: (-m.score, m.name))[:limit]


def _first_per_entry(items: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for c in items:
        if c.entry_id not in seen:
            seen.add(c.entry_id)
            out.append(c)
    return sorted(out, key=lambda c: fold(c.name))
