"""Service-to-sales signals: a customer of a segment contacts one department (customer
service), and another (sales) is told, with the context; the sale that follows, if any,
is linked to the signal so the uplift can be measured against the held-out signals.

Evaluation (``evaluate_signals``, the periodic ``evaluate_sales_signals_task``) reads new
interactions in id order above ``RuleState.last_signal_interaction_id``, a chunk at a
time under that row's lock, looking back ``LOOKBACK`` ids for rows committed late. Only
contacts with a department some active rule listens to are read; case timeline rows and
survey responses are never contacts. A contact raises a signal of a rule when its type's
department is the rule's source, its unit is in the rule's scope, the customer is in the
segment (their attributes now) and it was recorded after the rule was created. Then:

- one signal per rule and contact (a unique constraint), raised at the contact's time;
- at most one per customer and rule within ``window_days`` of another: a customer who
  calls three times in a week is one signal, not three (and sales is told once);
- a contact older than the window when it is read (a late import) raises none: there is
  nothing left to act on;
- a share of customers is held out: ``held_out`` comes from a hash of (rule, customer)
  against ``holdout_percent``, so it is reproducible and a customer stays in one group;
- a signal not held out notifies, in the app, each active person of the target
  department whose scope covers the unit (``Notification`` kind ``signal``, key
  ``signal-<id>``: written once).

Sale linking (same pass): a sale is an interaction of a transaction type
(``is_transaction``) of the rule's target department (the department told measures its
own sales: for sales, in the seed, ``sale``, ``order`` and ``renewal``, not payments).
The run reads the sales of the rules' target departments with the contacts, above the
same cursor; each signal without a sale whose window is open or closed less than
``GRACE`` ago, of a customer with a sale read in the run or raised in the run, gets the
customer's first sale after the contact and within the window. So a run costs what came
in since the last one (and the look-back), not every waiting signal: the cursor is the
record of what was checked. ``link_sales`` without customers rescans every waiting
signal (the demo's loader). Held-out signals get their sales linked too: they are the
control group.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vinculo.accounts.models import Unit
from vinculo.cases.choices import NotificationKind
from vinculo.cases.models import Notification, RuleState, SalesSignal, SalesSignalRule
from vinculo.cases.notify import language_of, mail_later
from vinculo.cases.routing import department_people
from vinculo.cases.rules import Compiled, compile_rule
from vinculo.cases.rules_eval import lock_state
from vinculo.cases.services import TIMELINE_KIND
from vinculo.customers.models import Customer
from vinculo.journeys.models import Interaction
from vinculo.surveys.events import RESPONSE_KIND

CHUNK = 1_000
LOOKBACK = 2_000
BUDGET_SECONDS = 30.0
GRACE = timedelta(days=7)  # sales recorded late still reach a signal whose window closed
SEGMENT_FIELDS = ("value_tier", "lifecycle_stage", "segment")
Facts = dict[str, Any]


@dataclass(frozen=True)
class Loaded:
    rule: SalesSignalRule
    compiled: Compiled


def active_rules() -> list[Loaded]:
    rules = SalesSignalRule.objects.filter(active=True).select_related(
        "source_department", "target_department"
    )
    loaded = []
    for rule in rules.prefetch_related("units"):
        paths = [u.path for u in rule.units.all()]
        loaded.append(Loaded(rule, compile_rule(rule.pk, rule.segment, paths, rule.created_at)))
    return loaded


def held_out(rule_id: int, customer_id: int, percent: int) -> bool:
    """Whether the customer is in the rule's control group: the same answer every time."""
    digest = hashlib.sha256(f"{rule_id}:{customer_id}".encode()).hexdigest()
    return int(digest[:8], 16) % 100 < percent


# -- reading contacts ---------------------------------------------------------------------

