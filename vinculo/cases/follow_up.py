"""The follow-up survey: after a case is resolved, the customer may get a short survey
("¿Resolvimos tu problema?"): solved yes or no, how likely they are to recommend us now
(0 to 10), and an optional comment. Its answer is the *recovered score* shown next to the
score that opened the case.

- ``follow_up_survey`` returns the survey of ``CaseSettings``, or builds and publishes the
  built-in one once (through the surveys app's own services) and stores it there.
- ``send_follow_up`` (called by ``services.resolve`` when asked) makes the one ``FollowUp``
  of a case and a personal invitation through ``surveys.invitations.invite_customer``,
  by e-mail, else SMS. Consent, opt-out and a missing address still stop it (then the
  follow-up is "not sent" with the reason); contact fatigue does not: the customer has just
  talked to us about their case (``surveys.sending.is_service_follow_up``). A case is asked
  once: resolving it again after a reopening sends nothing more, unless nothing reached the
  customer the first time.
- ``link_answers`` (run on every tick with the alert rules) reads the complete responses
  of follow-up invitations, records the score and "solved" on the follow-up, the case's
  log and the customer's timeline, and marks as "not sent" the follow-ups whose invitation
  was suppressed, bounced or failed. It is idempotent: each follow-up is claimed under a
  row lock and changed once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.cases.choices import EventKind, FollowUpStatus
from vinculo.cases.models import Case, CaseSettings, FollowUp
from vinculo.cases.services import _on_timeline, log_event
from vinculo.customers.models import Customer
from vinculo.customers.queries import resolve_merged
from vinculo.surveys.choices import (
    InvitationStatus,
    InviteChannel,
    QuestionKind,
    ResponseStatus,
    SurveyStatus,
)
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.invitations import invite_customer
from vinculo.surveys.models import Answer, Invitation, Response, Survey
from vinculo.surveys.questions import scale_of
from vinculo.surveys.sending import address_of, refusal
from vinculo.surveys.services import create_survey, publish, save_draft

SLUG = "resolvimos-tu-problema"
SOLVED_KEY, SCORE_KEY, COMMENT_KEY = "resuelto", "recomendacion", "comentario"
EXPIRES_AFTER_DAYS = 14
TIMELINE_TYPE = "case_follow_up"
LINK_BATCH = 500
NO_CUSTOMER = "no customer"
NO_ADDRESS = "no e-mail address or phone number"
UNDELIVERED = [InvitationStatus.SUPPRESSED, InvitationStatus.BOUNCED, InvitationStatus.FAILED]

# The customer-facing texts are data, in both languages of the survey.
DEFINITION: dict[str, Any] = {
    "title": {"es": "¿Resolvimos tu problema?", "en": "Did we solve your problem?"},
    "intro": {
        "es": "Hace poco hablamos contigo sobre una incidencia. Son tres preguntas.",
        "en": "We recently talked to you about an issue. Just three questions.",
    },
    "thank_you": {
        "es": "¡Gracias! Tu respuesta nos ayuda a mejorar.",
        "en": "Thank you! Your answer helps us improve.",
    },
    "questions": [
        {
            "key": SOLVED_KEY,
            "kind": QuestionKind.YES_NO,
            "page": 1,
            "required": True,
            "text": {"es": "¿Resolvimos tu problema?", "en": "Did we solve your problem?"},
        },
        {
            # A 0-10 rating, not an NPS question: the company's NPS and the alert rules on
            # it count relationship answers, not answers about one case.
            "key": SCORE_KEY,
            "kind": QuestionKind.RATING,
            "page": 1,
            "required": True,
            "text": {
                "es": "Después de cómo llevamos tu caso, ¿qué probabilidad hay de que nos "
                "recomiendes a un amigo o familiar?",
                "en": "After how we handled your case, how likely are you to recommend us "
                "to a friend or family member?",
            },
            "settings": {
                "min": 0,
                "max": 10,
                "style": "numbers",
                "low_label": {"es": "Nada probable", "en": "Not at all likely"},
                "high_label": {"es": "Muy probable", "en": "Extremely likely"},
            },
        },
        {
            "key": COMMENT_KEY,
            "kind": QuestionKind.LONG_TEXT,
            "page": 1,
            "text": {
                "es": "¿Quieres contarnos algo más? (opcional)",
                "en": "Anything else you would like to tell us? (optional)",
            },
        },
    ],
}

# What the case page says for each reason a follow-up was not sent.
REASONS = {
    NO_CUSTOMER: _("The case has no customer."),
    NO_ADDRESS: _("The customer has no e-mail address or phone number."),
    "no e-mail address": _("The customer has no e-mail address."),
    "no phone number": _("The customer has no phone number."),
    "no consent for e-mail": _("The customer has not agreed to be e-mailed."),
    "no consent for SMS": _("The customer has not agreed to receive SMS."),
    "opted out of surveys": _("The customer opted out of surveys."),
    "personal data erased": _("The customer's personal data was erased."),
    "survey closed": _("The follow-up survey is closed."),
}


def reason_text(reason: str) -> str:
    """The reason a follow-up was not sent, as the case page says it."""
    return str(REASONS.get(reason, reason))


def case_settings() -> CaseSettings:
    """The settings row as stored, or the defaults (nothing is written on a read)."""
    return CaseSettings.objects.filter(pk=1).first() or CaseSettings(pk=1)


# -- the survey ---------------------------------------------------------------------------


@transaction.atomic
def follow_up_survey(unit: Unit) -> Survey:
    """The configured follow-up survey; the first time, the built-in one, built and
    published at the top of ``unit``'s organisation and stored in the settings."""
    settings, _created = CaseSettings.objects.select_for_update().get_or_create(pk=1)
    if settings.follow_up_survey_id is not None:
        assert settings.follow_up_survey is not None
        return settings.follow_up_survey
    survey = Survey.objects.filter(slug=SLUG).first()
    if survey is None:
        root = Unit.objects.get(pk=int(unit.path.strip("/").split("/")[0]))
        survey = create_survey(
            actor=SYSTEM,
            name=DEFINITION["title"]["es"],
            slug=SLUG,
            unit=root,
            title=DEFINITION["title"],
            languages=["es", "en"],
            public_link=False,  # only personal invitations: one answer per case
        )
        save_draft(survey=survey, definition=SurveyDefinition.model_validate(DEFINITION))
        publish(survey=survey)
        survey.refresh_from_db()
    settings.follow_up_survey = survey
    settings.save(update_fields=["follow_up_survey", "updated_at"])
    return survey


