"""Turning a comment into tokens that remember where they came from.

Matching works on *folded* text (lower case, accents removed), so "Pésimo", "pesimo" and
"PÉSIMO" are one word; every token keeps its offsets in the original text so the evidence
can be highlighted where the customer wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# Longest texts analysed, in characters: a 1 MB paste is read up to here (and says so).
MAX_CHARS = 20_000


class Kind:
    WORD = "w"
    NUMBER = "n"
    EMOJI = "e"
    STOP = "."  # ends a sentence: . ! ? and line breaks
    BREAK = ","  # ends a clause: , ; : and dashes
    QUESTION = "?"
    EXCLAIM = "!"


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # folded
    kind: str
    start: int  # offsets in the original text
    end: int
    caps: bool = False  # written in capitals (3+ letters), as emphasis


_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2764"
_TOKEN = re.compile(
    r"(?P<w>[a-z\u00f1][a-z0-9\u00f1]*(?:['\u2019][a-z]+)?)"
    r"|(?P<n>\d+(?:[.,]\d+)*)"
    r"|(?P<e>[" + _EMOJI + r"]\ufe0f?|<3|[:;=8][-']?[)(\]\[dp/\\|*]+|\bx+d+\b)"
    r"|(?P<q>\?+)|(?P<x>!+)|(?P<s>[.\u2026]+|\n+)|(?P<b>[,;:\u2013\u2014]|\s-\s)"
)
_SPEECH = {"w": Kind.WORD, "n": Kind.NUMBER, "e": Kind.EMOJI, "q": Kind.QUESTION}
_SPEECH |= {"x": Kind.EXCLAIM, "s": Kind.STOP, "b": Kind.BREAK}
_ELONGATED = re.compile(r"(.)\1{2,}")
# Spanish absolute superlatives, folded: "carísimo", "amabilísimas", "riquísimo".
_SUPERLATIVE = re.compile(r"^([a-zñ]{2,}?)(?:isim[oa]s?)$")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    lowered = ch.lower()
    if len(lowered) != 1:
        lowered = ch.casefold()[:1] or ch
    if lowered == "\u00f1" or ord(lowered) < 128:
        return lowered
    base = unicodedata.normalize("NFD", lowered)[0]
    return base if base.isascii() or base == "\u00f1" else lowered


def fold(text: str) -> str:
    """Lower case without accents (ñ kept), one character for one: offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text) and lowered.isascii():
        return lowered
    return "".join(_fold_char(ch) for ch in text)


def fold_term(term: str) -> str:
    """A lexicon or rule term as matching sees it (ñ folded like the text)."""
    return " ".join(fold(term).split())


def tokens(text: str) -> list[Token]:
    """The tokens of ``text`` (at most MAX_CHARS of it); spaces and other symbols dropped."""
    original = text[:MAX_CHARS]
    folded = fold(original)
    found: list[Token] = []
    for match in _TOKEN.finditer(folded):
        group = match.lastgroup or "w"
        start, end = match.span()
        word = match.group()
        caps = False
        if group == "w":
            written = original[start:end]
            caps = len(word) >= 3 and written.isupper()
        elif group == "e":
            word = word.replace("\ufe0f", "")
        elif group == "b":
            word = ","
        found.append(Token(word, _SPEECH[group], start, end, caps))
    return found


def word_runs(text: str) -> Iterator[list[tuple[str, int, int]]]:
    """The runs of adjacent words of ``text`` (at most MAX_CHARS of it), each word folded
    with its offsets: punctuation, numbers and emojis end a run. The same words as
    ``tokens`` finds, without building a Token for each (the words page reads thousands of
    texts twice)."""
    original = text[:MAX_CHARS]
    run: list[tuple[str, int, int]] = []
    for match in _TOKEN.finditer(fold(original)):
        if match.lastgroup == "w":
            run.append((match.group(), *match.span()))
        elif run:
            yield run
            run = []
    if run:
        yield run


def unelongated(word: str) -> list[str]:
    """Spellings to try for a word stretched for emphasis: "muuuy" -> muy, "goooood" -> good."""
    if not _ELONGATED.search(word):
        return []
    return [_ELONGATED.sub(r"\1\1", word), _ELONGATED.sub(r"\1", word)]


def is_superlative(word: str) -> bool:
    return _SUPERLATIVE.match(word) is not None


def superlative_bases(word: str) -> list[str]:
    """The adjectives a Spanish superlative can come from, folded: "carisimo" -> caro,
    "amabilisima" -> amable, "riquisimo" -> rico, "larguisimo" -> largo, "felicisimo" ->
    feliz, "facilisimo" -> facil. Most are not words; the lexicon tells which one is."""
    match = _SUPERLATIVE.match(word)
    if match is None:
        return []
    stem = match.group(1)
    plural = "s" if word.endswith("s") else ""
    feminine = word.rstrip("s").endswith("a")
    vowel = "a" if feminine else "o"
    bases = [stem + vowel + plural, stem + "e" + plural, stem + ("es" if plural else "")]
    if stem.endswith("abil"):
        bases.append(stem[:-4] + "able" + plural)
    if stem.endswith("qu"):
        bases.append(stem[:-2] + "c" + vowel + plural)
    if stem.endswith("gu"):
        bases.append(stem[:-1] + vowel + plural)
    if stem.endswith("c"):
        bases.append(stem[:-1] + "z")
    return bases
