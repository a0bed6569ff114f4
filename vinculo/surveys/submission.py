"""Storing answers: page by page (the response page) or all at once (API, widget, kiosk).

Nothing a respondent submits is lost or counted twice:
- answers are checked before anything is written, and written in one transaction;
- every response has an idempotency key (unique in the database): a double click, a
  retried request or a replayed POST finds the stored response instead of adding one;
- an invitation has one response (unique too); once complete it takes no more answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.journeys.models import Touchpoint
from vinculo.lib import fastinsert
from vinculo.metrics import rollups
from vinculo.surveys import identify
from vinculo.surveys.answers import clean_page, stored_answers
from vinculo.surveys.caches import channel_id, questions_of
from vinculo.surveys.choices import Collector, InvitationStatus, ResponseStatus
from vinculo.surveys.events import record_response_on_timeline
from vinculo.surveys.logic import Flow, flow_for
from vinculo.surveys.models import Answer, Invitation, Question, Response, Survey, SurveyVersion
from vinculo.surveys.questions import AnswerError, StoredValue

# The channel each collector's answers arrive through, for the timeline and the reports.
COLLECTOR_CHANNELS = {
    Collector.LINK: "web",
    Collector.QR: "store",
    Collector.EMAIL: "email",
    Collector.SMS: "sms",
    Collector.WIDGET: "web",
    Collector.PHONE: "call_centre",
    Collector.IN_PERSON: "store",
    Collector.KIOSK: "store",
    Collector.API: "web",
}


@dataclass(frozen=True)
class Respondent:
    """Everything a response records besides its answers: what, where, who, how."""

    survey: Survey
    version: SurveyVersion
    unit: Unit
    collector: str
    language: str
    touchpoint: Touchpoint | None = None
    customer: Customer | None = None
    invitation: Invitation | None = None
    entered_by_id: int | None = None
    channel_code: str = ""  # the API may name the channel; else the collector's


class SubmissionRefused(Exception):
    """The survey cannot take these answers now: closed, already answered, wrong page."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class AnswersInvalid(Exception):
    """Answers that cannot be stored; nothing was written. Each error names its question."""

    errors: list[AnswerError]


@dataclass
class Outcome:
    response: Response
    next_page: int | None  # None: the response is complete
    replayed: bool = False  # this submission had already been stored
    errors: list[AnswerError] = field(default_factory=list)


def _check_open(respondent: Respondent) -> None:
    from vinculo.surveys.choices import SurveyStatus

    if respondent.survey.status != SurveyStatus.LIVE:
        raise SubmissionRefused("survey_closed")
    invitation = respondent.invitation
    if invitation is not None and invitation.expires_at <= timezone.now():
        raise SubmissionRefused("invitation_expired")


def answer_page(
    *, respondent: Respondent, idempotency_key: str, page: int, raw: Mapping[str, Any]
) -> Outcome:
    """Stores one page of answers and says which page comes next (None when complete)."""
    _check_open(respondent)
    questions = questions_of(respondent.version)
    flow = flow_for(questions, respondent.version.skip_rules)
    first = flow.next_page(questions, 0, {}, respondent.customer)
    # An anonymous first page has nothing stored before it: the insert itself tells a
    # replay (unique key) from a new response, which saves a query on the busiest path.
    existing = None
    if page != first or respondent.invitation is not None:
        existing = _find(respondent, idempotency_key)
        if existing is not None and existing.status == ResponseStatus.COMPLETE:
            return _replay(respondent, existing)
    answers = stored_answers(existing, questions)
    # Back to any page answered so far, or on to the next one; never skipping ahead.
    reached = existing.last_page if existing is not None else 0
    path = flow.path(questions, answers, respondent.customer)
    upcoming = flow.next_page(questions, reached, answers, respondent.customer)
    if page not in path or (page > reached and page != upcoming):
        raise SubmissionRefused("wrong_page")
    cleaned, errors = clean_page(questions, flow, page, raw, answers, respondent.customer)
    if errors:
        raise AnswersInvalid(errors)
    step = _Step(respondent, questions, flow, answers, page, cleaned)
    try:
        with transaction.atomic():
            if existing is None:
                return step.store_new(idempotency_key)
            return step.store_into(_locked(existing.pk))
    except IntegrityError:
        if existing is not None:
            raise
    # A twin (double click, retry) stored this response first: continue from what it stored.
    with transaction.atomic():
        return step.store_into(_locked_by_key(respondent, idempotency_key))


