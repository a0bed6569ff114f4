"""The words and phrases customers use, counted honestly: in how many texts each appears
(its share with a Wilson interval), how those texts feel (mean score with a t interval,
the emotion most of them carry), and which terms go with texts that are more negative or
more positive than the rest (an odds ratio whose interval excludes 1).

Texts are those of the insights (``insights.analyses``: feedback items and customer
survey comments the actor may see, filtered), the most recent ``LIMIT`` of them, each up
to ``TEXT_CHARS`` characters. Counting is on folded words (case and accents), shown as
customers most often wrote them. See docs/textan.md, "Words and phrases".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

from django.db.models import F
from django.db.models.functions import Coalesce, Substr
from scipy import stats as sps

from vinculo.accounts.actors import Actor
from vinculo.metrics.stats import CONFIDENCE, Estimate, proportion
from vinculo.textan.choices import Sentiment
from vinculo.textan.engine.lexicon import EMOTIONS, NUMBER_WORDS, Role, lexicon, stopwords
from vinculo.textan.engine.text import Kind, Token, word_runs
from vinculo.textan.insights import InsightFilter, analyses, mean_score
from vinculo.textan.queries import place_words

LIMIT = 20_000  # most recent texts read
TEXT_CHARS = 5_000  # of each text: a term counts once per text, so the start says enough
MIN_WORD = 3  # letters of a word counted on its own
MAX_WORDS = 3  # longest phrase
MAX_KEYS = 200_000  # distinct terms held while counting; the rarest are pruned beyond it
MAX_CANDIDATES = 5_000  # terms whose texts are measured (the most frequent)
SHOWN = 60  # words, and phrases, listed
POOL = 200  # most frequent terms tested as drivers
DRIVERS = 15  # drivers listed each way
NEGATIVE = frozenset({Sentiment.NEGATIVE, Sentiment.VERY_NEGATIVE})
POSITIVE = frozenset({Sentiment.POSITIVE, Sentiment.VERY_POSITIVE})
LANGUAGES = ("es", "en")


class Doc(NamedTuple):
    text: str
    language: str
    score: float
    sentiment: str
    emotions: dict[str, float]


@dataclass(frozen=True)
class Vocabulary:
    barred: frozenset[str]  # stopwords, number words and negators: never a word alone
    negators: frozenset[str]  # may open a phrase ("no funciona")

    def content(self, word: str) -> bool:
        return len(word) >= MIN_WORD and word.isalpha() and word not in self.barred


@cache
def vocabulary(language: str) -> Vocabulary:
    """Stopwords and negators of the text's language; of both for any other."""
    languages = (language,) if language in LANGUAGES else LANGUAGES
    barred: set[str] = set(NUMBER_WORDS)
    negators: set[str] = set()
    for code in languages:
        barred |= stopwords(code)
        negators |= lexicon(code).negators
    return Vocabulary(frozenset(barred | negators), frozenset(negators))


def terms_of(text: str, language: str) -> dict[str, str]:
    """The distinct terms of a text, folded, each with the spelling written (the first
    time). A word: a content word (3+ letters, not a stopword, number word or negator). A
    phrase: 2..MAX_WORDS adjacent words of one clause (punctuation, numbers and emojis
    end it) that ends on a content word and starts on one or on a negator; stopwords may
    stand between ("tiempo de espera")."""
    vocab = vocabulary(language)
    found: dict[str, str] = {}
    for run in word_runs(text):
        words = [word for word, _start, _end in run]
        written = [text[start:end] for _word, start, end in run]
        content = [vocab.content(w) for w in words]
        for i, word in enumerate(words):
            if content[i]:
                found.setdefault(word, written[i])
            elif word not in vocab.negators:
                continue
            for j in range(i + 1, min(i + MAX_WORDS, len(words))):
                if content[j]:
                    key = " ".join(words[i : j + 1])
                    if key not in found:
                        found[key] = " ".join(written[i : j + 1])
    return found


