"""The language switcher of a survey page: one entry per language the survey speaks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str  # in its own language: "Español", "English"
    url: str
    current: bool


def language_name(code: str) -> str:
    try:
        name = str(translation.get_language_info(code)["name_local"])
    except KeyError:
        return code.upper()
    return name[:1].upper() + name[1:]


def language_choices(
    offered: Sequence[str], current: str, url_for: Callable[[str], str]
) -> list[LanguageChoice]:
    """The switcher's entries; none when the survey speaks a single language."""
    if len(offered) < 2:
        return []
    return [
        LanguageChoice(code, language_name(code), url_for(code), code == current)
        for code in offered
    ]
