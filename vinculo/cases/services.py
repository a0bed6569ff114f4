"""Working cases: open one (once per record), take or assign it, talk to the customer,
note, resolve with a root cause, close, reopen; and escalate the overdue once.

Every change writes one ``CaseEvent`` (the activity log) in the same transaction; opening,
each contact with the customer and resolving also write a row on the customer's timeline.
SLA due times come from ``deadlines``. Time to first response ends with the first contact
logged or the first time the owner takes the case in hand, whichever comes first.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor, actor_for_user
from vinculo.accounts.models import Department, Unit
from vinculo.accounts.permissions import Perm
from vinculo.cases.choices import (
    OPEN,
    TRANSITIONS,
    ContactChannel,
    ContactOutcome,
    EventKind,
    Priority,
    Status,
    Trigger,
)
from vinculo.cases.deadlines import CaseError, due_times, pauses_while_waiting, resumed_due
from vinculo.cases.events import case_event_recorded
from vinculo.cases.models import Case, CaseEvent, RootCause
from vinculo.cases.queries import cases_for
from vinculo.cases.routing import pick_owner
from vinculo.customers.models import Customer
from vinculo.journeys.models import Channel, InteractionType
from vinculo.journeys.services import record_interaction

logger = logging.getLogger(__name__)

TIMELINE_SOURCE = "cases"
TIMELINE_KIND = "case"
# The channel a case's timeline row is on: the contact's own, else the case's trigger's.
CONTACT_CHANNELS = {
    ContactChannel.CALL: "call_centre",
    ContactChannel.EMAIL: "email",
    ContactChannel.SMS: "sms",
    ContactChannel.CHAT: "chat",
    ContactChannel.VISIT: "store",
}
DEFAULT_CHANNEL = "call_centre"


@dataclass(frozen=True)
class NewCase:
    title: str
    unit: Unit
    priority: str = Priority.NORMAL
    customer: Customer | None = None
    department: Department | None = None
    description: str = ""
    trigger: str = Trigger.MANUAL
    trigger_id: int | None = None
    owner: User | None = None
    channel_code: str = ""  # the channel of what opened it, for the timeline
    touchpoint_id: int | None = None
    assignment: str = ""  # an Assignment: who of the department owns it when no owner


# -- opening ------------------------------------------------------------------------------


def existing_case(trigger: str, trigger_id: int | None) -> Case | None:
    if trigger == Trigger.MANUAL or trigger_id is None:
        return None
    return Case.objects.filter(trigger=trigger, trigger_id=trigger_id).first()


@transaction.atomic
def open_case(*, actor: Actor, data: NewCase, now: datetime | None = None) -> tuple[Case, bool]:
    """Opens a case; a record that already has one gets no other (returns it, False)."""
    found = existing_case(data.trigger, data.trigger_id)
    if found is not None:
        return found, False
    opened = now or timezone.now()
    case = _new_case(actor, data, opened)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        stored = existing_case(data.trigger, data.trigger_id)
        if stored is None:
            raise
        return stored, False
    _route(case, data, opened)
    log_event(case, actor, EventKind.OPENED, opened, data={"priority": case.priority})
    if case.owner is not None:
        owner = {"owner": case.owner.get_username()}
        log_event(case, actor, EventKind.ASSIGNED, opened, data=owner)
    _on_timeline(case, "case_opened", opened, data.channel_code, {"title": case.title})
    return case, True


def open_cases(
    *, actor: Actor, batch: Sequence[NewCase], now: datetime
) -> dict[tuple[str, int], Case]:
    """Opens a case for each record of ``batch`` at once (the alert rules' way): what
    ``open_case`` does for one, in a few queries for all. Returns every record's case,
    the ones it already had included; an entry that cannot open (no title, no SLA
    target for its priority) is left out and logged."""
    found = cases_of_records((data.trigger, data.trigger_id) for data in batch)
    todo: list[tuple[NewCase, Case]] = []
    for data in batch:
        if data.trigger == Trigger.MANUAL or data.trigger_id is None:
            continue
        key = (data.trigger, data.trigger_id)
        if key in found:
            continue
        try:
            case = _new_case(actor, data, now)
        except CaseError as refused:
            logger.warning("No case for %s %s: %s", data.trigger, data.trigger_id, refused.message)
            continue
        found[key] = case
        todo.append((data, case))
    if not todo:
        return found
    try:
        with transaction.atomic():
            Case.objects.bulk_create([case for _data, case in todo])
    except IntegrityError:  # another process opened one of them meanwhile: one at a time
        for data, _case in todo:
            case, _created = open_case(actor=actor, data=data, now=now)
            found[(data.trigger, case.trigger_id)] = case  # type: ignore[index]
        return found
    events = []
    for data, case in todo:
        _route(case, data, now)
        events.append(_event(case, actor, EventKind.OPENED, now, data={"priority": case.priority}))
        if case.owner is not None:
            owner = {"owner": case.owner.get_username()}
            events.append(_event(case, actor, EventKind.ASSIGNED, now, data=owner))
    for event in CaseEvent.objects.bulk_create(events):
        case_event_recorded(event)
    for data, case in todo:
        _on_timeline(case, "case_opened", now, data.channel_code, {"title": case.title})
    return found


def cases_of_records(keys: Iterable[tuple[str, int | None]]) -> dict[tuple[str, int], Case]:
    """The cases these records already have, by (trigger, record id)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for trigger, record_id in keys:
        if trigger != Trigger.MANUAL and record_id is not None:
            wanted[trigger].add(record_id)
    query = Q(pk__in=[])
    for trigger, ids in wanted.items():
        query |= Q(trigger=trigger, trigger_id__in=ids)
    return {(c.trigger, c.trigger_id): c for c in Case.objects.filter(query)}  # type: ignore[misc]


def _route(case: Case, data: NewCase, when: datetime) -> None:
    """A stored case without an owner whose rule asks for one gets one of its department's
    people (``routing``); picked after the insert, so a case that existed already never
    moves the round robin on."""
    if case.owner_id is not None or not data.assignment:
        return
    owner = pick_owner(data.department, data.unit, data.assignment, when)
    if owner is not None:
        case.owner = owner
        case.save(update_fields=["owner", "updated_at"])


def _new_case(actor: Actor, data: NewCase, opened: datetime) -> Case:
    """An unsaved case of ``data`` with its due times."""
    if not data.title.strip():
        raise CaseError("title", _("Give the case a title."))
    first_due, resolution_due = due_times(data.priority, opened)
    return Case(
        title=data.title.strip()[:200],
        description=data.description,
        customer=data.customer,
        unit=data.unit,
        touchpoint_id=data.touchpoint_id,
        department=data.department,
        owner=data.owner,
        priority=data.priority,
        trigger=data.trigger,
        trigger_id=data.trigger_id,
        opened_at=opened,
        first_response_due=first_due,
        resolution_due=resolution_due,
        created_by_label=actor.label[:150],
    )


# -- working it ---------------------------------------------------------------------------


@transaction.atomic
def take(*, actor: Actor, case: Case, now: datetime | None = None) -> Case:
    """The actor owns the case and starts on it (a new or reopened case is in progress)."""
    if actor.user_id is None:
        raise CaseError("owner", _("Only a person can own a case."))
    when = now or timezone.now()
    case = _locked(case)
    _require_open(case)
    if case.owner_id != actor.user_id:
        case.owner_id = actor.user_id
        log_event(case, actor, EventKind.ASSIGNED, when, data={"owner": actor.label})
    if case.status in (Status.NEW, Status.REOPENED):
        _move(case, actor, Status.IN_PROGRESS, when)
    if case.first_response_at is None:
        case.first_response_at = when
    case.save()
    return case


@transaction.atomic
def assign(*, actor: Actor, case: Case, owner: User, now: datetime | None = None) -> Case:
    """Gives the case to ``owner``, who must be able to see and work it."""
    owner_actor = actor_for_user(owner)
    can_see = cases_for(owner_actor).filter(pk=case.pk).exists()
    if not (can_see and owner_actor.can(Perm.WORK_CASES)):
        raise CaseError(
            "owner",
            _("%(name)s cannot work this case (another department or unit, or no permission).")
            % {"name": owner.get_username()},
        )
    when = now or timezone.now()
    case = _locked(case)
    _require_open(case)
    if case.owner_id != owner.pk:
        case.owner = owner
        case.save(update_fields=["owner", "updated_at"])
        log_event(case, actor, EventKind.ASSIGNED, when, data={"owner": owner.get_username()})
    return case


@transaction.atomic
def set_status(*, actor: Actor, case: Case, status: str, now: datetime | None = None) -> Case:
    """In progress, waiting for the customer or closed; resolving and reopening have
    their own functions (they need a root cause, or reset the SLA)."""
    if status in (Status.RESOLVED, Status.REOPENED, Status.NEW):
        raise CaseError("status", _("Use resolve or reopen for this change."))
    when = now or timezone.now()
    case = _locked(case)
    _move(case, actor, status, when)
    if status == Status.CLOSED:
        case.closed_at = when
    case.save()
    if status == Status.CLOSED:
        _on_timeline(case, "case_closed", when, "", {}, suffix=f"closed-{case.reopened}")
    return case


@transaction.atomic
def add_note(*, actor: Actor, case: Case, text: str, now: datetime | None = None) -> CaseEvent:
    """A private note: seen by who works the case, never by the customer."""
    if not text.strip():
        raise CaseError("text", _("Write the note."))
    return log_event(case, actor, EventKind.NOTE, now or timezone.now(), text=text.strip())


@transaction.atomic
def add_action(*, actor: Actor, case: Case, text: str, now: datetime | None = None) -> CaseEvent:
    """Something done to fix it: a refund, a technician's visit, a replaced device."""
    if not text.strip():
        raise CaseError("text", _("Describe the action taken."))
    _require_open(case)
    return log_event(case, actor, EventKind.ACTION, now or timezone.now(), text=text.strip())


@transaction.atomic
def log_contact(
    *,
    actor: Actor,
    case: Case,
    channel: str,
    outcome: str,
    text: str = "",
    now: datetime | None = None,
) -> CaseEvent:
    """Closing the loop with the customer: the call or e-mail, and how it went. The first
    one ends the time to first response; each one is on the customer's timeline."""
    if channel not in ContactChannel.values:
        raise CaseError("channel", _("Choose how the customer was contacted."))
    if outcome not in ContactOutcome.values:
        raise CaseError("outcome", _("Choose how the contact went."))
    when = now or timezone.now()
    case = _locked(case)
    event = log_event(
        case,
        actor,
        EventKind.CONTACT,
        when,
        text=text.strip(),
        contact_channel=channel,
        contact_outcome=outcome,
    )
    if case.first_response_at is None:
        case.first_response_at = when
        case.save(update_fields=["first_response_at", "updated_at"])
    _on_timeline(
        case,
        "case_contact",
        when,
        CONTACT_CHANNELS[ContactChannel(channel)],
        {"outcome": outcome},
        suffix=f"contact-{event.pk}",
    )
    return event


@transaction.atomic
def resolve(
    *,
    actor: Actor,
    case: Case,
    root_cause: RootCause | None,
    resolution: str,
    follow_up: bool = False,
    now: datetime | None = None,
) -> Case:
    """Resolved, with the root cause (for the outer loop) and what was done; with
    ``follow_up``, the customer gets the follow-up survey (``follow_up.send_follow_up``)."""
    if root_cause is None:
        raise CaseError("root_cause", _("Choose the root cause."))
    if not resolution.strip():
        raise CaseError("resolution", _("Say how the case was resolved."))
    when = now or timezone.now()
    case = _locked(case)
    _move(case, actor, Status.RESOLVED, when)
    case.root_cause = root_cause
    case.resolution = resolution.strip()
    case.resolved_at = when
    if case.first_response_at is None:
        case.first_response_at = when
    case.save()
    log_event(case, actor, EventKind.ROOT_CAUSE, when, data={"root_cause": root_cause.name})
    _on_timeline(
        case,
        "case_resolved",
        when,
        "",
        {"root_cause": root_cause.name},
        suffix=f"resolved-{case.reopened}",
    )
    if follow_up:
        from vinculo.cases.follow_up import send_follow_up  # it builds on this module

        send_follow_up(case=case, now=when)
    return case


@transaction.atomic
def reopen(*, actor: Actor, case: Case, reason: str, now: datetime | None = None) -> Case:
    """Back to work: the customer says it is not fixed. The resolution clock starts again."""
    if not reason.strip():
        raise CaseError("reason", _("Say why the case is reopened."))
    when = now or timezone.now()
    case = _locked(case)
    _move(case, actor, Status.REOPENED, when, text=reason.strip())
    case.reopened += 1
    case.resolved_at = case.closed_at = case.escalated_at = None
    _first, case.resolution_due = due_times(case.priority, when)
    case.save()
    _on_timeline(case, "case_reopened", when, "", {}, suffix=f"reopened-{case.reopened}")
    return case


@transaction.atomic
def set_priority(*, actor: Actor, case: Case, priority: str, now: datetime | None = None) -> Case:
    """A new priority: the due times are those of the new priority, from the opening."""
    if priority not in Priority.values:
        raise CaseError("priority", _("Choose a priority."))
    case = _locked(case)
    _require_open(case)
    if priority != case.priority:
        before = case.priority
        case.priority = priority
        case.first_response_due, case.resolution_due = due_times(priority, case.opened_at)
        case.save()
        data = {"from": before, "to": priority}
        log_event(case, actor, EventKind.PRIORITY, now or timezone.now(), data=data)
    return case


# -- helpers ------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _require_open(case: Case) -> None:
    if case.status not in OPEN:
        raise CaseError("status", _("The case is not open: reopen it first."))


def _move(case: Case, actor: Actor | None, status: str, when: datetime, text: str = "") -> None:
    if status not in TRANSITIONS[Status(case.status)]:
        raise CaseError(
            "status",
            _("A case that is “%(current)s” cannot become “%(next)s”.")
            % {"current": case.get_status_display(), "next": Status(status).label},
        )
    before = case.status
    case.status = status
    data: dict[str, Any] = {"from": before, "to": status}
    if case.paused_at is not None and status != Status.WAITING:
        due = resumed_due(case.priority, case.resolution_due, case.paused_at, when)
        data["resolution_due"] = {"from": case.resolution_due.isoformat(), "to": due.isoformat()}
        case.resolution_due, case.paused_at = due, None
    elif status == Status.WAITING and pauses_while_waiting():
        case.paused_at = when
    log_event(case, actor, EventKind.STATUS, when, text=text, data=data)


def log_event(
    case: Case,
    actor: Actor | None,
    kind: str,
    when: datetime,
    *,
    text: str = "",
    data: dict[str, Any] | None = None,
    contact_channel: str = "",
    contact_outcome: str = "",
) -> CaseEvent:
    event = _event(
        case,
        actor,
        kind,
        when,
        text=text,
        data=data,
        contact_channel=contact_channel,
        contact_outcome=contact_outcome,
    )
    event.save()
    case_event_recorded(event)
    return event


def _event(
    case: Case,
    actor: Actor | None,
    kind: str,
    when: datetime,
    *,
    text: str = "",
    data: dict[str, Any] | None = None,
    contact_channel: str = "",
    contact_outcome: str = "",
) -> CaseEvent:
    return CaseEvent(
        case=case,
        kind=kind,
        actor_id=actor.user_id if actor is not None else None,
        actor_label=(actor.label if actor is not None else "system")[:150],
        text=text,
        data=data or {},
        contact_channel=contact_channel,
        contact_outcome=contact_outcome,
        created_at=when,
    )


def _on_timeline(
    case: Case,
    kind: str,
    when: datetime,
    channel_code: str,
    attributes: dict[str, Any],
    *,
    suffix: str = "",
) -> None:
    """One timeline row per case event that concerns the customer; again adds nothing."""
    if case.customer_id is None:
        return
    channel = Channel.objects.filter(code=channel_code or DEFAULT_CHANNEL).first()
    channel = channel or Channel.objects.get(code=DEFAULT_CHANNEL)
    assert case.customer is not None
    record_interaction(
        customer=case.customer,
        channel=channel,
        interaction_type=InteractionType.objects.select_related("default_stage").get(code=kind),
        unit=case.unit,
        occurred_at=when,
        source=TIMELINE_SOURCE,
        external_id=f"case-{case.pk}-{suffix or kind}",
        attributes={"case": case.pk, **attributes},
        record_kind=TIMELINE_KIND,
        record_id=case.pk,
    )
