"""The polite page each refusal gets: a closed survey, an expired or altered link...

Codes are those of ``submission.SubmissionRefused`` and ``tokens.BadToken`` (as
``link_<code>``) plus the respondent pages' own; every renderer shows the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Refusal:
    title: str | Promise
    text: str | Promise
    status: int
    restart: bool = False  # offer to start the survey again


REFUSALS: dict[str, Refusal] = {
    "not_found": Refusal(
        _("Survey not found"),
        _("This survey does not exist or is not open yet. Please check the link."),
        404,
    ),
    "invitation_only": Refusal(
        _("This survey is by invitation"),
        _("This survey only takes answers through the personal links we send."),
        404,
    ),
    "survey_closed": Refusal(
        _("This survey is closed"),
        _("Thank you for your interest: this survey no longer takes answers."),
        410,
    ),
    "bad_qr": Refusal(
        _("This code is not valid"),
        _("The code or link you used is damaged. Please scan the code again or ask us."),
        400,
    ),
    "link_tampered": Refusal(
        _("This link is not valid"),
        _(
            "The link is incomplete or was changed. Please open it again from the message "
            "you received."
        ),
        400,
    ),
    "link_unknown": Refusal(
        _("This link is not valid"),
        _("This invitation does not exist any more."),
        404,
    ),
    "invitation_expired": Refusal(
        _("This link has expired"),
        _("The invitation to this survey is no longer valid. Thank you all the same."),
        410,
    ),
    "already_answered": Refusal(
        _("You already answered, thank you"),
        _("We have your answers to this survey: there is nothing else to do."),
        200,
    ),
    "wrong_page": Refusal(
        _("This page is out of date"),
        _("This page was sent twice or out of order. Please continue from here."),
        409,
        restart=True,
    ),
    "key_reused": Refusal(
        _("This form was already used"),
        _("Please start the survey again."),
        409,
        restart=True,
    ),
    "in_progress": Refusal(
        _("This form was already used"),
        _("Please start the survey again."),
        409,
        restart=True,
    ),
    "bad_form": Refusal(
        _("This form is incomplete"),
        _("Part of the form did not arrive. Please start the survey again."),
        400,
        restart=True,
    ),
    "too_many": Refusal(
        _("Too many answers at once"),
        _("Many answers came from your connection in the last minute. Please wait a moment."),
        429,
    ),
}
UNKNOWN = Refusal(
    _("This survey cannot take your answers now"),
    _("Please try again later."),
    409,
)


def refusal(code: str) -> Refusal:
    """The page for a refusal code; a generic one for a code this module does not know."""
    return REFUSALS.get(code, UNKNOWN)
