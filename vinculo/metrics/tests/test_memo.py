"""The few seconds' memory of the minimum sample and the question catalogue."""

from vinculo.metrics.filters import policy_min_sample
from vinculo.metrics.memo import forget
from vinculo.metrics.models import MetricPolicy


def test_a_changed_policy_is_seen_once_the_memory_expires(db, settings):
    settings.METRICS_CACHE_SECONDS = 60
    forget()
    assert policy_min_sample() == 30

    MetricPolicy.objects.filter(pk=1).update(min_sample=5)

    assert policy_min_sample() == 30  # still remembered
    forget()
    assert policy_min_sample() == 5
    settings.METRICS_CACHE_SECONDS = 0
    MetricPolicy.objects.filter(pk=1).update(min_sample=7)
    assert policy_min_sample() == 7  # no memory at all
    forget()
