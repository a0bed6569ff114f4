"""Template filters for figures: ``{{ estimate|value:kind }}``, ``{{ estimate|interval:kind }}``,
``{{ difference|change:kind }}``. See ``metrics.display``."""

from __future__ import annotations

from typing import Any

from django import template

from vinculo.metrics import display

register = template.Library()


@register.filter
def value(estimate: Any, kind: str) -> str:
    return display.value_text(estimate, kind)


@register.filter
def interval(estimate: Any, kind: str) -> str:
    return display.interval_text(estimate, kind)


@register.filter
def change(difference: Any, kind: str) -> str:
    return display.difference_text(difference, kind)


@register.filter
def detail_label(name: str) -> str:
    return str(display.DETAIL_LABELS.get(name, name))


@register.filter
def headline_label(metric: str) -> str:
    return str(display.HEADLINE_LABELS.get(metric, metric))


@register.simple_tag
def detail_text(estimate: Any, name: str, kind: str) -> str:
    """A detail beside a headline (% promoters, the CSAT mean...), as people read it."""
    return display.value_text(estimate, kind, name)


@register.simple_tag
def responses_link(f: Any, unit: Any = None, box: str = "") -> str:
    """The responses list behind a figure of filter ``f`` (for ``unit``; ``box`` "bottom"
    or "top" for the unhappy or happy ones)."""
    from vinculo.metrics.links import responses_url

    return responses_url(f, unit=unit, box=box)