class PrunedCounter:
    """Texts per term in bounded memory (lossy counting, Manku and Motwani 2002).

    Beyond ``cap`` distinct terms, those with the fewest texts are dropped and ``floor``
    rises to the most a dropped term can have had; a term seen again after that starts
    with ``floor`` as its slack. So ``upper(term)`` never underestimates, and a term no
    longer held was in at most ``floor`` texts: while ``floor`` stays below a threshold,
    every term at or above it is among ``at_least(threshold)``."""

    def __init__(self, cap: int = MAX_KEYS) -> None:
        self.cap = cap
        self.floor = 0
        self.counts: dict[str, int] = {}
        self.slack: dict[str, int] = {}

    def add(self, keys: Iterable[str]) -> None:
        counts = self.counts
        for key in keys:
            seen = counts.get(key)
            if seen is None:
                counts[key] = 1
                if self.floor:
                    self.slack[key] = self.floor
            else:
                counts[key] = seen + 1
        if len(counts) > self.cap:
            self._prune()

    def upper(self, key: str) -> int:
        """The most texts a held term can be in."""
        return self.counts[key] + self.slack.get(key, 0)

    def _prune(self) -> None:
        bounds = Counter(self.upper(k) for k in self.counts)
        left = len(self.counts)
        for bound in sorted(bounds):
            if left <= self.cap // 2:
                break
            left -= bounds[bound]
            self.floor = max(self.floor, bound)
        for key in [k for k in self.counts if self.upper(k) <= self.floor]:
            del self.counts[key]
            self.slack.pop(key, None)

    def at_least(self, threshold: int, most: int) -> set[str]:
        """Terms that may be in ``threshold`` texts or more: the ``most`` most frequent."""
        found = [(self.upper(k), k) for k in self.counts if self.upper(k) >= threshold]
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        return {k for _bound, k in found[:most]}


@dataclass(slots=True)
class Tally:
    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0
    negative: int = 0
    positive: int = 0
    emotions: list[int] = field(default_factory=lambda: [0] * len(EMOTIONS))
    spellings: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Term:
    key: str  # folded
    text: str  # as customers most often wrote it
    words: int
    n: int  # texts with it
    share: Estimate  # percent of the texts read, Wilson interval
    score: Estimate  # mean sentiment score of its texts, t interval
    emotion: str | None  # the emotion most of its texts carry
    emotion_count: int
    negative: int  # its texts read negative or very negative
    positive: int
    circular: bool  # every word is a sentiment word: it makes the score it would "drive"


@dataclass(frozen=True)
class Driver:
    term: Term
    outcome: str  # "negative" or "positive"
    with_term: Estimate  # percent of its texts with the outcome
    without: Estimate  # percent of the other texts with the outcome
    odds_ratio: float
    low: float  # interval adjusted for the terms tested (Benjamini-Yekutieli)
    high: float


@dataclass
class WordView:
    n: int  # texts read
    min_sample: int
    complete: bool  # no term in min_sample texts or more can have been pruned unseen
    words: list[Term] = field(default_factory=list)
    phrases: list[Term] = field(default_factory=list)
    negative: list[Driver] = field(default_factory=list)
    positive: list[Driver] = field(default_factory=list)
    tested: int = 0  # terms tested as drivers (each both ways)
    total: int = 0  # texts in the filter, of which the most recent ``limit`` were read
    limit: int = LIMIT


