"""The rules' working record: spans in offsets, the speaker mention, the rule and its score."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from annotator.model import Kind
from annotator.suggest.lexicon import Lexicon
from annotator.suggest.mentions import Mention
from annotator.suggest.quotes import QuoteMap, QuoteRegion, find_quotes
from annotator.suggest.tokens import Tok, paragraph_bounds, sentence_bounds, tokenize


@dataclass
class Draft:
    content: list[tuple[int, int]]
    rule: str
    confidence: float
    cue: tuple[int, int] | None = None
    mention: Mention | None = None
    follows: Draft | None = None  # same speaker as this earlier draft (continuations)
    kind: Kind | None = None  # when the quotation marks cannot tell (dash-introduced speech)
    speaker: object = None  # filled by speaker resolution

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)


@dataclass
class Doc:
    """A document prepared once for all rules: tokens, sentences, quotations."""

    text: str
    lex: Lexicon
    toks: list[Tok] = field(init=False)
    starts: list[int] = field(init=False)
    sentences: list[tuple[int, int]] = field(init=False)
    paragraphs: list[tuple[int, int]] = field(init=False)
    quotes: QuoteMap = field(init=False)
    regions: list[QuoteRegion] = field(init=False)

    def __post_init__(self) -> None:
        self.toks = tokenize(self.text)
        self.starts = [t.start for t in self.toks]
        every = find_quotes(self.text)
        self.quotes = QuoteMap(self.text, every)
        self.regions = self.quotes.regions
        self.sentences = sentence_bounds(self.text, self.toks, {r.end for r in every})
        self.paragraphs = paragraph_bounds(self.text)

    def tok_at_or_after(self, offset: int) -> int:
        """Index of the first token starting at or after `offset`."""
        return bisect_left(self.starts, offset)

    def paragraph_of(self, offset: int) -> tuple[int, int]:
        lo, hi = 0, len(self.paragraphs)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.paragraphs[mid][1] < offset:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.paragraphs):
            return self.paragraphs[lo]
        return (0, len(self.text))

    def paragraph_tokens(self, offset: int) -> tuple[int, int]:
        ps, pe = self.paragraph_of(offset)
        return self.tok_at_or_after(ps), self.tok_at_or_after(pe)

    def sentence_of_token(self, i: int) -> tuple[int, int]:
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.sentences[mid][1] <= i:
                lo = mid + 1
            else:
                hi = mid
        return self.sentences[lo] if lo < len(self.sentences) else (i, i + 1)

    def words_in(self, start: int, end: int) -> int:
        a, b = self.tok_at_or_after(start), self.tok_at_or_after(end)
        return sum(1 for t in self.toks[a:b] if t.word)