COLUMNS = {
    "id": "pk",
    "created_at": "created_at",
    "occurred_at": "occurred_at",
    "customer_id": "customer_id",
    "unit_id": "unit_id",
    "unit_path": "unit__path",
    "department_id": "touchpoint__interaction_type__department_id",
    "is_transaction": "touchpoint__interaction_type__is_transaction",
    "value_tier": "customer__value_tier",
    "lifecycle_stage": "customer__lifecycle_stage",
    "segment": "customer__segment",
}


def contacts(
    department_ids: Iterable[int], sale_department_ids: Iterable[int] = ()
) -> QuerySet[Interaction]:
    """Interactions with one of these departments that are contacts (see the docstring),
    and the sales of ``sale_department_ids``."""
    wanted = Q(touchpoint__interaction_type__department_id__in=list(department_ids))
    wanted |= Q(
        touchpoint__interaction_type__is_transaction=True,
        touchpoint__interaction_type__department_id__in=list(sale_department_ids),
    )
    return (
        Interaction.objects.filter(wanted)
        .exclude(record_kind__in=[TIMELINE_KIND, RESPONSE_KIND])
        .order_by("pk")
    )


def facts_of(rows: QuerySet[Interaction], limit: int | None = None) -> list[Facts]:
    found = []
    values = rows.values(*COLUMNS.values())
    for row in values[:limit] if limit is not None else values:
        facts = {name: row[path] for name, path in COLUMNS.items()}
        facts["segment"] = facts["segment"] or None
        found.append(facts)
    return found


# -- raising signals ----------------------------------------------------------------------


def evaluate_signals(
    *, chunk: int = CHUNK, budget_seconds: float = BUDGET_SECONDS, now: datetime | None = None
) -> int:
    """Raises the signals of the contacts recorded since the last run and links the sales
    recorded since then; returns how many interactions were read. Safe to run twice at
    once."""
    when = now or timezone.now()
    started, read = time.monotonic(), 0
    rules = active_rules()
    departments = {loaded.rule.source_department_id for loaded in rules}
    # Every rule's, active or not: a switched-off rule's signals still get their sales.
    targets = set(SalesSignalRule.objects.values_list("target_department_id", flat=True))
    cursor: int | None = None
    while departments or targets:
        with transaction.atomic():
            state = lock_state()
            last = state.last_signal_interaction_id
            if cursor is None:
                cursor = max(0, last - LOOKBACK)
            events = facts_of(contacts(departments, targets).filter(pk__gt=cursor), chunk)
            if not events:
                break
            fresh = write_signals(events, rules, when)
            buyers = {f["customer_id"] for f in events if f["is_transaction"]}
            link_sales(when, customers={*buyers, *(s.customer_id for s in fresh)} - {None})
            cursor = events[-1]["id"]
            if cursor > last:
                RuleState.objects.filter(pk=1).update(last_signal_interaction_id=cursor)
        read += len(events)
        if time.monotonic() - started > budget_seconds:
            break
    if not departments and not targets:
        skip_to_newest()
    return read


def skip_to_newest() -> None:
    newest = Interaction.objects.aggregate(top=Max("pk"))["top"] or 0
    RuleState.objects.get_or_create(pk=1)
    RuleState.objects.filter(pk=1, last_signal_interaction_id__lt=newest).update(
        last_signal_interaction_id=newest
    )


