from typing import Any

from django import template
from django.utils.safestring import SafeString

from vinculo.textan.choices import Emotion
from vinculo.textan.cloud import band
from vinculo.textan.highlight import highlighted

register = template.Library()


@register.simple_tag
def marked(text: str, analysis: Any, limit: int = 0) -> SafeString:
    """The text with the words behind its analysis marked; plain (escaped) without one."""
    evidence = getattr(analysis, "evidence", None) or []  # no analysis yet: ""
    return highlighted(text, evidence, limit)


@register.filter
def emotion_label(code: str) -> str:
    """An emotion's name in the person's language ("anger" -> "Enfado")."""
    return str(dict(Emotion.choices).get(code, code))


@register.filter
def sentiment_band(score: float | None) -> int:
    """The word cloud's colour band of a mean sentiment score (0 most negative)."""
    return band(score)
