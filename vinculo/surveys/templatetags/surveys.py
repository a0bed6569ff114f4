"""Template filters for survey pages."""

import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()

_FATIGUE = re.compile(r"^invited (\d+) days ago \(limit (\d+)\)$")


@register.filter
def invitation_reason(reason: str) -> str:
    """The reader's words for a stored reason (reasons are stored in English, as codes are:
    the API returns them as they are). Provider messages are shown as the provider said."""
    known = {
        "survey closed": _("survey closed"),
        "link expired before it was sent": _("link expired before it was sent"),
        "personal data erased": _("personal data erased"),
        "no consent for e-mail": _("no consent for e-mail"),
        "no consent for SMS": _("no consent for SMS"),
        "opted out of surveys": _("opted out of surveys"),
        "no e-mail address": _("no e-mail address"),
        "no phone number": _("no phone number"),
        "campaign cancelled": _("campaign cancelled"),
        "interrupted while sending; not resent to avoid a duplicate": _(
            "interrupted while sending; not resent to avoid a duplicate"
        ),
    }
    if reason in known:
        return known[reason]
    fatigue = _FATIGUE.match(reason)
    if fatigue:
        return _("invited %(ago)s days ago (limit %(limit)s)") % {
            "ago": fatigue.group(1),
            "limit": fatigue.group(2),
        }
    return reason
