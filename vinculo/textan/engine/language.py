"""Which language a comment is in: Spanish, English, another one, or none at all.

Most comments a CX team reads are in Spanish or English, and their own words say so: the
share of a text's words found only in the Spanish or only in the English word lists
decides at once. When those words are too few or too even (Portuguese and Catalan share
much of Spanish's function words), Lingua, a statistical detector that ships its models
inside its package, chooses among the languages customers of these companies also write.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from vinculo.textan.engine.lexicon import lexicon
from vinculo.textan.engine.text import Kind, Token


class Language:
    SPANISH = "es"
    ENGLISH = "en"
    OTHER = "other"  # a language the analytics do not read (Portuguese, French, ...)
    NONE = "und"  # no words at all: emojis, numbers, punctuation


CLEAR_SHARE = 0.5  # of a text's words found only in one language's lists
CLEAR_LEAD = 2  # ... and at least twice as many as the other's
LINGUA_CHARS = 600  # Lingua reads the start of long texts only; their start says enough


def detect(text: str, found: Sequence[Token]) -> str:
    words = [t.text for t in found if t.kind == Kind.WORD]
    if not words:
        return Language.OTHER if any(ch.isalpha() for ch in text) else Language.NONE
    spanish, english = lexicon(Language.SPANISH).words, lexicon(Language.ENGLISH).words
    es = sum(1 for w in words if w in spanish and w not in english)
    en = sum(1 for w in words if w in english and w not in spanish)
    lead, trail = max(es, en), min(es, en)
    winner = Language.SPANISH if es > en else Language.ENGLISH
    if lead >= CLEAR_LEAD * trail + 1 and lead >= CLEAR_SHARE * len(words):
        return winner
    guessed = _lingua(text[:LINGUA_CHARS])
    if guessed in (Language.SPANISH, Language.ENGLISH):
        return guessed
    if guessed is None:  # Lingua cannot tell either: a word or two, say
        return winner if lead > trail else Language.OTHER
    return Language.OTHER


def _lingua(text: str) -> str | None:
    found = _detector().detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found is not None else None


@cache
def _detector() -> Any:
    # Loaded on first need (a second, ~180 MB): most comments never get this far.
    from lingua import Language as L
    from lingua import LanguageDetectorBuilder

    languages = (L.SPANISH, L.ENGLISH, L.PORTUGUESE, L.CATALAN, L.FRENCH, L.ITALIAN, L.GERMAN)
    return LanguageDetectorBuilder.from_languages(*languages).build()