def count_words(
    read: Callable[[], Iterable[Doc]],
    min_sample: int,
    cap: int = MAX_KEYS,
    places: frozenset[str] = frozenset(),
) -> WordView:
    """Two passes over the texts ``read()`` gives: the first finds the terms that may be in
    ``min_sample`` texts or more (bounded memory), the second measures exactly those.
    Terms holding a word of ``places`` (the units' names) are counted but not tested as
    drivers: texts naming a store differ as that store differs, which the breakdown by
    unit shows, and "Madrid" is not a reason customers are unhappy."""
    threshold = max(1, min_sample)
    counter = PrunedCounter(cap)
    for doc in read():
        counter.add(terms_of(doc.text, doc.language))
    candidates = counter.at_least(threshold, MAX_CANDIDATES)
    tallies = {key: Tally() for key in candidates}
    emotion_index = {name: i for i, name in enumerate(EMOTIONS)}
    n = negative = positive = 0
    for doc in read():
        n += 1
        negative += doc.sentiment in NEGATIVE
        positive += doc.sentiment in POSITIVE
        for key, spelling in terms_of(doc.text, doc.language).items():
            tally = tallies.get(key)
            if tally is None:
                continue
            tally.n += 1
            tally.total += doc.score
            tally.total_sq += doc.score * doc.score
            tally.negative += doc.sentiment in NEGATIVE
            tally.positive += doc.sentiment in POSITIVE
            tally.spellings[spelling] += 1
            for name in doc.emotions:
                if name in emotion_index:
                    tally.emotions[emotion_index[name]] += 1
    view = WordView(n, min_sample, counter.floor < threshold)
    found = [_term(k, t, n) for k, t in tallies.items() if t.n >= threshold]
    found.sort(key=lambda t: (-t.n, t.key))
    words = [t for t in found if t.words == 1]
    phrases = closed([t for t in found if t.words > 1])
    view.words, view.phrases = words[:SHOWN], phrases[:SHOWN]
    # Drivers: the most frequent terms, each with enough texts on both sides.
    kept = {t.key for t in phrases}
    pool = [t for t in found if t.words == 1 or t.key in kept]
    pool = [
        t
        for t in pool
        if not t.circular and n - t.n >= threshold and places.isdisjoint(t.key.split())
    ][:POOL]
    view.tested = len(pool)
    worse, better = drivers(pool, n, negative, positive)
    view.negative, view.positive = worse[:DRIVERS], better[:DRIVERS]
    return view


def _term(key: str, tally: Tally, n: int) -> Term:
    # The emotion most of its texts carry; the first in EMOTIONS' order on a tie.
    count, first = max((c, -i) for i, c in enumerate(tally.emotions))
    spelling = max(tally.spellings.items(), key=lambda kv: (kv[1], kv[0].islower()))[0]
    return Term(
        key,
        spelling,
        key.count(" ") + 1,
        tally.n,
        proportion(tally.n, n),
        mean_score(tally.n, tally.total, tally.total_sq),
        EMOTIONS[-first] if count else None,
        count,
        tally.negative,
        tally.positive,
        circular(key),
    )


def closed(phrases: list[Term]) -> list[Term]:
    """The phrases that say something their longer phrases do not: a phrase found in
    exactly the texts of a longer one holding it ("servicio tecnico", always inside
    "pesimo servicio tecnico") is left out. Order kept."""
    n = {t.key: t.n for t in phrases}
    inside: set[str] = set()
    for t in phrases:
        words = t.key.split(" ")
        for size in range(2, len(words)):
            for start in range(len(words) - size + 1):
                part = " ".join(words[start : start + size])
                if n.get(part) == t.n:
                    inside.add(part)
    return [t for t in phrases if t.key not in inside]


@lru_cache(maxsize=20_000)
def sentiment_word(word: str) -> bool:
    """Whether a sentiment lexicon (either language) scores this word on its own."""
    token = Token(word, Kind.WORD, 0, len(word))
    return any(
        entry.role == Role.SENTIMENT
        for code in LANGUAGES
        for entry in lexicon(code).matcher.all_at([token], 0)
    )


def circular(key: str) -> bool:
    """A term all of whose content words are sentiment words ("fatal", "no recomiendo"):
    its texts are negative because the score read it, which says nothing new."""
    vocab = vocabulary("")
    words = [w for w in key.split(" ") if vocab.content(w)]
    return bool(words) and all(sentiment_word(w) for w in words)