# -- sending ------------------------------------------------------------------------------


def _probe(survey: Survey, channel: str, now: datetime) -> Invitation:
    """An unsaved invitation for asking ``sending.refusal`` before making the real one."""
    return Invitation(
        survey=survey, channel=channel, expires_at=now + timedelta(days=EXPIRES_AFTER_DAYS)
    )


def reach(customer: Customer | None, survey: Survey | None, now: datetime) -> tuple[str, str]:
    """(channel, "") to invite the customer on, e-mail first; else ("", why not).

    The checks are the sending's own (an address, consent for the channel, no opt-out),
    without contact fatigue. With no survey yet (the page asking whether to offer it), the
    survey is taken as live.
    """
    if customer is None:
        return "", NO_CUSTOMER
    probe_survey = survey or Survey(status=SurveyStatus.LIVE)
    first_reason = ""
    for channel in (InviteChannel.EMAIL, InviteChannel.SMS):
        if not address_of(customer, channel):
            continue
        reason = refusal(_probe(probe_survey, channel, now), customer, now, fatigue=False)
        if not reason:
            return channel, ""
        first_reason = first_reason or reason
    return "", first_reason or NO_ADDRESS


def why_not_offered(case: Case, now: datetime | None = None) -> str:
    """Why the resolve form cannot offer the follow-up for this case; empty if it can."""
    customer = resolve_merged(case.customer_id) if case.customer_id is not None else None
    settings = case_settings()
    survey = settings.follow_up_survey if settings.follow_up_survey_id else None
    return reach(customer, survey, now or timezone.now())[1]


def send_follow_up(*, case: Case, now: datetime) -> FollowUp:
    """The case's follow-up: an invitation on its way, or "not sent" with the reason.

    Called inside ``resolve``'s transaction, with the case locked. One per case: a case
    resolved again after a reopening keeps the follow-up it has, unless that one never
    reached the customer (then it is tried again).
    """
    follow_up = FollowUp.objects.filter(case=case).first()
    if follow_up is not None and follow_up.status != FollowUpStatus.NOT_SENT:
        return follow_up
    follow_up = follow_up or FollowUp(case=case)
    customer = resolve_merged(case.customer_id) if case.customer_id is not None else None
    survey = follow_up_survey(case.unit)
    channel, reason = reach(customer, survey, now)
    if reason:
        follow_up.status, follow_up.reason = FollowUpStatus.NOT_SENT, reason
        follow_up.save()
        data = {"status": "not_sent", "reason": reason}
        log_event(case, None, EventKind.FOLLOW_UP, now, data=data)
        return follow_up
    assert customer is not None
    invitation = invite_customer(
        survey=survey,
        customer=customer,
        channel=channel,
        unit=case.unit,
        touchpoint=case.touchpoint,
        expires_after_days=EXPIRES_AFTER_DAYS,
        now=now,
    )
    return mark_sent(follow_up=follow_up, invitation=invitation, when=now)