def submit_all(
    *,
    respondent: Respondent,
    idempotency_key: str,
    raw: Mapping[str, Any],
    started_at: datetime | None = None,
    completed_at: datetime | None = None,
) -> Outcome:
    """Stores a whole response at once, or nothing. A replay returns the stored response.

    ``started_at``/``completed_at`` let other systems (an IVR, a CRM) report when the
    interview happened; by default, now.
    """
    _check_open(respondent)
    questions = questions_of(respondent.version)
    flow = flow_for(questions, respondent.version.skip_rules)
    known = {q.key for q in questions}
    errors = [AnswerError(str(key), "unknown_question") for key in raw if key not in known]
    answers: dict[str, Any] = {}
    cleaned: dict[int, list[StoredValue]] = {}
    page = flow.next_page(questions, 0, answers, respondent.customer)
    last = 0
    while page is not None:
        page_values, page_errors = clean_page(
            questions, flow, page, raw, answers, respondent.customer
        )
        cleaned.update(page_values)
        errors += page_errors
        last, page = page, flow.next_page(questions, page, answers, respondent.customer)
    if errors:
        raise AnswersInvalid(errors)
    step = _Step(respondent, questions, flow, answers, last, cleaned)
    try:
        with transaction.atomic():
            return step.store_new(idempotency_key, started_at, completed_at)
    except IntegrityError:
        pass
    # Stored before (a retry, or the same invitation answered twice): never twice.
    return _replay(respondent, _locked_by_key(respondent, idempotency_key))


@dataclass
class _Step:
    """One checked page (or a whole response) ready to be written."""

    respondent: Respondent
    questions: list[Question]
    flow: Flow
    answers: dict[str, Any]
    page: int
    cleaned: dict[int, list[StoredValue]]

    @property
    def next_page(self) -> int | None:
        return self.flow.next_page(
            self.questions, self.page, self.answers, self.respondent.customer
        )

    def store_new(
        self,
        key: str,
        started_at: datetime | None = None,
        completed_at: datetime | None = None,
    ) -> Outcome:
        """Inserts the response (already complete when this was its last page) and answers.

        Everything a completion needs is known in memory, so a one-page response costs
        two INSERTs: the busiest path (a public link, a kiosk, the widget) stays cheap.
        """
        next_page = self.next_page
        customer, known = self.respondent.customer, self.respondent.customer is not None
        if next_page is None and not known:
            customer, known = identify.respondent_from_answers(
                self.questions,
                self.answers,
                unit_id=self.respondent.unit.pk,
                language=self.respondent.language,
            )
        response = _create(
            self.respondent,
            key,
            started_at,
            customer=customer,
            last_page=self.page,
            complete=next_page is None,
            completed_at=completed_at,
        )
        write_answers(response, self.cleaned)
        if next_page is None:
            rollups.record_written(response, self.questions, self.cleaned)
            self._after_completion(response, known)
        else:
            _mark_invitation(self.respondent.invitation, InvitationStatus.STARTED)
        return Outcome(response=response, next_page=next_page)

    def store_into(self, response: Response) -> Outcome:
        """Replaces this page's answers in a response begun earlier (resume, back, twins)."""
        if response.status == ResponseStatus.COMPLETE:
            return _replay(self.respondent, response)
        page_ids = [q.pk for q in self.questions if q.page == self.page]
        Answer.objects.filter(response=response, question_id__in=page_ids).delete()
        write_answers(response, self.cleaned)
        response.last_page = max(response.last_page, self.page)
        next_page = self.next_page
        if next_page is None:
            self._complete(response)
        else:
            response.save(update_fields=["last_page", "updated_at"])
        return Outcome(response=response, next_page=next_page)

    def _complete(self, response: Response) -> None:
        """Drops answers the final path hides, links the respondent, marks it complete."""
        customer, questions = self.respondent.customer, self.questions
        path = set(self.flow.path(questions, self.answers, customer))
        shown = {
            q.pk
            for q in questions
            if q.page in path and self.flow.visible([q], q.page, self.answers, customer)
        }
        if any(q.key in self.answers and q.pk not in shown for q in questions):
            response.answers.exclude(question_id__in=shown).delete()
        response.status = ResponseStatus.COMPLETE
        response.completed_at = timezone.now()
        known = response.customer_id is not None
        if not known:
            response.customer, known = identify.respondent_from_answers(
                questions, self.answers, unit_id=response.unit_id, language=response.language
            )
        response.segment, response.lifecycle_stage = _profile(response.customer)
        response.save(
            update_fields=[
                "status",
                "completed_at",
                "customer",
                "segment",
                "lifecycle_stage",
                "last_page",
                "updated_at",
            ]
        )
        rollups.record_stored([response.pk])
        self._after_completion(response, known)

    def _after_completion(self, response: Response, known: bool) -> None:
        if known and response.customer_id is not None:
            identify.record_consents(response.customer_id, self.questions, self.answers)
        _mark_invitation(self.respondent.invitation, InvitationStatus.COMPLETED)
        record_response_on_timeline(response)