def write_signals(
    events: Sequence[Facts], rules: Sequence[Loaded], now: datetime, *, reach_back: bool = False
) -> list[SalesSignal]:
    """Raises the new signals of these contacts and notifies for them; returns them.
    Call under ``lock_state`` (or alone, as the demo does). ``reach_back`` reads contacts
    recorded before the rule was created: history, whose signals are recorded (for the
    uplift) but told to nobody; the caller may tell the recent ones (``notify``)."""
    candidates = [
        (facts, loaded)
        for facts in events
        if facts["customer_id"] is not None
        for loaded in rules
        if _raises(loaded, facts, now, reach_back)
    ]
    if not candidates:
        return []
    recent, raised = _recent_signals(candidates)
    fresh: list[SalesSignal] = []
    for facts, loaded in candidates:
        rule, key = loaded.rule, (loaded.rule.pk, facts["customer_id"])
        window = timedelta(days=rule.window_days)
        if (rule.pk, facts["id"]) in raised:
            continue
        if any(abs(facts["occurred_at"] - other) < window for other in recent[key]):
            continue  # this customer already has a signal of this rule in the window
        recent[key].append(facts["occurred_at"])
        fresh.append(
            SalesSignal(
                rule=rule,
                customer_id=facts["customer_id"],
                interaction_id=facts["id"],
                unit_id=facts["unit_id"],
                held_out=held_out(rule.pk, facts["customer_id"], rule.holdout_percent),
                created_at=facts["occurred_at"],
            )
        )
    created = SalesSignal.objects.bulk_create(fresh)
    if not reach_back:
        notify(created, now)
    return created


def _longest(rules: Sequence[Loaded]) -> timedelta:
    return timedelta(days=max((loaded.rule.window_days for loaded in rules), default=0))


def _raises(loaded: Loaded, facts: Facts, now: datetime, reach_back: bool) -> bool:
    rule = loaded.rule
    if facts["department_id"] != rule.source_department_id:
        return False
    if facts["occurred_at"] <= now - timedelta(days=rule.window_days):
        return False  # the window is over before anyone could act
    if reach_back:
        return loaded.compiled.covers(facts["unit_path"]) and all(
            test(facts.get(field)) for field, test in loaded.compiled.tests
        )
    return loaded.compiled.matches(facts)


def _recent_signals(
    candidates: Sequence[tuple[Facts, Loaded]],
) -> tuple[dict[tuple[int, int], list[datetime]], set[tuple[int, int]]]:
    """When these rules raised signals for these customers around these contacts, by
    (rule, customer), and the (rule, contact) pairs already raised."""
    rule_ids = {loaded.rule.pk for _facts, loaded in candidates}
    customer_ids = {facts["customer_id"] for facts, _loaded in candidates}
    longest = _longest([loaded for _facts, loaded in candidates])
    earliest = min(facts["occurred_at"] for facts, _loaded in candidates) - longest
    latest = max(facts["occurred_at"] for facts, _loaded in candidates) + longest
    found: dict[tuple[int, int], list[datetime]] = defaultdict(list)
    rows = SalesSignal.objects.filter(
        rule_id__in=rule_ids,
        customer_id__in=customer_ids,
        created_at__gt=earliest,
        created_at__lt=latest,
    ).values_list("rule_id", "customer_id", "interaction_id", "created_at")
    raised: set[tuple[int, int]] = set()
    for rule_id, customer_id, interaction_id, created_at in rows:
        found[(rule_id, customer_id)].append(created_at)
        raised.add((rule_id, interaction_id))
    return found, raised


def notify(signals: Sequence[SalesSignal], now: datetime) -> int:
    """Tells the target department's people in the unit's scope of each signal not held
    out; returns how many notifications were written (once per signal and person)."""
    told = [s for s in signals if not s.held_out]
    if not told:
        return 0
    units = Unit.objects.in_bulk({s.unit_id for s in told})
    customers = Customer.objects.in_bulk({s.customer_id for s in told})
    contacts_of = Interaction.objects.select_related(
        "touchpoint__interaction_type", "touchpoint__channel"
    ).in_bulk({s.interaction_id for s in told})
    people: dict[tuple[int, int], list[Any]] = {}
    rows = []
    for signal in told:
        rule, unit = signal.rule, units[signal.unit_id]
        key = (rule.target_department_id, unit.pk)
        if key not in people:
            people[key] = list(department_people(rule.target_department, unit))
        for person in people[key]:
            with translation.override(language_of(person)):
                text = signal_text(signal, customers[signal.customer_id], unit, contacts_of)
            rows.append(
                Notification(
                    recipient=person,
                    kind=NotificationKind.SIGNAL,
                    key=f"signal-{signal.pk}",
                    signal=signal,
                    text=text[:300],
                    created_at=now,
                )
            )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    new = Notification.objects.filter(signal__in=told, email_status="", emailed_at=None)
    mail_later(list(new.values_list("pk", flat=True)))
    return len(rows)


