"""In-process caches for the public submission path, which must stay lean.

Published versions never change, so their questions are read once per process; channel
ids by code are read once too. Keys include what makes a row unique over time: SQLite
reuses the ids of rolled-back rows, and a test database is flushed and re-seeded, which
is why ``clear`` runs after every migrate/flush (see apps.py).
"""

from __future__ import annotations

import time
from datetime import datetime

from django.conf import settings

from vinculo.journeys.models import Channel
from vinculo.surveys.models import Question, Survey, SurveyVersion

_PUBLISHED_QUESTIONS: dict[tuple[int, datetime], list[Question]] = {}
_PUBLISHED_QUESTIONS_MAX = 512
_CHANNEL_IDS: dict[str, int] = {}
_SURVEYS: dict[str, tuple[float, Survey | None]] = {}


def questions_of(version: SurveyVersion) -> list[Question]:
    """The version's questions in order; cached in memory once the version is published."""
    if version.published_at is None:
        return list(version.questions.all())
    key = (version.pk, version.published_at)
    cached = _PUBLISHED_QUESTIONS.get(key)
    if cached is None:
        cached = list(version.questions.all())
        if len(_PUBLISHED_QUESTIONS) >= _PUBLISHED_QUESTIONS_MAX:
            _PUBLISHED_QUESTIONS.clear()  # crude bound; only live versions come back
        _PUBLISHED_QUESTIONS[key] = cached
    return list(cached)


def channel_id(code: str) -> int:
    """The id of the channel with this code (channels are seeded and never renamed)."""
    if code not in _CHANNEL_IDS:
        _CHANNEL_IDS[code] = Channel.objects.values_list("pk", flat=True).get(code=code)
    return _CHANNEL_IDS[code]


def survey_by_slug(slug: str) -> Survey | None:
    """The survey behind a public link, read at most every SURVEY_CACHE_SECONDS per process.

    Public links are the busiest pages; a survey closed or republished is seen by every
    process within those seconds (0 turns the cache off).
    """
    ttl = settings.SURVEY_CACHE_SECONDS
    now = time.monotonic()
    hit = _SURVEYS.get(slug)
    if hit is not None and hit[0] > now:
        return hit[1]
    survey = (
        Survey.objects.select_related("current_version", "unit", "touchpoint")
        .filter(slug=slug)
        .first()
    )
    if ttl > 0:
        if len(_SURVEYS) >= 1024:
            _SURVEYS.clear()
        _SURVEYS[slug] = (now + ttl, survey)
    return survey


def clear(**_kwargs: object) -> None:
    _PUBLISHED_QUESTIONS.clear()
    _CHANNEL_IDS.clear()
    _SURVEYS.clear()
