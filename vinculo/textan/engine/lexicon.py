"""Lexicons and rules as one longest-match phrase matcher.

A lexicon line is ``term<TAB>valence<TAB>emotions`` (sentiment) or ``term<TAB>kind<TAB>factor``
(modifiers). A term is a word, a stem with a trailing ``*`` (``amabl*``), or a phrase of such
elements; ``#`` stands for any number ("llevo # semanas"). Matching is on folded words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from vinculo.textan.engine.text import Kind, Token, fold_term, superlative_bases, unelongated

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"
ENGINE_VERSION = "1"
EMOTIONS = (
    "joy",
    "trust",
    "gratitude",
    "surprise",
    "anger",
    "frustration",
    "sadness",
    "fear",
    "disappointment",
)
# Words that stand for a number in rules such as "llevo # semanas" / "# times".
_NUMBERS = (
    "un una uno dos tres cuatro cinco seis siete ocho nueve diez quince veinte varios varias "
    "muchos muchas a an one two three four five six seven eight nine ten fifteen twenty "
    "several many"
)
NUMBER_WORDS = frozenset(_NUMBERS.split())
MIN_STEM = 3


class Role:
    SENTIMENT = "sentiment"
    NEGATOR = "negator"
    BOOSTER = "booster"
    DIMINISHER = "diminisher"
    CONTRAST = "contrast"
    REQUEST = "request"  # "por favor", "could you": a text asking for something
    TOPIC = "topic"


MODIFIER_ROLES = {Role.NEGATOR, Role.BOOSTER, Role.DIMINISHER, Role.CONTRAST, Role.REQUEST}


class LexiconError(ValueError):
    """A lexicon or rule line that cannot be read; names the file and line."""


@dataclass(frozen=True, slots=True)
class Element:
    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    term: str
    role: str
    elements: tuple[Element, ...]
    valence: float = 0.0
    factor: float = 1.0
    emotions: tuple[tuple[str, float], ...] = ()
    ref: object = None  # what a topic rule points at

    @property
    def size(self) -> int:
        return len(self.elements)


def parse_term(term: str) -> tuple[Element, ...]:
    elements = []
    for part in fold_term(term).replace("\ufe0f", "").split(" "):
        if part.endswith("*") and len(part) > 1:
            stem = part[:-1]
            if len(stem) < MIN_STEM:
                raise ValueError(f"stem '{part}' is shorter than {MIN_STEM} letters")
            elements.append(Element(stem, prefix=True))
        else:
            elements.append(Element(part))
    if not elements or not elements[0].text:
        raise ValueError("empty term")
    return tuple(elements)


class _Node:
    """A step of the phrase trie: the words that may come next, and the entries that end
    here (in the order they were listed)."""

    __slots__ = ("ending", "exact", "number", "stems")

    def __init__(self) -> None:
        self.exact: dict[str, _Node] = {}
        self.stems: dict[str, _Node] = {}
        self.number: _Node | None = None
        self.ending: list[Entry] = []

    def child(self, element: Element) -> _Node:
        if element.text == "#":
            if self.number is None:
                self.number = _Node()
            return self.number
        index = self.stems if element.prefix else self.exact
        if element.text not in index:
            index[element.text] = _Node()
        return index[element.text]

    def next(self, token: Token) -> list[_Node]:
        """The steps this token can take from here: its word, then stems, then numbers."""
        found: list[_Node] = []
        if token.kind == Kind.NUMBER:
            return [self.number] if self.number is not None else []
        if token.kind not in (Kind.WORD, Kind.EMOJI):
            return found
        word = token.text
        step = self.exact.get(word)
        if step is None:
            for spelling in (*unelongated(word), *superlative_bases(word)):
                if (step := self.exact.get(spelling)) is not None:
                    break
        if step is not None:
            found.append(step)
        if self.stems:
            for length in range(len(word), MIN_STEM - 1, -1):
                if (step := self.stems.get(word[:length])) is not None:
                    found.append(step)
        if self.number is not None and word in NUMBER_WORDS:
            found.append(self.number)
        return found


class Matcher:
    """Terms and phrases in a trie of words: finding what starts at a token takes as many
    steps as the phrase is long, however many phrases share its first word. The first
    step of each word is cached, as customers use few words many times."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = list(entries)
        self._root = _Node()
        self._first: dict[tuple[str, str], list[_Node]] = {}
        for entry in self.entries:
            node = self._root
            for element in entry.elements:
                node = node.child(element)
            node.ending.append(entry)

    def _starts(self, token: Token) -> list[_Node]:
        key = (token.kind, token.text)
        cached = self._first.get(key)
        if cached is None:
            if len(self._first) > 200_000:  # a long stream of rare words: start afresh
                self._first.clear()
            cached = self._first[key] = self._root.next(token)
        return cached

    def _walk(self, found: Sequence[Token], at: int) -> list[tuple[int, list[Entry]]]:
        """(size, entries) of every match starting at ``at``, shortest first."""
        matches: list[tuple[int, list[Entry]]] = []
        frontier = self._starts(found[at])
        size = 1
        while frontier:
            ending = [e for node in frontier for e in node.ending]
            if ending:
                matches.append((size, ending))
            if at + size >= len(found):
                break
            token = found[at + size]
            frontier = [step for node in frontier for step in node.next(token)]
            size += 1
        return matches

    def longest_at(self, found: Sequence[Token], at: int) -> Entry | None:
        matches = self._walk(found, at)
        return matches[-1][1][0] if matches else None

    def all_at(self, found: Sequence[Token], at: int) -> list[Entry]:
        return [entry for _size, entries in reversed(self._walk(found, at)) for entry in entries]


