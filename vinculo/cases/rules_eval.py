"""Evaluating alert rules on new events: read each kind of event in id order above its
high-water mark (``RuleState``), a chunk at a time, build a small dict of facts per event
(a few queries per chunk, never one per event or per rule), test every active rule, and
write what matched.

Idempotent: each chunk is evaluated under ``RuleState``'s row lock; a rule matches an
event once (``RuleMatch``'s unique constraint, checked before writing); an event opens
one case whatever the number of rules that match it (``open_case`` is idempotent per
record: a response, a feedback item or an interaction); notifications are written only
with a new match (unique per match and person). Every run looks back ``LOOKBACK`` events
below the mark for rows committed late; re-reading them adds nothing.

A rule only reads events recorded (``created_at``) after the rule was created: a new rule
never opens cases for last year's detractors. Responses are read when complete, above the
mark: one completed long after it was started, more than ``LOOKBACK`` responses later, is
not read. Timeline rows written by cases themselves are never events.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Department, Unit
from vinculo.cases.choices import Priority
from vinculo.cases.escalation import unit_managers
from vinculo.cases.events import rule_match_recorded
from vinculo.cases.models import AlertRule, Notification, RuleMatch, RuleState
from vinculo.cases.rule_choices import RuleAction, RuleEvent
from vinculo.cases.rules import Compiled, compile_rule, render_title, repeat_key
from vinculo.cases.rules_facts import SOURCES, Facts, Source
from vinculo.cases.services import NewCase, cases_of_records, open_cases
from vinculo.customers.models import Customer

logger = logging.getLogger(__name__)

CHUNK = 2_000
LOOKBACK = 2_000
BUDGET_SECONDS = 30.0
DEFAULT_DEPARTMENT = "customer_service"
URGENCY = {p: rank for rank, p in enumerate(Priority.values)}  # urgent first


# -- the rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    rule: AlertRule
    compiled: Compiled


def active_rules() -> dict[str, list[Loaded]]:
    by_kind: dict[str, list[Loaded]] = defaultdict(list)
    for rule in AlertRule.objects.filter(active=True).prefetch_related("units"):
        paths = [u.path for u in rule.units.all()]
        compiled = compile_rule(rule.pk, rule.conditions, paths, rule.created_at)
        by_kind[rule.event].append(Loaded(rule, compiled))
    return by_kind


def facts_needed(rules: Sequence[Loaded]) -> set[str]:
    needs = set()
    for loaded in rules:
        for condition in loaded.rule.conditions:
            field = condition["field"]
            needs.add(repeat_key(condition) if field.startswith("repeat:") else field)
    return needs


def lock_state() -> RuleState:
    RuleState.objects.get_or_create(pk=1)
    return RuleState.objects.select_for_update().get(pk=1)


def evaluate_new(
    *, chunk: int = CHUNK, budget_seconds: float = BUDGET_SECONDS, now: datetime | None = None
) -> int:
    """Evaluates the active rules on the events recorded since the last run (and the
    look-back window); returns how many events were read. A backlog bigger than the
    budget is left to the next run."""
    started, read = time.monotonic(), 0
    rules = active_rules()
    for source in SOURCES:
        if not rules.get(source.kind):
            _skip_to_newest(source)  # nothing watches them; a new rule starts from now
            continue
        needs = facts_needed(rules[source.kind])
        managers: dict[int, list[Any]] = {}  # each unit's managers, looked up once a run
        cursor: int | None = None
        while True:
            with transaction.atomic():
                state = lock_state()
                last = getattr(state, source.mark)
                if cursor is None:
                    cursor = max(0, last - LOOKBACK)
                events = source.read(cursor, chunk, needs)
                if not events:
                    break
                when = now or timezone.now()
                write_matches(source.kind, events, rules[source.kind], when, managers)
                cursor = events[-1]["id"]
                if cursor > last:
                    RuleState.objects.filter(pk=1).update(**{source.mark: cursor})
            read += len(events)
            if time.monotonic() - started > budget_seconds:
                return read
    return read


def _skip_to_newest(source: Source) -> None:
    newest = source.model.objects.aggregate(top=Max("pk"))["top"] or 0  # type: ignore[attr-defined]
    RuleState.objects.get_or_create(pk=1)
    RuleState.objects.filter(pk=1, **{f"{source.mark}__lt": newest}).update(**{source.mark: newest})


# -- writing what matched -----------------------------------------------------------------


def evaluate(events: Sequence[Facts], rules: Sequence[Loaded]) -> list[tuple[Facts, list[Loaded]]]:
    """The events some rule matches, each with the rules that match it."""
    matched = []
    in_scope: dict[str, list[Loaded]] = {}  # the rules covering each unit, found once
    for facts in events:
        path = facts["unit_path"]
        if path not in in_scope:
            in_scope[path] = [r for r in rules if r.compiled.covers(path)]
        hits = [loaded for loaded in in_scope[path] if loaded.compiled.holds(facts)]
        if hits:
            matched.append((facts, hits))
    return matched


def write_matches(
    kind: str,
    events: Sequence[Facts],
    rules: Sequence[Loaded],
    now: datetime,
    managers: dict[int, list[Any]] | None = None,
) -> int:
    """Writes the new matches of these events, their cases and notifications; returns how
    many matches were new. Call under ``lock_state``."""
    matched = evaluate(events, rules)
    if not matched:
        return 0
    event_ids = [facts["id"] for facts, _hits in matched]
    known = set(
        RuleMatch.objects.filter(event=kind, event_id__in=event_ids).values_list(
            "rule_id", "event_id"
        )
    )
    fresh = [
        (facts, [h for h in hits if (h.rule.pk, facts["id"]) not in known])
        for facts, hits in matched
    ]
    fresh = [(facts, hits) for facts, hits in fresh if hits]
    if not fresh:
        return 0
    units = Unit.objects.in_bulk({facts["unit_id"] for facts, _hits in fresh})
    customer_ids = {facts["customer_id"] for facts, _hits in fresh} - {None}
    customers = Customer.objects.in_bulk(customer_ids)
    departments = Department.objects.in_bulk()
    openings = [
        _case_of(kind, facts, hits, units, customers, departments)
        for facts, hits in fresh
        if any(h.rule.action in (RuleAction.CASE, RuleAction.BOTH) for h in hits)
    ]
    if openings:
        cases = open_cases(actor=SYSTEM, batch=openings, now=now)
    else:
        cases = cases_of_records({(facts["trigger"], facts["trigger_id"]) for facts, _h in fresh})
    matches: list[RuleMatch] = []
    notify: list[tuple[RuleMatch, Facts]] = []
    for facts, hits in fresh:
        case = cases.get((facts["trigger"], facts["trigger_id"]))
        for loaded in hits:
            match = RuleMatch(
                rule=loaded.rule, event=kind, event_id=facts["id"], case=case, matched_at=now
            )
            matches.append(match)
            if loaded.rule.action in (RuleAction.NOTIFY, RuleAction.BOTH):
                notify.append((match, facts))
    RuleMatch.objects.bulk_create(matches)
    recipients = _notify(notify, units, now, {} if managers is None else managers)
    for match in matches:
        rule_match_recorded(match, recipients.get(id(match), []))
    return len(matches)


def _case_of(
    kind: str,
    facts: Facts,
    hits: Sequence[Loaded],
    units: dict[int, Unit],
    customers: dict[int, Customer],
    departments: dict[int, Department],
) -> NewCase:
    """The case the most urgent of the matching rules that open cases asks for."""
    opening = [h.rule for h in hits if h.rule.action in (RuleAction.CASE, RuleAction.BOTH)]
    lead = min(opening, key=lambda r: (URGENCY.get(r.priority, 99), r.pk))
    unit = units[facts["unit_id"]]
    customer = customers.get(facts["customer_id"]) if facts["customer_id"] else None
    values = {"rule": lead.name, "unit": unit.name, "customer": customer.name if customer else "—"}
    return NewCase(
        title=render_title(lead.title, values) or lead.name,
        unit=unit,
        priority=lead.priority,
        customer=customer,
        department=lead.department or _department(facts["department_id"], departments),
        description=_("Opened by the alert rule “%(rule)s” (%(event)s %(id)s).")
        % {"rule": lead.name, "event": RuleEvent(kind).label, "id": facts["id"]},
        trigger=facts["trigger"],
        trigger_id=facts["trigger_id"],
        channel_code=facts.get("channel") or "",
        touchpoint_id=int(facts["touchpoint"]) if facts.get("touchpoint") else None,
        # The lead rule's way of finding an owner, else that of any other rule opening it.
        assignment=lead.assignment or next((r.assignment for r in opening if r.assignment), ""),
    )


def _department(department_id: int | None, departments: dict[int, Department]) -> Department | None:
    """The department of the event's interaction type, else customer service."""
    if department_id in departments:
        return departments[department_id]
    return next((d for d in departments.values() if d.code == DEFAULT_DEPARTMENT), None)


def _notify(
    notify: list[tuple[RuleMatch, Facts]],
    units: dict[int, Unit],
    now: datetime,
    managers: dict[int, list[Any]],
) -> dict[int, list[Any]]:
    """Writes the in-app notifications; returns who was told of each match (by ``id``).
    ``managers`` caches each unit's managers (filled here)."""
    told: dict[int, list[Any]] = {}
    rows = []
    for match, facts in notify:
        unit = units[facts["unit_id"]]
        if unit.pk not in managers:
            managers[unit.pk] = unit_managers(unit)
        text = _("%(rule)s: %(event)s in %(unit)s") % {
            "rule": match.rule.name,
            "event": RuleEvent(match.event).label,
            "unit": unit.name,
        }
        told[id(match)] = managers[unit.pk]
        for person in managers[unit.pk]:
            rows.append(
                Notification(
                    recipient=person,
                    rule=match.rule,
                    match=match,
                    case=match.case,
                    text=text[:300],
                    created_at=now,
                )
            )
    Notification.objects.bulk_create(rows)
    return told