def mark_sent(*, follow_up: FollowUp, invitation: Invitation, when: datetime) -> FollowUp:
    """The follow-up is on its way with ``invitation``: saved, and a line in the case's log."""
    follow_up.invitation = invitation
    follow_up.status, follow_up.reason, follow_up.sent_at = FollowUpStatus.SENT, "", when
    follow_up.save()
    data = {"status": "sent", "channel": invitation.channel}
    log_event(follow_up.case, None, EventKind.FOLLOW_UP, when, data=data)
    return follow_up


# -- the answers --------------------------------------------------------------------------


def link_answers(limit: int = LINK_BATCH) -> int:
    """Records the answered follow-ups and the undelivered ones; returns how many changed.

    Safe to run again or twice at once: each follow-up is re-read under a lock and only
    changed from the state that was selected.
    """
    answered = FollowUp.objects.filter(
        response__isnull=True,
        invitation__response__status=ResponseStatus.COMPLETE,
    )
    undelivered = FollowUp.objects.filter(
        status=FollowUpStatus.SENT, invitation__status__in=UNDELIVERED
    )
    ids = sorted(
        set(answered.values_list("pk", flat=True)[:limit])
        | set(undelivered.values_list("pk", flat=True)[:limit])
    )
    return sum(_link(follow_up_id) for follow_up_id in ids)


@transaction.atomic
def _link(follow_up_id: int) -> bool:
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))  # not the outer-joined rows
        .select_related("invitation", "case__customer", "case__unit")
        .filter(pk=follow_up_id)
        .first()
    )
    if follow_up is None or follow_up.invitation is None or follow_up.response_id is not None:
        return False
    invitation = follow_up.invitation
    response = Response.objects.filter(
        invitation=invitation, status=ResponseStatus.COMPLETE
    ).first()
    if response is not None:
        record_answer(follow_up, response)
        return True
    if follow_up.status == FollowUpStatus.SENT and invitation.status in UNDELIVERED:
        follow_up.status = FollowUpStatus.NOT_SENT
        follow_up.reason = invitation.failure_reason or invitation.status
        follow_up.save(update_fields=["status", "reason"])
        data = {"status": "not_sent", "reason": follow_up.reason}
        log_event(follow_up.case, None, EventKind.FOLLOW_UP, timezone.now(), data=data)
        return True
    return False


def record_answer(follow_up: FollowUp, response: Response) -> None:
    """The customer answered: the score and "solved" on the follow-up, a line in the
    case's log and a row on the customer's timeline."""
    assert response.completed_at is not None
    score, solved = scores_of(response)
    follow_up.response = response
    follow_up.score, follow_up.solved = score, solved
    follow_up.answered_at = response.completed_at
    follow_up.status = FollowUpStatus.ANSWERED
    follow_up.save(update_fields=["response", "score", "solved", "answered_at", "status"])
    case = follow_up.case
    data = {"status": "answered", "score": score, "solved": solved}
    log_event(case, None, EventKind.FOLLOW_UP, response.completed_at, data=data)
    _on_timeline(
        case,
        TIMELINE_TYPE,
        response.completed_at,
        response.channel.code,  # where the answer came in, like the response's own row
        {"score": score, "solved": solved, "response": response.pk},
        suffix="follow-up",
    )


def scores_of(response: Response) -> tuple[int | None, bool | None]:
    """The 0-10 score (an NPS or 0-10 rating question, the built-in key first) and the
    yes/no "solved" of a follow-up response; None for what it does not have."""
    answers = (
        Answer.objects.filter(response=response, row="")
        .select_related("question")
        .order_by("question__position")
    )
    scores: dict[str, int] = {}
    solved: bool | None = None
    for answer in answers:
        question = answer.question
        if answer.number is None:
            continue
        zero_to_ten = question.kind == QuestionKind.NPS or (
            question.kind == QuestionKind.RATING
            and scale_of(question.kind, question.settings) == (0, 10)
        )
        if zero_to_ten:
            scores.setdefault(question.key, answer.number)
        if question.kind == QuestionKind.YES_NO and solved is None:
            solved = bool(answer.number)
    score = scores.get(SCORE_KEY, next(iter(scores.values()), None))
    return score, solved


def score_before(case: Case) -> int | None:
    """The NPS answer of the response that opened the case, if that is what opened it."""
    if case.trigger != "response" or case.trigger_id is None:
        return None
    return (
        Answer.objects.filter(response_id=case.trigger_id, question__kind=QuestionKind.NPS, row="")
        .values_list("number", flat=True)
        .first()
    )


def follow_up_context(case: Case) -> dict[str, Any]:
    """What the case page shows of the follow-up: the row, the reason it was not sent, and
    the score that opened the case (before) when there is one."""
    follow_up = FollowUp.objects.filter(case=case).first()
    return {
        "follow_up": follow_up,
        "follow_up_reason": reason_text(follow_up.reason) if follow_up is not None else "",
        "score_before": score_before(case) if follow_up is not None else None,
    }