def _find(respondent: Respondent, idempotency_key: str) -> Response | None:
    if respondent.invitation is not None:
        return Response.objects.filter(invitation=respondent.invitation).first()
    return Response.objects.filter(idempotency_key=idempotency_key).first()


def _replay(respondent: Respondent, response: Response) -> Outcome:
    if response.survey_id != respondent.survey.pk:
        raise SubmissionRefused("key_reused")
    if respondent.invitation is not None and response.status == ResponseStatus.COMPLETE:
        raise SubmissionRefused("already_answered")
    if response.status != ResponseStatus.COMPLETE:
        raise SubmissionRefused("in_progress")
    return Outcome(response=response, next_page=None, replayed=True)


def _key_for(respondent: Respondent, idempotency_key: str) -> str:
    if respondent.invitation is not None:
        return f"invitation-{respondent.invitation.pk}"
    return idempotency_key


def _locked(pk: int) -> Response:
    return Response.objects.select_for_update().get(pk=pk)


def _locked_by_key(respondent: Respondent, idempotency_key: str) -> Response:
    """The stored twin of this submission, locked; refused if the key is another survey's."""
    key = _key_for(respondent, idempotency_key)
    response = Response.objects.select_for_update().get(idempotency_key=key)
    if response.survey_id != respondent.survey.pk:
        raise SubmissionRefused("key_reused")
    return response


def _create(
    respondent: Respondent,
    key: str,
    started_at: datetime | None,
    *,
    customer: Customer | None,
    last_page: int,
    complete: bool,
    completed_at: datetime | None = None,
) -> Response:
    code = respondent.channel_code or COLLECTOR_CHANNELS[Collector(respondent.collector)]
    now = timezone.now()
    segment, lifecycle_stage = _profile(customer)
    response = fastinsert.insert(
        Response,
        {
            "survey_id": respondent.survey.pk,
            "version_id": respondent.version.pk,
            "invitation_id": respondent.invitation.pk if respondent.invitation else None,
            "customer_id": customer.pk if customer else None,
            "unit_id": respondent.unit.pk,
            "touchpoint_id": respondent.touchpoint.pk if respondent.touchpoint else None,
            "channel_id": channel_id(code),
            "segment": segment,
            "lifecycle_stage": lifecycle_stage,
            "collector": respondent.collector,
            "language": respondent.language,
            "status": ResponseStatus.COMPLETE if complete else ResponseStatus.PARTIAL,
            "idempotency_key": _key_for(respondent, key),
            "last_page": last_page,
            "entered_by_id": respondent.entered_by_id,
            "started_at": started_at or completed_at or now,
            "completed_at": (completed_at or now) if complete else None,
            "created_at": now,
            "updated_at": now,
        },
    )
    # What the caller and the timeline read next, without a query each.
    response.survey = respondent.survey
    response.version = respondent.version
    response.unit = respondent.unit
    response.touchpoint = respondent.touchpoint
    response.customer = customer
    return response


def _profile(customer: Customer | None) -> tuple[str, str]:
    """The segment and lifecycle stage a response records of its customer, as they are now."""
    if customer is None:
        return "", ""
    return customer.segment, customer.lifecycle_stage


def write_answers(response: Response, cleaned: Mapping[int, list[StoredValue]]) -> None:
    """Inserts checked answers (``{question id: [StoredValue]}``) of a response."""
    fastinsert.insert_many(
        Answer,
        [
            {
                "response_id": response.pk,
                "question_id": question_id,
                "row": value.row,
                "number": value.number,
                "text": value.text,
                "choices": value.choices,
                "date": value.date,
            }
            for question_id, values in cleaned.items()
            for value in values
        ],
    )


# Invitation statuses only move forward; a late "opened" never hides "completed".
PROGRESS = [
    InvitationStatus.QUEUED,
    InvitationStatus.SENDING,
    InvitationStatus.SENT,
    InvitationStatus.DELIVERED,
    InvitationStatus.OPENED,
    InvitationStatus.STARTED,
    InvitationStatus.COMPLETED,
]


def _mark_invitation(invitation: Invitation | None, status: str) -> None:
    if invitation is None:
        return
    earlier = PROGRESS[: PROGRESS.index(InvitationStatus(status))]
    stamp = {InvitationStatus.STARTED: "started_at", InvitationStatus.COMPLETED: "completed_at"}
    # Bounced or failed messages can still be answered (e.g. the link was forwarded).
    Invitation.objects.filter(
        pk=invitation.pk,
        status__in=[*earlier, InvitationStatus.BOUNCED, InvitationStatus.FAILED],
    ).update(status=status, **{stamp[InvitationStatus(status)]: timezone.now()})
