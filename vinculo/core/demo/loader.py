"""Loads the demo company into the database in bulk, fast enough for a first run.

The organisation and the people go through the account services (there are few of them).
Customers and identities are built as model instances and written with ``bulk_create``
(which returns the customers' ids); interactions, the big table, go through the imports'
writer (``vinculo.imports.writers``: executemany on SQLite, COPY on PostgreSQL), which skips
rows whose (source, external_id) exists. Work goes in chunks of customers, so memory stays
flat and 200,000 interactions take seconds.

Customer numbers (``CLI-000001``...) and interaction external ids (``CLI-000001-004``) are
deterministic: a second run skips every customer whose number already exists, so the demo
is never loaded twice.
"""

import json
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from vinculo.core.demo.cases import load_cases
from vinculo.core.demo.corridors import CorridorMaker, Event
from vinculo.core.demo.feedback import load_feedback
from vinculo.core.demo.follow_ups import load_follow_ups
from vinculo.core.demo.org import DemoOrg, DemoPerson, ensure_org, ensure_people
from vinculo.core.demo.profiles import Profile, ProfileMaker
from vinculo.core.demo.signals import load_signals
from vinculo.core.demo.surveys import (
    STORE_SERVICE,
    Answered,
    DemoSurvey,
    draw,
    recent_visits,
    write_responses,
)
from vinculo.customers.choices import IdentityKind
from vinculo.customers.models import Customer, Identity
from vinculo.imports.writers import InteractionRow, interaction_writer
from vinculo.journeys.models import Channel, Interaction, InteractionType
from vinculo.journeys.services import touchpoint_for
from vinculo.metrics.rollups import fold_all
from vinculo.textan.services import add_starter_topics, analyze_new

SOURCE = "demo"
CHUNK = 2000
BATCH_SIZE = 1000


@dataclass
class DemoResult:
    org: DemoOrg
    people: list[DemoPerson]
    password: str | None  # None when every demo person existed already
    customers: int = 0
    identities: int = 0
    interactions: int = 0
    responses: int = 0
    feedback: int = 0
    cases: int = 0
    skipped_customers: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)


class TouchpointCache:
    """Touchpoint ids by (channel, interaction type), created on first use."""

    def __init__(self) -> None:
        self.channels = {channel.code: channel for channel in Channel.objects.all()}
        self.types = {
            kind.code: kind for kind in InteractionType.objects.select_related("default_stage")
        }
        self.ids: dict[tuple[str, str], int] = {}

    def id_for(self, channel: str, kind: str) -> int:
        key = (channel, kind)
        if key not in self.ids:
            if channel not in self.channels or kind not in self.types:
                raise LookupError(
                    f"The demo needs the channel '{channel}' and the interaction type '{kind}' "
                    "of the default catalogue."
                )
            self.ids[key] = touchpoint_for(
                channel=self.channels[channel], interaction_type=self.types[kind]
            ).pk
        return self.ids[key]


def _taken_identities() -> dict[str, set[str]]:
    """Identity values already stored, per kind, so new demo customers never collide."""
    taken: dict[str, set[str]] = {}
    for kind, value in Identity.objects.values_list("kind", "value").iterator(chunk_size=5000):
        taken.setdefault(kind, set()).add(value)
    return taken


def _customer(profile: Profile, events: list[Event]) -> Customer:
    attributes: dict[str, object] = {}
    sales = [event.at for event in events if event.kind == "sale"]
    if sales:
        attributes["customer_since"] = timezone.localdate(sales[0]).isoformat()
    if profile.plan is not None:
        attributes["monthly_fee"] = float(profile.plan.fee)
    return Customer(
        name=profile.name,
        name_folded=Customer.fold_name(profile.name),
        lifecycle_stage=profile.stage,
        segment=profile.segment,
        plan=profile.plan.name if profile.plan else "",
        value_tier=profile.value_tier,
        language=profile.language,
        consents=profile.consents,
        home_unit_id=profile.store.unit_id,
        attributes=attributes,
    )


