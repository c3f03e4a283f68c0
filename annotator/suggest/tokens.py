"""Tokens and sentences with code-point offsets, for the rules (not the agreement tokens).

Words keep inner apostrophes and hyphens (Iran’s, front-runner, dit-il) and the full stop of
abbreviations and initials (Sen., U.S., J.); every other non-space character is a token of its
own. A sentence ends at a line break, or after . ! ? … (and any closing quotes or brackets)
when the next word starts with a capital, a digit or a quotation mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.suggest.quotes import MARK_CHARS

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "rep",
        "gov",
        "lt",
        "gen",
        "col",
        "capt",
        "sgt",
        "adm",
        "prof",
        "rev",
        "pres",
        "sec",
        "amb",
        "atty",
        "st",
        "jr",
        "sr",
        "inc",
        "co",
        "corp",
        "ltd",
        "no",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "d.c",
        "n.y",
        "l.a",
        "mme",
        "mlle",
        "m",
        "sr",
        "sra",
        "dra",
        "ing",
        "hon",
        "gov",
        "cmdr",
        "supt",
        "dept",
        "univ",
        "approx",
    ]
)
_WORD = re.compile(r"\d+(?:[.,]\d+)+|\w+(?:[’'\-.&]\w+)*\.?|[^\w\s]", re.UNICODE)
_END = set(".!?\u2026")


@dataclass(frozen=True, slots=True)
class Tok:
    start: int
    end: int
    text: str
    low: str  # lower case, trailing full stop of an abbreviation kept
    word: bool  # a word (letters or digits), not punctuation

    @property
    def cap(self) -> bool:
        """Starts with a capital letter (a name, or a sentence's first word)."""
        return self.word and self.text[0].isupper()


def tokenize(text: str) -> list[Tok]:
    out: list[Tok] = []
    for m in _WORD.finditer(text):
        s, e = m.span()
        piece = m.group()
        if piece.endswith(".") and len(piece) > 1 and not _keeps_dot(piece):
            out.append(Tok(s, e - 1, piece[:-1], piece[:-1].lower(), True))
            out.append(Tok(e - 1, e, ".", ".", False))
            continue
        is_word = piece[0].isalnum() or piece[0] == "_"
        out.append(Tok(s, e, piece, piece.lower(), is_word))
    return out


def _keeps_dot(piece: str) -> bool:
    """Sen. / U.S. / J. keep their full stop; a sentence's last word does not."""
    body = piece[:-1]
    if body.lower() in ABBREVIATIONS:
        return True
    if len(body) == 1 and body.isupper():
        return True  # an initial: John F. Kennedy
    return "." in body and all(len(p) <= 2 for p in body.split("."))  # U.S., D.C., a.m.


def sentence_bounds(
    text: str, toks: list[Tok], closing_marks: set[int] | None = None
) -> list[tuple[int, int]]:
    """Sentences as [first token, last token + 1) index pairs, in order, covering every token.

    `closing_marks` holds the end offsets of closing quotation marks (from the quote scanner):
    a full stop followed by one of those ends the sentence after it; any other quotation mark
    after a full stop opens the next sentence."""
    closing = closing_marks or set()
    bounds: list[tuple[int, int]] = []
    first = 0
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        end_here = False
        if i + 1 < n and "\n" in text[t.end : toks[i + 1].start]:
            end_here = True
        elif not t.word and t.text in _END:
            j = i + 1
            while j < n and not toks[j].word and _closes(toks[j], closing):
                if "\n" in text[toks[j - 1].end : toks[j].start]:
                    break
                j += 1
            if j >= n:
                i = n - 1
                end_here = True
            else:
                nxt = toks[j]
                gap = text[toks[j - 1].end : nxt.start]
                if gap and (
                    nxt.text[0].isupper() or nxt.text[0].isdigit() or nxt.text in MARK_CHARS
                ):
                    i = j - 1
                    end_here = True
        if end_here or i == n - 1:
            bounds.append((first, i + 1))
            first = i + 1
        i += 1
    return bounds


def _closes(t: Tok, closing: set[int]) -> bool:
    if t.text in _END or t.text in ")]}":
        return True
    return t.text in MARK_CHARS and t.end in closing


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """[start, end) of every non-empty line (news text stores one paragraph per line)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out
