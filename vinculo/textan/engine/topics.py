"""Topics by rules: each topic of the taxonomy lists words and phrases that mean it.

Rules use the lexicon's term syntax (``espera*``, ``tiempo de espera``, ``llevo # dias``)
and match folded words, so accents and capitals do not matter. A rule may also list terms
that veto it ("cargo" as a charge, unless "cargador" is there). A topic found implies its
ancestors; the roll-up is done where topics are counted, not here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vinculo.textan.engine.lexicon import Entry, Matcher, Role, parse_term
from vinculo.textan.engine.text import Token, tokens


@dataclass(frozen=True)
class TopicRule:
    topic_id: int
    path: str  # "Atención > Tiempo de espera"
    terms: tuple[str, ...]
    excluded: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicHit:
    topic_id: int
    path: str
    start: int
    end: int
    term: str


class RuleError(ValueError):
    """A rule term that cannot be read; says which."""


def compile_term(term: str, ref: object) -> Entry:
    try:
        return Entry(term, Role.TOPIC, parse_term(term), ref=ref)
    except ValueError as error:
        raise RuleError(f"'{term}': {error}") from error


class Topics:
    def __init__(self, rules: Iterable[TopicRule]) -> None:
        self.rules = {r.topic_id: r for r in rules}
        self._matcher = Matcher(
            [compile_term(t, r.topic_id) for r in self.rules.values() for t in r.terms]
        )
        self._vetoes = Matcher(
            [compile_term(t, r.topic_id) for r in self.rules.values() for t in r.excluded]
        )

    def __bool__(self) -> bool:
        return bool(self.rules)

    def find(self, found: Sequence[Token]) -> list[TopicHit]:
        """Each topic once, at its first mention, unless one of its vetoes is there."""
        vetoed = {e.ref for i in range(len(found)) for e in self._vetoes.all_at(found, i)}
        seen: dict[object, TopicHit] = {}
        for i in range(len(found)):
            for entry in self._matcher.all_at(found, i):
                if entry.ref in vetoed or entry.ref in seen:
                    continue
                rule = self.rules[int(str(entry.ref))]
                last = found[i + entry.size - 1]
                seen[entry.ref] = TopicHit(
                    rule.topic_id, rule.path, found[i].start, last.end, entry.term
                )
        return list(seen.values())

    def find_in(self, text: str) -> list[TopicHit]:
        return self.find(tokens(text))


NO_TOPICS = Topics(())
