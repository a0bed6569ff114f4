"""Sentiment and emotions from a lexicon, with the grammar that changes what words mean.

The method is the one VADER made standard for short opinion texts (Hutto & Gilbert, 2014),
rebuilt for Spanish and English customer comments:

- each lexicon term found (longest phrase first) adds its valence and emotions;
- a negator up to three words before flips and damps it ("no es bueno" = -0.7 x bueno);
  a second negator in the same reach is Spanish concord, not a double negative, and
  stresses instead ("no estoy nada contento"); a negated emotion turns into the one it
  leaves behind (not happy: disappointment) or goes;
- boosters and diminishers multiply the next term, once per occurrence ("muy muy lento");
- contrast shifts weight: what follows "pero"/"but" counts more and what precedes less;
  the clause that "aunque"/"although" opens counts less;
- words in capitals and exclamation marks stress; a term stretched ("graciaaas") too.
The sum becomes a score in -1..1 as x / sqrt(x^2 + 15), then five levels by thresholds
chosen on the development half of the evaluation set (bench/data/textan).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from vinculo.textan.engine.lexicon import Entry, Lexicon, Role
from vinculo.textan.engine.text import Kind, Token, is_superlative, unelongated

NEGATION_REACH = 3  # words
BOOST_REACH = 2  # words
MAX_BOOST = 3.0
CONCORD_STRESS = 1.2  # per extra negator in reach
NEGATED_NEGATIVE = 0.5  # what is left of a negated negative term, besides the flip
CAPS_STRESS = 1.3
STRETCH_STRESS = 1.2
SUPERLATIVE_STRESS = 1.3  # "carísimo" read as "muy caro" when only "caro" is listed
EXCLAIM_STEP, EXCLAIM_MAX = 0.3, 3
QUESTION_WEIGHT = 0.5
ALPHA = 15.0
# Five levels from the score: [very negative | negative | neutral | positive | very positive]
THRESHOLDS = (-0.8, -0.2, 0.16, 0.8)
LEVELS = ("very_negative", "negative", "neutral", "positive", "very_positive")
# What a negated emotion leaves behind, and how much of it.
NEGATED_EMOTION: dict[str, tuple[str, float]] = {
    "joy": ("disappointment", 0.8),
    "trust": ("fear", 0.5),
}
EMOTION_SCALE = 2.5  # intensity = 1 - exp(-sum / scale)
# The intensity from which an emotion is reported, chosen per emotion on the development
# half of the evaluation set: the lexicon tags many words with joy or trust that customers
# use without feeling either ("bien", "correcto"), so those need more evidence.
EMOTION_FLOOR = {
    "joy": 0.65,
    "trust": 0.5,
    "gratitude": 0.4,
    "surprise": 0.4,
    "anger": 0.5,
    "frustration": 0.6,
    "sadness": 0.5,
    "fear": 0.4,
    "disappointment": 0.6,
}


@dataclass(frozen=True)
class Evidence:
    """A term that moved the decision, where it is in the text, and how it counted."""

    start: int
    end: int
    term: str
    weight: float  # its part of the sentiment sum
    emotions: tuple[tuple[str, float], ...]
    negated: bool = False


@dataclass(frozen=True)
class Reading:
    score: float
    sentiment: str
    emotions: dict[str, float]
    evidence: list[Evidence]
    total: float  # the sum before squashing


@dataclass
class _Hit:
    entry: Entry
    start: int
    end: int
    value: float
    stress: float
    negated: bool
    weight: float = 1.0  # from contrast


@dataclass
class _State:
    """Walking one sentence: what is pending from the words before."""

    word: int = 0  # words seen in the sentence
    negator_at: int = -99
    negator_factor: float = 1.0
    negators: int = 0
    negator_start: int = 0
    boost: float = 1.0
    boost_at: int = -99
    boost_start: int = 0
    request: float = 1.0  # the weight a request cue gives the whole text
    contrast_after: float = 1.0  # weight of hits from here to the end of the sentence
    concession: float = 0.0  # "aunque ..." opening a sentence: weight until the break
    hits: list[_Hit] = field(default_factory=list)


def level(score: float) -> str:
    for index, bound in enumerate(THRESHOLDS):
        if score <= bound if index < 2 else score < bound:
            return LEVELS[index]
    return LEVELS[-1]


def read(found: Sequence[Token], lex: Lexicon) -> Reading:
    shouting = _shouting(found)
    hits: list[_Hit] = []
    stress = 0.0  # from exclamation marks
    request = 1.0
    for sentence in _sentences(found):
        state = _State()
        _walk(sentence, lex, state, hits, shouting)
        if sentence[-1].kind == Kind.QUESTION:  # "¿cuánto tarda?" asks more than it judges
            _weigh(state.hits, QUESTION_WEIGHT)
        sentence_sum = sum(h.value * h.weight for h in state.hits)
        exclaims = sum(len(t.text) for t in sentence if t.kind == Kind.EXCLAIM)
        if sentence_sum and exclaims:
            stress += math.copysign(EXCLAIM_STEP * min(exclaims, EXCLAIM_MAX), sentence_sum)
        hits.extend(state.hits)
        request = min(request, state.request)
    # Summed at the end: a sentence opening with "pero" re-weighs the one before.
    total = (sum(h.value * h.weight for h in hits) + stress) * request
    score = total / math.sqrt(total * total + ALPHA) if total else 0.0
    return Reading(round(score, 4), level(score), _emotions(hits), _evidence(hits), total)


def _walk(
    sentence: Sequence[Token], lex: Lexicon, state: _State, previous: list[_Hit], shouting: bool
) -> None:
    i = 0
    while i < len(sentence):
        token = sentence[i]
        if token.kind == Kind.BREAK:
            state.negator_at = state.boost_at = -99
            if state.concession:  # the main clause after "aunque X,"
                state.contrast_after, state.concession = 1 / state.concession, 0.0
            i += 1
            continue
        entry = lex.matcher.longest_at(sentence, i)
        if entry is None:
            state.word += token.kind == Kind.WORD
            i += 1
            continue
        _apply(entry, sentence, i, state, previous, shouting, lex.negators)
        state.word += 1
        i += entry.size


def _apply(
    entry: Entry,
    sentence: Sequence[Token],
    i: int,
    state: _State,
    previous: list[_Hit],
    shouting: bool,
    negators: frozenset[str],
) -> None:
    token = sentence[i]
    if entry.role == Role.NEGATOR:
        if state.word - state.negator_at <= NEGATION_REACH:
            state.negators += 1
        else:
            state.negators, state.negator_factor = 1, entry.factor
            state.negator_start = token.start
        state.negator_at = state.word
    elif entry.role in (Role.BOOSTER, Role.DIMINISHER):
        if state.word - state.boost_at > BOOST_REACH:
            state.boost, state.boost_start = 1.0, token.start
        state.boost = min(MAX_BOOST, state.boost * entry.factor)
        state.boost_at = state.word
    elif entry.role == Role.CONTRAST:
        _contrast(entry.factor, state, previous)
    elif entry.role == Role.REQUEST:
        state.request = min(state.request, entry.factor)
    elif entry.role == Role.SENTIMENT:
        state.hits.append(_hit(entry, sentence, i, state, shouting, negators))


def _contrast(factor: float, state: _State, previous: list[_Hit]) -> None:
    opening = state.word == 0
    if factor < 1 and opening:  # "Aunque X, Y": X counts less, Y more
        state.concession = factor
        return
    before = state.hits if state.hits or not opening else previous
    _weigh(before, 1 / factor)
    state.contrast_after = factor


def _weigh(hits: list[_Hit], factor: float) -> None:
    for hit in hits:
        hit.weight *= factor


def _hit(
    entry: Entry,
    sentence: Sequence[Token],
    i: int,
    state: _State,
    shouting: bool,
    negators: frozenset[str],
) -> _Hit:
    last = sentence[i + entry.size - 1]
    start = sentence[i].start
    stress = 1.0
    if state.word - state.boost_at <= BOOST_REACH:
        stress *= state.boost
        start = min(start, state.boost_start)
        state.boost_at = -99
    if any(t.caps for t in sentence[i : i + entry.size]) and not shouting:
        stress *= CAPS_STRESS
    if any(unelongated(t.text) for t in sentence[i : i + entry.size]):
        stress *= STRETCH_STRESS
    listed = {e.text for e in entry.elements}
    if any(is_superlative(t.text) and t.text not in listed for t in sentence[i : i + entry.size]):
        stress *= SUPERLATIVE_STRESS
    in_reach = state.word - state.negator_at <= NEGATION_REACH
    # Emojis are never negated ("sin un solo corte 😄"), nor idioms that hold their own
    # negator ("no funciona").
    negated = (
        in_reach
        and sentence[i].kind != Kind.EMOJI
        and not any(e.text in negators for e in entry.elements)
    )
    value = entry.valence * stress
    if negated:
        # "No es bueno" is bad, but "no es malo" is only faintly good.
        damping = 1.0 if value > 0 else NEGATED_NEGATIVE
        value *= state.negator_factor * damping * CONCORD_STRESS ** (state.negators - 1)
        start = min(start, state.negator_start)
    weight = state.contrast_after * (state.concession or 1.0)
    return _Hit(entry, start, last.end, value, stress, negated, weight)


def _sentences(found: Sequence[Token]) -> list[list[Token]]:
    sentences: list[list[Token]] = [[]]
    for token in found:
        sentences[-1].append(token)
        if token.kind in (Kind.STOP, Kind.QUESTION, Kind.EXCLAIM):
            sentences.append([])
    return [s for s in sentences if s]


def _shouting(found: Sequence[Token]) -> bool:
    """All in capitals: then capitals stress nothing."""
    words = [t for t in found if t.kind == Kind.WORD and len(t.text) >= 3]
    return bool(words) and sum(t.caps for t in words) >= 0.6 * len(words)


def _emotions(hits: list[_Hit]) -> dict[str, float]:
    sums: dict[str, float] = {}
    for hit in hits:
        for name, intensity in _felt(hit):
            sums[name] = sums.get(name, 0.0) + intensity
    found = {name: 1 - math.exp(-total / EMOTION_SCALE) for name, total in sums.items()}
    return {n: round(v, 3) for n, v in sorted(found.items()) if v >= EMOTION_FLOOR[n]}


def _felt(hit: _Hit) -> list[tuple[str, float]]:
    stress = min(abs(hit.stress), MAX_BOOST)
    if not hit.negated:
        return [(name, intensity * stress) for name, intensity in hit.entry.emotions]
    left = []
    for name, intensity in hit.entry.emotions:
        if name in NEGATED_EMOTION:
            other, share = NEGATED_EMOTION[name]
            left.append((other, intensity * share * stress))
    return left


def _evidence(hits: list[_Hit]) -> list[Evidence]:
    return [
        Evidence(
            h.start,
            h.end,
            h.entry.term,
            round(h.value * h.weight, 3),
            tuple((name, round(v, 2)) for name, v in _felt(h)),
            h.negated,
        )
        for h in hits
    ]
