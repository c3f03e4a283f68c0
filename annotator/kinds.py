"""The one kind guesser of the app: direct, indirect or mixed, from the quotation marks.

Used by the workspace when an analyst creates a quote (`guess_kind`) and by every importer that
has no kind of its own (`guess_kind_of_spans`, which calls `guess_kind` on each segment).

A quotation mark is told from an apostrophe by where it stands: a mark between two letters is an
apostrophe or an elision (Trump's, l’État, dell'Italia, aujourd’hui); a single mark counts as a
quotation mark only when an opening one (after a space, before a letter) is closed by a closing
one (after a letter, before a space or punctuation), so a possessive `voters’` or a year `'90s`
never opens a quote. Double marks of every script count: "…", “…”, „…“, «…», »…«, ‹…›, 「…」, 『…』,
〝…〞, ＂…＂. A quoted stretch that is only a name or a title of at most four capitalized words
("Nagorno-Karabakh", "Islamic State") is a scare quote: it does not make reported speech mixed.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.model import Kind, Span

DOUBLE_MARKS = frozenset(
    '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f\u301d\u301e\u301f\uff02'
)
SINGLE_MARKS = frozenset("'\u2018\u2019\u201a\u201b")
# Marks that can only open / only close, whatever stands around them.
_OPEN_ONLY = frozenset("\u201e\u201a\u300c\u300e\u301d")
_CLOSE_ONLY = frozenset("\u300d\u300f\u301e\u301f")
# Lower-case words allowed inside a quoted name ("Party of the Regions", "Abu al-Fadl").
_NAME_JOINERS = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "del",
        "della",
        "di",
        "da",
        "al",
        "el",
        "von",
        "van",
        "der",
        "y",
    ]
)
MAX_NAME_WORDS = 4


def _is_open_side(ch: str) -> bool:
    """What may stand before an opening mark: nothing, a space, or opening punctuation."""
    return (
        not ch
        or ch.isspace()
        or ch in "([{<\u2014\u2013-/"
        or ch in DOUBLE_MARKS
        or ch in SINGLE_MARKS
    )


def _is_close_side(ch: str) -> bool:
    """What may stand after a closing mark: nothing, a space, or punctuation."""
    return not ch or ch.isspace() or (not ch.isalnum() and ch not in "_")


def _role(s: str, i: int, width: int = 1) -> str | None:
    """'open', 'close' or None (an apostrophe or a stray mark) for the mark at s[i:i+width]
    (width 2: a doubled single mark, read as a double one)."""
    ch = s[i] if width == 1 else '"'
    prev = s[i - 1] if i > 0 else ""
    nxt = s[i + width] if i + width < len(s) else ""
    if ch in _OPEN_ONLY:
        return "open"
    if ch in _CLOSE_ONLY:
        return "close"
    opens = _is_open_side(prev) and nxt != "" and not nxt.isspace()
    closes = prev != "" and not prev.isspace() and _is_close_side(nxt)
    if ch in SINGLE_MARKS:
        if prev.isalnum() and nxt.isalnum():
            return None  # Trump's, l’État: an apostrophe inside a word
        if opens and not closes:
            return "open" if nxt.isalpha() else None  # '90s is an elided year
        if closes and not opens:
            return "close"
        return None
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    if opens and closes:  # between two marks or punctuation, e.g. ("...") or ,"'
        return "open" if prev and not prev.isalnum() and nxt.isalnum() else "close"
    return None


def quoted_regions(s: str) -> list[tuple[int, int]]:
    """[start, end) stretches of `s` inside quotation marks (marks included). A double mark left
    open runs to the end of `s`, one closed without an opening runs from its start: the
    quotation began or ends outside the piece. Unpaired single marks are apostrophes."""
    regions: list[tuple[int, int]] = []
    stacks: dict[str, list[int]] = {"double": [], "single": []}
    i = 0
    while i < len(s):
        ch, width = s[i], 1
        if ch in SINGLE_MARKS and s[i + 1 : i + 2] == ch:
            family, width = "double", 2  # ''typewriter doubled apostrophes'' stand for "
        elif ch in DOUBLE_MARKS:
            family = "double"
        elif ch in SINGLE_MARKS:
            family = "single"
        else:
            i += 1
            continue
        role = _role(s, i, width)
        stack = stacks[family]
        if role == "open":
            stack.append(i)
        elif role == "close":
            if stack:
                start = stack.pop()
                inner = sum(c.isalnum() for c in s[start + 1 : i])
                if family == "double" or inner > 1:  # rock ’n’ roll: elisions, not a quote
                    regions.append((start, i + width))
            elif family == "double":
                regions.append((0, i + width))
        i += width
    regions += [(start, len(s)) for start in stacks["double"]]
    return regions


def _is_name(words: list[str]) -> bool:
    if not 1 <= len(words) <= MAX_NAME_WORDS:
        return False
    capitals = [w for w in words if w.lower() not in _NAME_JOINERS]
    return bool(capitals) and all(w[0].isupper() for w in capitals)


def _words(s: str) -> list[str]:
    out: list[str] = []
    word: list[str] = []
    for i, ch in enumerate(s):
        inner = ch in "-\u2010'\u2019" and word and i + 1 < len(s) and s[i + 1].isalnum()
        if ch.isalnum() or inner:
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def guess_kind(content: str, before: str = "", after: str = "") -> Kind:
    """direct: every word of the content is inside quotation marks; mixed: some are (more than a
    quoted name); indirect: none. `before` / `after` are the characters just outside the span, so
    a selection made inside the quotation marks still counts as direct."""
    if not any(ch.isalnum() for ch in content):
        return Kind.INDIRECT
    before, after = before[-1:], after[:1]
    s = before + content + after
    lo, hi = len(before), len(before) + len(content)
    quoted = [False] * len(s)
    speech = False
    for start, end in quoted_regions(s):
        start, end = max(start, lo), min(end, hi)
        if start >= end:
            continue
        for i in range(start, end):
            quoted[i] = True
        words = _words(s[start:end])
        speech = speech or (bool(words) and not _is_name(words))
    letters = [quoted[i] for i in range(lo, hi) if s[i].isalnum()]
    if letters and all(letters):
        return Kind.DIRECT
    return Kind.MIXED if speech else Kind.INDIRECT


def guess_kind_of_spans(text: str, spans: Sequence[Span]) -> Kind:
    """The kind of a (possibly split) content in `text`: each segment guessed by `guess_kind`
    with its neighbouring characters; all direct -> direct, all indirect -> indirect, else mixed."""
    kinds = {
        guess_kind(
            text[s.start : s.end], text[max(s.start - 1, 0) : s.start], text[s.end : s.end + 1]
        )
        for s in spans
    }
    if len(kinds) == 1:
        return kinds.pop()
    return Kind.MIXED if kinds else Kind.INDIRECT
