"""One comment in, everything the analytics say about it out."""

from __future__ import annotations

from dataclasses import dataclass, field

from vinculo.textan.engine import language, scoring
from vinculo.textan.engine.lexicon import lexicon
from vinculo.textan.engine.text import MAX_CHARS, tokens
from vinculo.textan.engine.topics import NO_TOPICS, TopicHit, Topics


@dataclass(frozen=True)
class Analysis:
    language: str
    sentiment: str  # one of scoring.LEVELS
    score: float  # -1 (very negative) .. 1 (very positive)
    emotions: dict[str, float]  # intensity 0..1 of each emotion present
    evidence: list[scoring.Evidence] = field(default_factory=list)
    topics: list[TopicHit] = field(default_factory=list)
    truncated: bool = False  # only the first MAX_CHARS characters were read


def analyze(text: str, topics: Topics = NO_TOPICS) -> Analysis:
    found = tokens(text)
    lang = language.detect(text[:MAX_CHARS], found)
    if lang in (language.Language.SPANISH, language.Language.ENGLISH):
        reading = scoring.read(found, lexicon(lang))
    else:
        # Not a language we read (or none): what either lexicon recognises, emojis above all.
        readings = [scoring.read(found, lexicon(code)) for code in ("es", "en")]
        reading = max(readings, key=lambda r: len(r.evidence))
    return Analysis(
        lang,
        reading.sentiment,
        reading.score,
        reading.emotions,
        reading.evidence,
        topics.find(found) if topics else [],
        len(text) > MAX_CHARS,
    )
