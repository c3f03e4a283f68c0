"""Choosing the lexicon: the document's language, else a guess from its commonest words."""

from __future__ import annotations

import re
from functools import lru_cache

from annotator.suggest.lexicon import Lexicon, english
from annotator.suggest.lexicon_other import OTHER

# A few very frequent words per language; the one with most hits in the text wins.
_MARKERS = {
    "en": "the and of to that is was said with for",
    "fr": "le la les et des que est une dans pour",
    "de": "der die das und ist nicht mit sich den auch",
    "es": "el la los las que del por una con para",
    "it": "il che della per non una sono gli anche nel",
    "pt": "o que os da do uma para com não por",
    "pl": "i się nie że na jest to do jak w",
    "ru": "и в не что на с он как это по",
    "tr": "ve bir bu için ile da de olarak çok ama",
}
_WORDS = re.compile(r"\w+")
SUPPORTED = ("en", *OTHER)


@lru_cache(maxsize=16)
def lexicon(language: str) -> Lexicon:
    factory = OTHER.get(language)
    return factory() if factory is not None else english()


def guess_language(text: str) -> str:
    sample = [w.lower() for w in _WORDS.findall(text[:4000])]
    if not sample:
        return "en"
    counts = {}
    for lang, words in _MARKERS.items():
        marks = set(words.split())
        counts[lang] = sum(1 for w in sample if w in marks)
    return max(counts, key=lambda lang: (counts[lang], lang == "en"))


def lexicon_for(language: str, text: str) -> Lexicon:
    """The stated language's lexicon ("en", "fr-FR", "de_AT"...), else the guessed one."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    if code not in SUPPORTED:
        code = guess_language(text)
    return lexicon(code)
