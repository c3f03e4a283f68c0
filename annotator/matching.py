"""Alias- and spelling-tolerant name matching (case-, diacritic- and typo-insensitive)."""

from __future__ import annotations

import re
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


CLOSE_SCORE = 85.0  # rapidfuzz ratio from which two spellings are the same word or name
_WORD = re.compile(r"\w{2,}")


def close_enough(query: str, label: str) -> bool:
    """Whether typed text names this registry entry (name or alias) closely enough for Enter to
    take it rather than create what was typed. One rule for speakers and stance targets:

    - the same name in any case and accents, or its beginning (type-ahead);
    - a variant spelling of the whole (`Ibrahim Raisi` / `Ebrahim Raisi`);
    - every typed word is in the name, spelled alike or begun (`Ahmadiyyan` for `Ali Akbar
      Ahmadian`, `Amir-Abd`);
    - every word of the name is typed, and they end what was typed (a mention with a title:
      `Foreign Minister Hossein Amir-Abdollahian`) or make up at least half of it.

    Sharing a few words is not enough: "Change of the region's geopolitics" does not name
    "Presence of extra-regional powers in the South Caucasus"."""
    q, name = fold(query), fold(label)
    if not q or not name:
        return False
    if name.startswith(q) or fuzz.ratio(q, name) >= CLOSE_SCORE:
        return True
    typed, words = _WORD.findall(q), _WORD.findall(name)
    if not typed or not words:
        return False
    if all(_has_word(w, words) for w in typed):
        return True
    if not all(_has_word(n, typed) for n in words):
        return False
    tail = typed[-len(words) :]
    if len(tail) == len(words) and all(map(_same_word, tail, words)):
        return True  # the name after a title
    named = [w for w in typed if any(_same_word(w, n) for n in words)]
    return 2 * sum(map(len, named)) >= sum(map(len, typed))


def _same_word(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= CLOSE_SCORE)


def _has_word(word: str, words: list[str]) -> bool:
    """`word` is one of `words`, spelled alike, or (3 letters or more) the beginning of one."""
    return any(_same_word(word, w) or (len(word) >= 3 and w.startswith(word)) for w in words)
