"""Respondent-side state: language, invitation opened, unsubscribe, kiosk links, resume.

Small services the respondent pages (public link, invitation, QR, kiosk) call. Answers
themselves are written by ``submission.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import DateTimeField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.customers.services import update_customer
from vinculo.surveys.answers import clean_page
from vinculo.surveys.choices import InvitationStatus
from vinculo.surveys.logic import Flow
from vinculo.surveys.models import Invitation, Question, Survey
from vinculo.surveys.submission import PROGRESS, AnswersInvalid
from vinculo.surveys.tokens import BadToken

KIOSK_SALT = "vinculo.surveys.kiosk"
PREVIEW_SALT = "vinculo.surveys.preview"
# Statuses an open moves on to "opened": anything before it on the way to an answer, and
# bounced or failed (a forwarded link is still read).
BEFORE_OPENED = [
    *PROGRESS[: PROGRESS.index(InvitationStatus.OPENED)],
    InvitationStatus.BOUNCED,
    InvitationStatus.FAILED,
]


def new_idempotency_key() -> str:
    """A fresh key for one response form: unguessable, so it also names the response."""
    return uuid.uuid4().hex


def choose_language(
    survey: Survey,
    *,
    requested: str | None = None,
    invitation: Invitation | None = None,
    customer: Customer | None = None,
    browser: str | None = None,
) -> str:
    """The respondent's language, among the survey's.

    An explicit choice on the page wins; then the invitation's language, the customer's,
    the browser's (Accept-Language, as LocaleMiddleware read it); else the survey default.
    """
    offered = survey.languages or [survey.default_language]
    candidates: Iterable[str | None] = (
        requested,
        invitation.language if invitation is not None else None,
        customer.language if customer is not None else None,
        browser,
    )
    for candidate in candidates:
        if not candidate:
            continue
        if candidate in offered:
            return candidate
        base = candidate.split("-")[0].lower()
        if base in offered:
            return base
    return survey.default_language if survey.default_language in offered else offered[0]


def mark_opened(*, invitation: Invitation) -> bool:
    """Records that the invitation's link or message was opened; True the first time.

    One conditional UPDATE: a status only moves forward, so a late pixel never hides
    "started" or "completed", and two opens at once record one.
    """
    now = Value(timezone.now(), output_field=DateTimeField())
    moved = Invitation.objects.filter(pk=invitation.pk, status__in=BEFORE_OPENED).update(
        status=InvitationStatus.OPENED, opened_at=Coalesce("opened_at", now)
    )
    return moved == 1


def is_expired(invitation: Invitation) -> bool:
    return invitation.expires_at <= timezone.now()


@transaction.atomic
def unsubscribe(*, invitation: Invitation) -> Customer:
    """The invited customer withdraws their consent to surveys (every channel)."""
    customer = Customer.objects.select_for_update().get(pk=invitation.customer_id)
    return update_customer(customer=customer, consents={"surveys": False}, source="surveys")


def kiosk_token(survey: Survey, unit: Unit) -> str:
    """A signed token naming a survey and the store whose tablet shows it.

    It does not expire: a tablet stays set up for months. Closing the survey stops it.
    """
    value = f"{signing.b62_encode(survey.pk)}.{signing.b62_encode(unit.pk)}"
    return signing.Signer(salt=KIOSK_SALT).sign(value)


def kiosk_from_token(token: str) -> tuple[Survey, Unit]:
    """The survey and unit a kiosk token names. Raises ``BadToken``."""
    try:
        survey_part, unit_part = signing.Signer(salt=KIOSK_SALT).unsign(token).split(".")
        survey_id, unit_id = signing.b62_decode(survey_part), signing.b62_decode(unit_part)
    except (signing.BadSignature, ValueError):
        raise BadToken("tampered") from None
    survey = (
        Survey.objects.select_related("current_version", "touchpoint").filter(pk=survey_id).first()
    )
    unit = Unit.objects.filter(pk=unit_id).first()
    if survey is None or unit is None:
        raise BadToken("unknown")
    return survey, unit


def resume_page(path: Sequence[int], last_page: int) -> int | None:
    """Where a partial response continues: the first page of its path not yet answered."""
    for page in path:
        if page > last_page:
            return page
    return path[-1] if path else None


def previous_page(path: Sequence[int], page: int) -> int | None:
    """The page before ``page`` on the path, or None on the first one."""
    earlier = [p for p in path if p < page]
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class PreviewState:
    """A preview's answers so far, carried in a signed hidden field: nothing is stored.

    ``answers`` are logic values (for display logic, skips and piping); ``raw`` the form
    values per question key, to show them again when going back.
    """

    answers: dict[str, Any]
    raw: dict[str, Any]

    def dumps(self) -> str:
        return signing.dumps({"a": self.answers, "r": self.raw}, salt=PREVIEW_SALT, compress=True)

    @classmethod
    def loads(cls, value: str) -> PreviewState:
        """An empty state for a missing or altered field (a preview has nothing to lose)."""
        try:
            data = signing.loads(value, salt=PREVIEW_SALT) if value else {}
        except signing.BadSignature:
            data = {}
        return cls(answers=dict(data.get("a", {})), raw=dict(data.get("r", {})))


def preview_answer_page(
    *,
    questions: list[Question],
    flow: Flow,
    page: int,
    raw: Mapping[str, Any],
    state: PreviewState,
) -> tuple[PreviewState, int | None]:
    """Checks one page of a preview like a real submission, storing nothing.

    Returns the new state and the next page (None: the preview is at its end); raises
    ``AnswersInvalid`` like ``submission.answer_page``.
    """
    answers = dict(state.answers)
    _cleaned, errors = clean_page(questions, flow, page, raw, answers, None)
    if errors:
        raise AnswersInvalid(errors)
    page_keys = {q.key for q in questions if q.page == page}
    kept_raw = {k: v for k, v in state.raw.items() if k not in page_keys}
    kept_raw.update({k: v for k, v in raw.items() if k in page_keys})
    new_state = PreviewState(answers=answers, raw=kept_raw)
    return new_state, flow.next_page(questions, page, answers, None)
