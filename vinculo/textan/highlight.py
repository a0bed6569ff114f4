"""The evidence of an analysis marked in its text: every piece escaped, the marks ours.

The text is customer input and may hold HTML or script; it is escaped piece by piece and
only the ``<mark>`` tags around the evidence are written by us.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _tone(weight: float) -> str:
    if weight < 0:
        return "neg"
    return "pos" if weight > 0 else "neu"


def _spans(evidence: Iterable[Mapping[str, Any]], limit: int) -> list[Mapping[str, Any]]:
    """Evidence in order, overlaps dropped (the first one stays), within the first
    ``limit`` characters."""
    kept: list[Mapping[str, Any]] = []
    end = -1
    for item in sorted(evidence, key=lambda e: (e["start"], -e["end"])):
        if item["start"] >= end and item["end"] <= limit:
            kept.append(item)
            end = item["end"]
    return kept


def highlighted(text: str, evidence: Iterable[Mapping[str, Any]], limit: int = 0) -> SafeString:
    """``text`` (cut at ``limit`` characters when given) with its evidence marked."""
    shown = text if not limit or len(text) <= limit else text[:limit]
    parts: list[str] = []
    at = 0
    for item in _spans(evidence, len(shown)):
        parts.append(escape(shown[at : item["start"]]))
        emotions = ", ".join(name for name, _v in item.get("emotions") or ())
        title = f"{item['term']} ({item['weight']:+.1f}){' · ' + emotions if emotions else ''}"
        if item.get("negated"):
            title += " · ¬"
        parts.append(
            format_html(
                '<mark class="ev {}" title="{}">{}</mark>',
                _tone(float(item["weight"])),
                title,
                shown[item["start"] : item["end"]],
            )
        )
        at = item["end"]
    parts.append(escape(shown[at:]))
    if len(shown) < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # every piece above is escaped