def signal_text(
    signal: SalesSignal, customer: Customer, unit: Unit, contacts_of: dict[int, Interaction]
) -> str:
    # No value tier or other profiling: the text is e-mailed and sits in inboxes; the
    # signal's page shows the context to whoever may see it.
    contact = contacts_of[signal.interaction_id]
    return _(
        "%(rule)s: %(customer)s contacted %(department)s in %(unit)s "
        "(%(type)s, %(channel)s, %(when)s)."
    ) % {
        "rule": signal.rule.name,
        "customer": customer.name or f"#{customer.pk}",
        "department": signal.rule.source_department.name,
        "unit": unit.name,
        "type": contact.touchpoint.interaction_type.name,
        "channel": contact.touchpoint.channel.name,
        "when": date_format(timezone.localtime(contact.occurred_at), "SHORT_DATETIME_FORMAT"),
    }


# -- linking sales ------------------------------------------------------------------------


def sales(department_ids: Iterable[int]) -> QuerySet[Interaction]:
    """The sales of these departments: interactions of their transaction types."""
    return Interaction.objects.filter(
        touchpoint__interaction_type__is_transaction=True,
        touchpoint__interaction_type__department_id__in=list(department_ids),
    )


def link_sales(now: datetime, customers: Collection[int] | None = None, chunk: int = CHUNK) -> int:
    """Links each waiting signal (of these customers; None: of everyone) to the customer's
    first sale after the contact and within the window; returns how many were linked.
    Running it again links nothing new."""
    windows = dict(SalesSignalRule.objects.values_list("pk", "window_days"))
    if not windows or (customers is not None and not customers):
        return 0
    longest = timedelta(days=max(windows.values()))
    waiting = SalesSignal.objects.filter(
        sale__isnull=True, created_at__gt=now - longest - GRACE
    ).select_related("rule")
    if customers is not None:
        waiting = waiting.filter(customer_id__in=list(customers))
    linked, after = 0, 0
    while batch := list(waiting.filter(pk__gt=after).order_by("pk")[:chunk]):
        after = batch[-1].pk
        still_open = [
            s for s in batch if s.created_at > now - timedelta(days=s.rule.window_days) - GRACE
        ]
        linked += _link(still_open)
    return linked


def _link(batch: list[SalesSignal]) -> int:
    if not batch:
        return 0
    start = min(s.created_at for s in batch)
    end = max(s.created_at + timedelta(days=s.rule.window_days) for s in batch)
    by_customer: dict[tuple[int, int], list[tuple[datetime, int]]] = defaultdict(list)
    rows = (
        sales({s.rule.target_department_id for s in batch})
        .filter(
            customer_id__in={s.customer_id for s in batch},
            occurred_at__gt=start,
            occurred_at__lte=end,
        )
        .order_by("occurred_at", "pk")
        .values_list(
            "customer_id", "touchpoint__interaction_type__department_id", "occurred_at", "pk"
        )
    )
    for customer_id, department_id, occurred_at, pk in rows:
        by_customer[(customer_id, department_id)].append((occurred_at, pk))
    changed = []
    for signal in batch:
        window = timedelta(days=signal.rule.window_days)
        own = by_customer.get((signal.customer_id, signal.rule.target_department_id), [])
        found = next(
            ((at, pk) for at, pk in own if signal.created_at < at <= signal.created_at + window),
            None,
        )
        if found is not None:
            signal.sale_at, signal.sale_id = found
            changed.append(signal)
    SalesSignal.objects.bulk_update(changed, ["sale", "sale_at"])
    return len(changed)