def _rows(path: Path) -> Iterable[tuple[int, list[str]]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line.rstrip("\n").split("\t")


def _emotions(cell: str) -> tuple[tuple[str, float], ...]:
    pairs = []
    for item in filter(None, (p.strip() for p in cell.split(","))):
        name, _, weight = item.partition(":")
        if name not in EMOTIONS:
            raise ValueError(f"unknown emotion '{name}'")
        pairs.append((name, float(weight or 1)))
    return tuple(pairs)


def read_sentiment(path: Path) -> list[Entry]:
    entries = []
    for number, cells in _rows(path):
        try:
            term, valence = cells[0], float(cells[1])
            if not -4 <= valence <= 4:
                raise ValueError(f"valence {valence} outside -4..4")
            emotions = _emotions(cells[2] if len(cells) > 2 else "")
            entries.append(
                Entry(term, Role.SENTIMENT, parse_term(term), valence, emotions=emotions)
            )
        except (IndexError, ValueError) as error:
            raise LexiconError(f"{path.name}, line {number}: {error}") from error
    return entries


def read_modifiers(path: Path) -> list[Entry]:
    entries = []
    for number, cells in _rows(path):
        try:
            term, role, factor = cells[0], cells[1].strip(), float(cells[2])
            if role not in MODIFIER_ROLES:
                raise ValueError(f"unknown kind '{role}'")
            entries.append(Entry(term, role, parse_term(term), factor=factor))
        except (IndexError, ValueError) as error:
            raise LexiconError(f"{path.name}, line {number}: {error}") from error
    return entries


@dataclass(frozen=True)
class Lexicon:
    language: str
    matcher: Matcher
    words: frozenset[str]  # single words and stopwords: what says "this is my language"
    negators: frozenset[str]  # a phrase holding one of these is not negated again


@cache
def lexicon(language: str) -> Lexicon:
    folder = LEXICONS / language
    entries = [
        *read_sentiment(folder / "sentiment.tsv"),
        *read_sentiment(folder / "tuned.tsv"),
        *read_sentiment(LEXICONS / "emoji.tsv"),
        *read_modifiers(folder / "modifiers.tsv"),
    ]
    # A term listed twice in the same role: the later file wins (tuned.tsv over the first).
    unique = list({(e.elements, e.role == Role.SENTIMENT): e for e in entries}.values())
    words = {e.elements[0].text for e in unique if e.size == 1 and not e.elements[0].prefix}
    words |= stopwords(language)
    negators = {e.elements[0].text for e in unique if e.role == Role.NEGATOR and e.size == 1}
    return Lexicon(
        language,
        Matcher(unique),
        frozenset(w for w in words if w.isalpha()),
        frozenset(negators),
    )


@cache
def stopwords(language: str) -> frozenset[str]:
    path = LEXICONS / language / "stopwords.txt"
    lines = path.read_text(encoding="utf-8").split()
    return frozenset(fold_term(w) for w in lines if not w.startswith("#"))


@cache
def version() -> str:
    """Changes whenever a lexicon file or the engine's rules change: analyses made with an
    older version are re-run."""
    digest = hashlib.sha256(ENGINE_VERSION.encode())
    for path in sorted(LEXICONS.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(LEXICONS).as_posix().encode())
            digest.update(path.read_bytes())
    return f"lex-{digest.hexdigest()[:10]}"