def log_odds_ratio(a: int, b: int, c: int, d: int) -> tuple[float, float]:
    """The log odds ratio of a 2x2 table and its standard error (Woolf), on the counts
    plus one half each (Haldane-Anscombe) so that an empty cell stays finite: ``a``/``b``
    texts with the term with/without the outcome, ``c``/``d`` the other texts."""
    a5, b5, c5, d5 = a + 0.5, b + 0.5, c + 0.5, d + 0.5
    return math.log((a5 * d5) / (b5 * c5)), math.sqrt(1 / a5 + 1 / b5 + 1 / c5 + 1 / d5)


def benjamini_hochberg(p_values: list[float], q: float = 1 - CONFIDENCE) -> int:
    """How many of the tests the Benjamini-Hochberg procedure rejects at false
    discovery rate ``q``: the largest R with the R-th smallest p-value <= R q / m."""
    m = len(p_values)
    rejected = 0
    for rank, p in enumerate(sorted(p_values), start=1):
        if p <= rank * q / m:
            rejected = rank
    return rejected


def drivers(
    pool: list[Term], n: int, negative: int, positive: int
) -> tuple[list[Driver], list[Driver]]:
    """The terms whose texts are negative (``negative`` of the ``n`` texts are), or
    positive, more often than the other texts. Each term is tested both ways (Wald test
    of the log odds ratio); Benjamini-Hochberg selects at a 5% false discovery rate, and
    the selected get Benjamini-Yekutieli intervals (level 1 - R q / m), which exclude 1
    exactly for them. Listed: odds ratio above 1, largest first."""
    tests = []
    for term in pool:
        for outcome, hits, total in (
            ("negative", term.negative, negative),
            ("positive", term.positive, positive),
        ):
            a, b = hits, term.n - hits
            c, d = total - hits, n - term.n - (total - hits)
            log, se = log_odds_ratio(a, b, c, d)
            p = 2 * float(sps.norm.sf(abs(log) / se))
            tests.append((p, log, se, term, outcome, a, c))
    rejected = benjamini_hochberg([t[0] for t in tests])
    if not rejected:
        return [], []
    level = rejected * (1 - CONFIDENCE) / len(tests)
    z = float(sps.norm.ppf(1 - level / 2))
    found: dict[str, list[Driver]] = {"negative": [], "positive": []}
    for p, log, se, term, outcome, a, c in tests:
        if p <= level and log > 0:
            found[outcome].append(
                Driver(
                    term,
                    outcome,
                    proportion(a, term.n),
                    proportion(c, n - term.n),
                    math.exp(log),
                    math.exp(log - z * se),
                    math.exp(log + z * se),
                )
            )
    for listed in found.values():
        listed.sort(key=lambda d: (-d.odds_ratio, -d.term.n, d.term.key))
    return found["negative"], found["positive"]


# -- reading them ------------------------------------------------------------------------


def documents(actor: Actor, f: InsightFilter, limit: int = LIMIT) -> Callable[[], Iterable[Doc]]:
    """The most recent ``limit`` texts in scope (each up to TEXT_CHARS), read from the
    database each time the result is called, in chunks, so they are never all held."""
    rows = (
        analyses(actor, f)
        .annotate(body=Substr(Coalesce("feedback__text", "answer__text"), 1, TEXT_CHARS))
        .order_by(F("written").desc(nulls_last=True), "-pk")
        .values_list("body", "language", "score", "sentiment", "emotions")
    )

    def read() -> Iterable[Doc]:
        for body, language, score, sentiment, emotions in rows[:limit].iterator(2_000):
            yield Doc(body or "", language, score, sentiment, emotions or {})

    return read


def word_view(actor: Actor, f: InsightFilter, limit: int = LIMIT) -> WordView:
    """Words, phrases and drivers of the texts in scope (the most recent ``limit``)."""
    view = count_words(documents(actor, f, limit), f.min_sample, places=place_words())
    view.total = analyses(actor, f).count()
    view.limit = limit
    return view