class DemoLoader:
    """Generates and writes the demo customers; see ``load_demo``."""

    def __init__(self, org: DemoOrg, rng: random.Random, interactions_per_customer: float):
        existing = Customer.objects.exists()
        taken = _taken_identities() if existing else {}
        self.existing_numbers = set(taken.get(IdentityKind.CUSTOMER_NUMBER.value, ()))
        self.profiles = ProfileMaker(rng, org.stores, taken)
        self.corridors = CorridorMaker(
            rng, timezone.localdate(), timezone.get_current_timezone(), interactions_per_customer
        )
        self.touchpoints = TouchpointCache()
        self.survey = DemoSurvey.ensure(org.company_id)
        # Its own generator: answering a survey must not change the next customers' data.
        self.survey_rng = random.Random(rng.random())
        self.now = timezone.now()
        # bulk_create would spend most of the run preparing 2.4 million values one by one.
        self.writer = interaction_writer()
        self.text_values = self.writer.text_values
        now = timezone.now().astimezone(UTC).replace(tzinfo=None)
        self.created_at: datetime | str = str(now) if self.text_values else now
        self.remote_units = {
            "call_centre": org.contact_centre_id,
            "chat": org.contact_centre_id,
            "whatsapp": org.contact_centre_id,
            "web": org.web_id,
            "app": org.app_id,
        }

    def load_chunk(self, first: int, last: int, result: DemoResult) -> None:
        """Customers numbered ``first`` to ``last`` (inclusive), their identities and corridors."""
        batch: list[tuple[Profile, list[Event]]] = []
        for index in range(first, last + 1):
            # Drawn even when skipped, so a seed gives every customer the same data.
            profile = self.profiles.make(index)
            events = self.corridors.make(profile)
            if profile.number in self.existing_numbers:
                result.skipped_customers += 1
                continue
            batch.append((profile, events))
        customers = Customer.objects.bulk_create(
            [_customer(profile, events) for profile, events in batch], batch_size=BATCH_SIZE
        )
        identities = [
            Identity(customer_id=customer.pk, kind=kind, value=value, source=SOURCE)
            for customer, (profile, _events) in zip(customers, batch, strict=True)
            for kind, value in profile.identities
        ]
        Identity.objects.bulk_create(identities, batch_size=BATCH_SIZE)
        interactions = [
            self._interaction(customer.pk, profile, seq, event)
            for customer, (profile, events) in zip(customers, batch, strict=True)
            for seq, event in enumerate(events, start=1)
        ]
        answered = [
            answer
            for customer, (profile, events) in zip(customers, batch, strict=True)
            for answer in self._answers(customer.pk, profile, events)
        ]
        interactions += write_responses(
            self.survey, answered, text_values=self.text_values, created_at=self.created_at
        )
        result.customers += len(customers)
        result.identities += len(identities)
        result.responses += len(answered)
        result.interactions += self.writer.write(self.writer.prepare(interactions))
        for profile, _events in batch:
            result.by_stage[profile.stage] = result.by_stage.get(profile.stage, 0) + 1

    def _answers(self, customer_id: int, profile: Profile, events: list[Event]) -> list[Answered]:
        """The survey answers the customer gave after their store visits of the last year."""
        found = []
        for seq, visit in recent_visits(events, self.now):
            service = STORE_SERVICE.get(profile.store.name, 1.0)
            drawn = draw(self.survey_rng, profile.stage, profile.language, visit, self.now, service)
            if drawn is None:
                continue
            at, scores, comment = drawn
            found.append(
                Answered(
                    customer_id=customer_id,
                    visit=seq,
                    unit_id=profile.store.unit_id,
                    touchpoint_id=self.touchpoints.id_for("store", visit.kind),
                    segment=profile.segment,
                    lifecycle_stage=profile.stage,
                    language="en" if profile.language == "en" else "es",
                    at=at,
                    scores=scores,
                    comment=comment,
                )
            )
        return found

    def _interaction(
        self, customer_id: int, profile: Profile, seq: int, event: Event
    ) -> InteractionRow:
        # Store visits and technicians belong to the customer's store; the rest to the
        # contact centre or the digital channel that served them.
        unit_id = self.remote_units.get(event.channel, profile.store.unit_id)
        occurred_at = event.at.astimezone(UTC).replace(tzinfo=None)
        amount = event.amount
        return (
            customer_id,
            self.touchpoints.id_for(event.channel, event.kind),
            unit_id,
            str(occurred_at) if self.text_values else occurred_at,
            str(amount) if self.text_values and amount is not None else amount,
            "EUR" if amount is not None else "",
            json.dumps(event.attributes, ensure_ascii=False),
            SOURCE,
            f"{profile.number}-{seq:03d}",
            "",
            None,
            self.created_at,
        )


def load_demo(
    *,
    customers: int,
    interactions_per_customer: float,
    seed: int | None = None,
    progress: Callable[[str], None] = lambda _message: None,
) -> DemoResult:
    """Creates Telco Ibérica: units, demo people, customers, identities and interactions.

    Everything is written in one transaction, so an interrupted run leaves nothing behind.
    The demo people share one random password, returned once in the result.
    """
    rng = random.Random(seed)
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        org = ensure_org()
        people = ensure_people(password)
        result = DemoResult(
            org=org,
            people=people,
            password=password if any(person.created for person in people) else None,
        )
        progress(f"Organisation ready: {org.units_created} units created.")
        loader = DemoLoader(org, rng, interactions_per_customer)
        for first in range(1, customers + 1, CHUNK):
            last = min(first + CHUNK - 1, customers)
            loader.load_chunk(first, last, result)
            progress(
                f"  {last:>7,} / {customers:,} customers · {result.interactions:,} interactions"
            )
        fold_all()  # the survey answers into the metrics' roll-ups
        filed, on_timelines = load_feedback(org, random.Random(rng.random()), timezone.now())
        result.feedback, result.interactions = filed, result.interactions + on_timelines
        add_starter_topics()
        while analyze_new():  # the comments' and feedback's sentiment, emotions and topics
            pass
        before = Interaction.objects.count()  # cases, their follow-ups' answers, sales
        result.cases = load_cases(random.Random(rng.random()), timezone.now())
        load_follow_ups(random.Random(rng.random()), timezone.now())
        load_signals(random.Random(rng.random()), timezone.now())
        result.interactions += Interaction.objects.count() - before
    return result
