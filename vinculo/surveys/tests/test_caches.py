"""The public link's survey cache: fresh enough, and forgotten after a flush."""

from vinculo.surveys import caches
from vinculo.surveys.models import Survey
from vinculo.surveys.testing import published_survey


def status_of(slug):
    survey = caches.survey_by_slug(slug)
    assert survey is not None
    return survey.status


def test_a_closed_survey_is_seen_once_the_cache_time_has_passed(org, settings):
    settings.SURVEY_CACHE_SECONDS = 60
    published_survey(unit=org.bilbao, slug="cacheada")
    assert status_of("cacheada") == "live"
    Survey.objects.filter(slug="cacheada").update(status="closed")

    cached = status_of("cacheada")
    caches.clear()  # what the passing of SURVEY_CACHE_SECONDS (or a migrate/flush) does

    fresh = status_of("cacheada")
    caches.clear()  # no other test should meet this cached survey

    assert cached == "live"
    assert fresh == "closed"


def test_with_no_cache_time_every_call_reads_the_database(org, settings):
    settings.SURVEY_CACHE_SECONDS = 0
    published_survey(unit=org.bilbao, slug="fresca")
    caches.survey_by_slug("fresca")
    Survey.objects.filter(slug="fresca").update(status="closed")

    assert status_of("fresca") == "closed"
