"""Pure guesses that pre-fill an attribution: its kind and its speaker for a pronoun mention."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from annotator.kinds import guess_kind  # noqa: F401 - the one kind guesser, re-exported
from annotator.matching import fold
from annotator.model import Span

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
