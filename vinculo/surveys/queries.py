"""Read side of surveys: what an actor may see. Views and the API share these.

Surveys are company material; responses are scoped by unit (the actor's subtree). Lists
read their related rows in a fixed number of queries, whatever the page size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import Perm
from vinculo.customers.queries import is_visible, visible_customers
from vinculo.lib.dates import day_start
from vinculo.surveys.choices import InvitationStatus
from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.events import HEADLINE_KINDS
from vinculo.surveys.logic import PIPE
from vinculo.surveys.models import (
    Answer,
    Distribution,
    Invitation,
    Question,
    Response,
    Survey,
    SurveyVersion,
)

RESPONSES_PER_PAGE = 50
# NPS groups by the standard cut-offs: promoters 9-10, passives 7-8, detractors 0-6.
NPS_GROUPS: dict[str, tuple[int, int]] = {
    "promoter": (9, 10),
    "passive": (7, 8),
    "detractor": (0, 6),
}
NPS_KINDS = (K.NPS, K.ENPS)


def visible_surveys(actor: Actor) -> QuerySet[Survey]:
    """Every survey: surveys are company material; their answers are what is scoped."""
    return Survey.objects.select_related("unit", "touchpoint", "current_version")


def visible_responses(actor: Actor) -> QuerySet[Response]:
    """Responses given in the actor's units (their whole subtree), newest first."""
    responses = Response.objects.select_related(
        "survey", "version", "unit", "channel", "touchpoint", "customer"
    )
    if actor.unit_ids is not None:
        responses = responses.filter(unit_id__in=actor.unit_ids)
    return responses


def survey_list(actor: Actor) -> QuerySet[Survey]:
    """Surveys with the number of responses the actor may see and whether a draft is open."""
    if actor.unit_ids is None:
        responses = Count("responses")
    else:
        responses = Count("responses", filter=Q(responses__unit_id__in=sorted(actor.unit_ids)))
    drafts = SurveyVersion.objects.filter(survey=OuterRef("pk"), published_at__isnull=True)
    surveys = visible_surveys(actor).annotate(response_count=responses, has_draft=Exists(drafts))
    return surveys.order_by("name", "id")


@dataclass(frozen=True)
class VersionRow:
    number: int
    published_at: datetime | None
    responses: int


def version_history(actor: Actor, survey: Survey) -> list[VersionRow]:
    """Every version, newest first, with the responses (that the actor may see) to each."""
    counts = dict(
        visible_responses(actor)
        .filter(survey=survey)
        .order_by()
        .values_list("version_id")
        .annotate(total=Count("id"))
    )
    return [
        VersionRow(version.number, version.published_at, counts.get(version.pk, 0))
        for version in survey.versions.order_by("-number")
    ]


def working_version(survey: Survey) -> SurveyVersion | None:
    """The draft if one is open, else the published version (read without opening a draft)."""
    draft = survey.versions.filter(published_at__isnull=True).first()
    return draft or survey.current_version


@dataclass(frozen=True)
class ResponseFilter:
    """The filters of the responses list, page and API alike; empty values do not filter."""

    survey_id: int | None = None
    unit: Unit | None = None  # its whole subtree
    status: str = ""
    collector: str = ""
    channel: str = ""
    since: date | None = None
    until: date | None = None
    nps_group: str = ""
    customer: str = ""  # "known" or "anonymous"
    text: str = ""
    # What a figure's drill-down adds: where, who (as they were when answering) and a
    # score range of one measure, e.g. ("csat", 1, 2) for the dissatisfied.
    touchpoint_id: int | None = None
    interaction_type: str = ""  # a code: the touchpoints of that type
    stage: str = ""  # a journey stage code: the touchpoints of that stage
    segment: str = ""
    lifecycle: str = ""
    score: tuple[str, int, int] | None = None


