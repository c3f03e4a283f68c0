"""Tokens and one BIO layer for token-classification formats (CoNLL, HF token rows).

Tokens are words or single punctuation marks (a regex; for languages written without spaces,
such as Chinese, Japanese or Thai, each character of their script); sentences come from
context.sentence_bounds. One layer means one tag per token: where spans of different
attributions overlap (a quote inside a quote, a mention inside another quote), the earlier,
longer span wins and the others are counted as left out. Every sentence (row) is a sequence of its
own: a span that crosses a sentence boundary restarts with `B-` in the next sentence, so readers
that take each row alone (seqeval, HF token classification) see no chunk that starts with `I-`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.exporting.context import sentence_bounds
from annotator.model import AttributionRecord

_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
# Languages written without spaces between words: each character of their script is a token
# (the usual unit of Chinese/Japanese/Thai token classification); other words stay whole.
UNSPACED_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
_UNSPACED = (
    "\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff"
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
)
_TOKEN_BY_CHARACTER = re.compile(rf"[{_UNSPACED}]|(?:(?![{_UNSPACED}])\w)+|[^\w\s]")


def token_pattern(language: str) -> re.Pattern[str]:
    """The tokenizer for a document's language (ISO code, as detected at import)."""
    base = (language or "").split("-")[0].lower()
    return _TOKEN_BY_CHARACTER if base in UNSPACED_LANGUAGES else _TOKEN


LABELS = ("CONTENT", "CUE", "SOURCE")
TAGS = ("O", *(f"{p}-{lab}" for lab in LABELS for p in ("B", "I")))
TAG_IDS = {t: i for i, t in enumerate(TAGS)}


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def layer_spans(records: list[AttributionRecord]) -> tuple[list[tuple[int, int, str]], int]:
    """Non-overlapping (start, end, label) spans of all attributions, and how many were left out."""
    spans: list[tuple[int, int, str]] = []
    for r in records:
        spans += [(s.start, s.end, "CONTENT") for s in r.content]
        if r.cue is not None:
            spans.append((r.cue.start, r.cue.end, "CUE"))
        if r.mention is not None:
            spans.append((r.mention.start, r.mention.end, "SOURCE"))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0]), s[2]))
    kept: list[tuple[int, int, str]] = []
    dropped = 0
    for span in spans:
        if kept and span[0] < kept[-1][1]:
            dropped += span != kept[-1]  # an exact repeat (shared mention) is not a loss
            continue
        kept.append(span)
    return kept, dropped


def tag_sentences(
    text: str, records: list[AttributionRecord], language: str = ""
) -> tuple[list[list[tuple[Token, str]]], int]:
    """Sentences of (token, BIO tag); a token touching a span is inside it ("expand")."""
    spans, dropped = layer_spans(records)
    sentences: list[list[tuple[Token, str]]] = []
    current: list[tuple[Token, str]] = []
    ends = iter(sentence_bounds(text))
    sent_end = next(ends)
    k = 0
    open_span = -1
    for m in token_pattern(language).finditer(text):
        tok = Token(m.start(), m.end(), m.group())
        while tok.start >= sent_end:
            if current:
                sentences.append(current)
                current = []
                open_span = -1  # a span crossing the boundary restarts with B- in the next row
            sent_end = next(ends, len(text) + 1)
        while k < len(spans) and spans[k][1] <= tok.start:
            k += 1
        tag = "O"
        if k < len(spans) and spans[k][0] < tok.end:
            tag = ("I-" if open_span == k else "B-") + spans[k][2]
            open_span = k
        current.append((tok, tag))
    if current:
        sentences.append(current)
    return sentences, dropped
