"""How figures read: decimals and units per scale, in the reader's number format. Shared
by the pages, the PDF, the XLSX export (as number formats) and the digest."""

from __future__ import annotations

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vinculo.metrics.figures import NPS_KINDS, SHARE_KINDS
from vinculo.metrics.stats import Difference, Estimate

DETAIL_LABELS: dict[str, Promise] = {
    "promoters": _("promoters"),
    "passives": _("passives"),
    "detractors": _("detractors"),
    "mean": _("mean"),
    "dissatisfied": _("dissatisfied"),
    "easy": _("easy"),
    "difficult": _("difficult"),
    "top_box": _("top-2-box"),
}
HEADLINE_LABELS: dict[str, Promise] = {
    "nps": _("NPS"),
    "enps": _("eNPS"),
    "csat": _("CSAT (% satisfied)"),
    "ces": _("CES (mean, 7 = easy)"),
}
DETAIL_SHARES = {
    "promoters",
    "passives",
    "detractors",
    "dissatisfied",
    "easy",
    "difficult",
    "top_box",
}
DASH = "\u2013"  # between the ends of an interval or a period


def decimals(kind: str, detail: str = "") -> int:
    """NPS in whole points, percentages to one decimal, means to two."""
    if detail:
        return 1 if detail in DETAIL_SHARES else 2
    if kind in NPS_KINDS:
        return 0
    return 1 if kind in SHARE_KINDS else 2


def is_share(kind: str, detail: str = "") -> bool:
    return detail in DETAIL_SHARES if detail else kind in SHARE_KINDS


def number(value: float, places: int, *, signed: bool = False) -> str:
    rounded = round(value, places) + 0.0  # -0.4 shows as 0, never as "-0"
    text = formats.number_format(rounded, places, use_l10n=True)
    return f"+{text}" if signed and rounded > 0 else text


def value_text(e: Estimate, kind: str, detail: str = "") -> str:
    """The figure as people read it: "+25", "72,4 %", "5,31"; or why there is none."""
    if e.suppressed:
        return str(_("insufficient sample"))
    if e.value is None:
        return str(_("no answers")) if e.n == 0 else "—"
    places = decimals(kind, detail)
    text = number(e.value, places, signed=kind in NPS_KINDS and not detail)
    return f"{text} %" if is_share(kind, detail) else text


def interval_text(e: Estimate, kind: str, detail: str = "") -> str:
    """The 95% interval in words, "13 to 36" ("-51 to -2" reads better than with a dash);
    empty when there is none to show."""
    if e.value is None or e.low is None or e.high is None:
        return ""
    places = decimals(kind, detail)
    return _("%(low)s to %(high)s") % {
        "low": number(e.low, places),
        "high": number(e.high, places),
    }


def difference_text(d: Difference | None, kind: str) -> str:
    if d is None:
        return ""
    places = decimals(kind)
    unit = " pp" if is_share(kind) else ""
    return f"{number(d.value, places, signed=True)}{unit}"