def filtered_responses(actor: Actor, filters: ResponseFilter) -> QuerySet[Response]:
    """The actor's responses narrowed by ``filters``, newest first."""
    rows = visible_responses(actor)
    if filters.survey_id is not None:
        rows = rows.filter(survey_id=filters.survey_id)
    if filters.unit is not None:
        rows = rows.filter(unit__path__startswith=filters.unit.path)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.collector:
        rows = rows.filter(collector=filters.collector)
    if filters.channel:
        rows = rows.filter(channel__code=filters.channel)
    # A complete response counts on the day it was completed (as in the metrics), one in
    # progress on the day it was started.
    if filters.since:
        start = day_start(filters.since)
        rows = rows.filter(
            Q(completed_at__gte=start) | Q(completed_at__isnull=True, started_at__gte=start)
        )
    if filters.until:
        end = day_start(filters.until + timedelta(days=1))
        rows = rows.filter(
            Q(completed_at__lt=end) | Q(completed_at__isnull=True, started_at__lt=end)
        )
    if filters.touchpoint_id is not None:
        rows = rows.filter(touchpoint_id=filters.touchpoint_id)
    if filters.interaction_type:
        rows = rows.filter(touchpoint__interaction_type__code=filters.interaction_type)
    if filters.stage:
        rows = rows.filter(touchpoint__stage__code=filters.stage)
    if filters.segment:
        rows = rows.filter(segment=filters.segment)
    if filters.lifecycle:
        rows = rows.filter(lifecycle_stage=filters.lifecycle)
    if filters.score is not None:
        kind, low, high = filters.score
        scored = Answer.objects.filter(
            question__kind=kind, row="", number__gte=low, number__lte=high
        )
        rows = rows.filter(pk__in=scored.values("response_id"))
    if filters.customer == "known":
        rows = rows.filter(customer__isnull=False)
    elif filters.customer == "anonymous":
        rows = rows.filter(customer__isnull=True)
    if filters.nps_group in NPS_GROUPS:
        low, high = NPS_GROUPS[filters.nps_group]
        scored = Answer.objects.filter(
            question__kind__in=NPS_KINDS, row="", number__gte=low, number__lte=high
        )
        rows = rows.filter(pk__in=scored.values("response_id"))
    if filters.text.strip():
        found = Answer.objects.filter(text__icontains=filters.text.strip())
        rows = rows.filter(pk__in=found.values("response_id"))
    return rows.order_by("-started_at", "-id")


