"""Pure guesses that pre-fill an attribution: its kind and its speaker for a pronoun mention."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from annotator.matching import fold
from annotator.model import Kind, Span

# Double quotation marks of the languages we see, plus guillemets and CJK corner brackets.
OPENING_QUOTES = '"\u201c\u201e\u00ab\u2039\u300c\u300e\u201f'
CLOSING_QUOTES = '"\u201d\u201c\u00bb\u203a\u300d\u300f'
QUOTES = set(OPENING_QUOTES + CLOSING_QUOTES)
_TRAILING = ".,;:!?\u2026)"

# English, then French, German, Spanish, Polish, Turkish/Azerbaijani; folded (no accents)
_PRONOUN_WORDS = (
    "he she they it his her hers their theirs him them its we our us i my me you your "
    "il elle ils elles lui leur eux er sie ihr ihm ihn ihnen sein seine ihre "
    "el ella ellos ellas su sus on ona oni jego jej ich o onlar onun"
)
PRONOUNS = frozenset(_PRONOUN_WORDS.split()) | {"the latter", "the former"}


def is_pronoun(mention: str) -> bool:
    """`He`, `his`, `the latter`: a mention that names nobody by itself."""
    return fold(mention).strip(".,;:") in PRONOUNS


def guess_kind(content: str, before: str = "", after: str = "") -> Kind:
    """direct: the content is wholly inside quotation marks; mixed: partly; else indirect.

    `before` / `after` are the characters just outside the span, so a selection made inside
    the quotation marks still counts as direct.
    """
    body = content.strip()
    if not body:
        return Kind.INDIRECT
    tail = body.rstrip(_TRAILING) or body
    starts_quoted = body[0] in QUOTES or before[-1:] in QUOTES
    ends_quoted = tail[-1] in QUOTES or after[:1] in QUOTES or body[-1] in QUOTES
    if starts_quoted and ends_quoted:
        return Kind.DIRECT
    if any(ch in QUOTES for ch in body):
        return Kind.MIXED
    return Kind.INDIRECT


class Quoted(Protocol):
    """What recent_speaker reads of an attribution (a record, or the workspace's summary)."""

    @property
    def speaker_id(self) -> str | None: ...
    @property
    def mention(self) -> Span | None: ...
    @property
    def start(self) -> int: ...


def recent_speaker(records: Iterable[Quoted], before: int) -> str | None:
    """The speaker of the attribution nearest before offset `before` (by mention, else content)."""
    best: tuple[int, str] | None = None
    for rec in records:
        if rec.speaker_id is None:
            continue
        anchor = rec.mention.start if rec.mention is not None else rec.start
        if anchor < before and (best is None or anchor > best[0]):
            best = (anchor, rec.speaker_id)
    return best[1] if best else None
