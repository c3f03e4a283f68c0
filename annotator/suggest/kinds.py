"""The kind of a content from the quotation marks around its words.

direct: every word of the content is inside a quotation; mixed: some are; indirect: none.
Unlike a guess from the selected characters alone, the quotations are found over the whole
text, so an apostrophe (don’t, voters’) never makes a quote and a selection made inside the
marks still counts as direct.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from annotator.model import Kind, Span
from annotator.suggest.quotes import QuoteMap

_WORD = re.compile(r"\w+")


def kind_of(text: str, content: Iterable[Span], quotes: QuoteMap) -> Kind:
    inside = outside = 0
    for span in content:
        for m in _WORD.finditer(text, span.start, span.end):
            if quotes.inside(m.start()):
                inside += 1
            else:
                outside += 1
    if inside and not outside:
        return Kind.DIRECT
    if inside:
        return Kind.MIXED
    return Kind.INDIRECT