def headline_scores(response_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """The scores (NPS, CSAT, CES, ratings) of each response, keyed by question key: one query."""
    scores: dict[int, dict[str, int]] = {}
    rows = (
        Answer.objects.filter(
            response_id__in=list(response_ids),
            question__kind__in=HEADLINE_KINDS,
            row="",
        )
        .order_by("response_id", "question__position")
        .values_list("response_id", "question__key", "number")
    )
    for response_id, key, number in rows:
        if number is not None:
            scores.setdefault(response_id, {})[key] = number
    return scores


def with_scores(responses: Iterable[Response]) -> list[Response]:
    """The responses, each with ``scores`` ({key: number}) and ``comment`` (its first open
    answer, or ""), read in two queries for them all."""
    listed = list(responses)
    scores = headline_scores(r.pk for r in listed)
    comments: dict[int, str] = {}
    texts = (
        Answer.objects.filter(
            response_id__in=[r.pk for r in listed], question__kind__in=(K.LONG_TEXT, K.SHORT_TEXT)
        )
        .exclude(text="")
        .order_by("response_id", "question__position")
        .values_list("response_id", "text")
    )
    for response_id, text in texts:
        comments.setdefault(response_id, text)
    for response in listed:
        response.scores = scores.get(response.pk, {})  # type: ignore[attr-defined]
        response.comment = comments.get(response.pk, "")  # type: ignore[attr-defined]
    return listed


def mark_visible_customers(actor: Actor, responses: list[Response]) -> list[Response]:
    """Sets ``customer_visible`` on each response: may the actor open its customer? One query.

    A response in the actor's units may belong to a customer they cannot see (e.g. one
    whose home is elsewhere who has not completed it): such customers show by id only.
    """
    ids = {r.customer_id for r in responses if r.customer_id is not None}
    visible: set[int] = set()
    if ids and actor.can(Perm.VIEW_CUSTOMERS):
        visible = set(visible_customers(actor).filter(pk__in=ids).values_list("pk", flat=True))
    for response in responses:
        response.customer_visible = response.customer_id in visible  # type: ignore[attr-defined]
    return responses


def text_in(texts: Mapping[str, str] | None, language: str, fallback: str = "es") -> str:
    """A text in ``language``, else in ``fallback``, else in any language it has."""
    if not texts:
        return ""
    return texts.get(language) or texts.get(fallback) or next(iter(texts.values()), "")


def answer_label(question: Question, answers: list[Answer], language: str, fallback: str) -> str:
    """A person-readable rendering of one question's answer rows, labels in ``language``."""
    if not answers:
        return ""
    labels = {o["code"]: text_in(o["label"], language, fallback) for o in question.options}
    first = answers[0]
    if question.kind in (K.YES_NO, K.CONSENT):
        return str(_("Yes")) if first.number else str(_("No"))
    if question.kind == K.MATRIX:
        rows = {r["code"]: text_in(r["label"], language, fallback) for r in question.rows}
        return "; ".join(
            f"{rows.get(a.row, a.row)}: {labels.get((a.choices or [''])[0], '')}" for a in answers
        )
    if first.choices is not None:
        separator = " > " if question.kind == K.RANKING else "; "
        return separator.join(labels.get(code, code) for code in first.choices)
    if first.number is not None:
        return str(first.number)
    if first.date is not None:
        return first.date.isoformat()
    return first.text


@dataclass(frozen=True)
class AnswerLine:
    """One question of a response's version and what was answered (empty: not answered)."""

    question: Question
    text: str
    answers: list[Answer]
    label: str


@dataclass(frozen=True)
class ResponseDetail:
    response: Response
    lines: list[AnswerLine]
    customer_visible: bool
    scores: dict[str, int] = field(default_factory=dict)


def visible_response(actor: Actor, response_id: int) -> Response | None:
    """One response with its answers and their questions, if in the actor's scope."""
    answers = Prefetch("answers", queryset=Answer.objects.select_related("question"))
    rows = visible_responses(actor).select_related("invitation").prefetch_related(answers)
    return rows.filter(pk=response_id).first()


def response_detail(actor: Actor, response_id: int, language: str) -> ResponseDetail | None:
    """Every question of the response's version with its answer, texts in ``language``."""
    response = visible_response(actor, response_id)
    if response is None:
        return None
    fallback = response.survey.default_language
    by_question: dict[int, list[Answer]] = {}
    for answer in response.answers.all():
        by_question.setdefault(answer.question_id, []).append(answer)
    # Where the answer was given fills its placeholders; others stay visible as typed.
    where = {"unit": response.unit.name, "store": response.unit.name}
    if response.touchpoint is not None:
        where["touchpoint"] = response.touchpoint.name
    lines = [
        AnswerLine(
            question=question,
            text=PIPE.sub(
                lambda m: where.get(m.group(1), m.group(0)),
                text_in(question.text, language, fallback),
            ),
            answers=by_question.get(question.pk, []),
            label=answer_label(question, by_question.get(question.pk, []), language, fallback),
        )
        for question in response.version.questions.all()
    ]
    customer_visible = (
        response.customer_id is not None
        and actor.can(Perm.VIEW_CUSTOMERS)
        and is_visible(actor, response.customer_id)
    )
    scores = {
        line.question.key: line.answers[0].number
        for line in lines
        if line.question.kind in HEADLINE_KINDS
        and line.answers
        and line.answers[0].number is not None
    }
    return ResponseDetail(response, lines, customer_visible, scores)


# -- invitations -------------------------------------------------------------------------


def status_counts(invitations: QuerySet[Invitation]) -> dict[str, int]:
    """Invitations per status, every status present (zeros included), in display order."""
    found = dict(
        invitations.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in InvitationStatus.values}


# How the pages group statuses: waiting, reached the customer, answered, not sent, failed.
SUMMARY = {
    "waiting": (InvitationStatus.QUEUED, InvitationStatus.SENDING),
    "reached": (
        InvitationStatus.SENT,
        InvitationStatus.DELIVERED,
        InvitationStatus.OPENED,
        InvitationStatus.STARTED,
        InvitationStatus.COMPLETED,
    ),
    "completed": (InvitationStatus.COMPLETED,),
    "suppressed": (InvitationStatus.SUPPRESSED,),
    "failed": (InvitationStatus.FAILED, InvitationStatus.BOUNCED),
}


def summarise(counts: Mapping[str, int]) -> dict[str, int]:
    return {group: sum(counts.get(s, 0) for s in statuses) for group, statuses in SUMMARY.items()}


def counts_by_distribution(distributions: Iterable[Distribution]) -> dict[int, dict[str, int]]:
    """Status counts for several campaigns in one query."""
    ids = [d.pk for d in distributions]
    counts: dict[int, dict[str, int]] = {
        pk: dict.fromkeys(InvitationStatus.values, 0) for pk in ids
    }
    rows = (
        Invitation.objects.filter(distribution_id__in=ids)
        .order_by()
        .values_list("distribution_id", "status")
        .annotate(n=Count("pk"))
    )
    for distribution_id, status, n in rows:
        counts[distribution_id][status] = n
    return counts


def distribution_invitations(
    distribution: Distribution, *, status: str = ""
) -> QuerySet[Invitation]:
    """A campaign's invitations with their customers, newest first, optionally by status."""
    invitations = Invitation.objects.filter(distribution=distribution).select_related("customer")
    if status:
        invitations = invitations.filter(status=status)
    return invitations.order_by("-id")


def reachable(actor: Actor) -> Q:
    """Invitations a unit-limited actor may list: those landing in their units."""
    return Q() if actor.unit_ids is None else Q(unit_id__in=actor.unit_ids)


def visible_distributions(actor: Actor) -> QuerySet[Distribution]:
    """Campaigns the actor may see and act on. A unit-limited actor only creates campaigns
    whose audience is a unit of theirs, and only those reach them afterwards."""
    distributions = Distribution.objects.select_related("survey", "unit", "touchpoint")
    if actor.unit_ids is None:
        return distributions
    in_scope = [
        pk
        for pk, audience in Distribution.objects.values_list("pk", "audience")
        if str((audience or {}).get("unit", "")).isdigit()
        and int(audience["unit"]) in actor.unit_ids
    ]
    return distributions.filter(pk__in=in_scope)
