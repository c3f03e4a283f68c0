"""Pure span helpers for making a selection into a clean span (no Qt)."""

from __future__ import annotations

import unicodedata


def is_word_char(ch: str) -> bool:
    """Letters, digits, combining marks and joiners belong to words."""
    if ch.isalnum() or ch in "_\u200c\u200d":
        return True
    return unicodedata.category(ch) in ("Mn", "Mc", "Me")


def _inner_apostrophe(text: str, i: int) -> bool:
    """An apostrophe between two letters (Iran's, don't) is part of the word."""
    return (
        text[i] in "'\u2019"
        and 0 < i < len(text) - 1
        and is_word_char(text[i - 1])
        and is_word_char(text[i + 1])
    )


def _word_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (is_word_char(text[i]) or _inner_apostrophe(text, i))


def snap_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim outer whitespace, then widen both ends to whole words.

    Returns None when nothing but whitespace is selected. Punctuation at the edges (quotation
    marks, a final period) is kept as selected: it tells direct quotes from reported speech.
    """
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    while start > 0 and _word_at(text, start) and _word_at(text, start - 1):
        start -= 1
    while end < len(text) and _word_at(text, end - 1) and _word_at(text, end):
        end += 1
    return start, end


def next_word_end(text: str, i: int) -> int:
    """Where Ctrl+Shift+Right takes a selection's end: the end of the next word (of this one,
    from inside a word). Qt's own stop, the start of the next word, adds only a space to a
    selection already snapped to a word end."""
    n = len(text)
    while i < n and not _word_at(text, i):
        i += 1
    while i < n and _word_at(text, i):
        i += 1
    return i
