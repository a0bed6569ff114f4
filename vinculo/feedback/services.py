"""Filing feedback: one item once, whoever sends it again; matched to its customer when
an identity it carries is known, and then on that customer's timeline."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from vinculo.accounts.actors import SYSTEM, Actor
from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.customers.queries import is_visible
from vinculo.customers.services import IdentityConflict, find_by_identities
from vinculo.feedback.choices import COMPLAINT_TYPE, FEEDBACK_TYPE, Source
from vinculo.feedback.models import FeedbackItem
from vinculo.journeys.models import Channel, Interaction, InteractionType, Touchpoint
from vinculo.journeys.services import record_interaction, touchpoint_for

TIMELINE_SOURCE = "feedback"
TIMELINE_KIND = "feedback_item"
EXCERPT = 200  # characters of the text the timeline row shows
BULK_ROWS = 500
BULK_CHARACTERS = 4_000_000


@dataclass(frozen=True)
class FeedbackData:
    """One item as validated at the edge (API schema, import row, e-mail message)."""

    source: str
    text: str
    unit: Unit
    channel: Channel
    occurred_at: datetime
    site: str = ""
    external_id: str = ""
    rating: int | None = None
    rating_max: int | None = None
    title: str = ""
    author: str = ""
    contact: Mapping[str, str] = field(default_factory=dict)
    customer: Customer | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)


def _interaction_type(source: str) -> InteractionType:
    code = COMPLAINT_TYPE if source == Source.COMPLAINT else FEEDBACK_TYPE
    return InteractionType.objects.select_related("default_stage").get(code=code)


def _customer_for(actor: Actor, data: FeedbackData) -> Customer | None:
    if data.customer is not None:
        return data.customer
    if not data.contact:
        return None
    try:
        found = find_by_identities(data.contact)
    except IdentityConflict:  # the identities point at two customers: left for a person
        return None
    # Filing feedback must not become a way to reach a customer outside one's scope.
    return found if found is not None and is_visible(actor, found.pk) else None


def existing(data: FeedbackData) -> FeedbackItem | None:
    if not data.external_id:
        return None
    # The unique index is partial (external_id not empty): repeating its condition lets
    # SQLite use it rather than read the whole table.
    return (
        FeedbackItem.objects.filter(
            source=data.source, site=data.site, external_id=data.external_id
        )
        .exclude(external_id="")
        .first()
    )


def _new_item(
    data: FeedbackData, customer: Customer | None, touchpoint: Touchpoint
) -> FeedbackItem:
    return FeedbackItem(
        source=data.source,
        site=data.site,
        external_id=data.external_id,
        channel=data.channel,
        touchpoint=touchpoint,
        unit=data.unit,
        customer=customer,
        occurred_at=data.occurred_at,
        rating=data.rating,
        rating_max=data.rating_max if data.rating is not None else None,
        title=data.title,
        text=data.text,
        author=data.author,
        contact=dict(data.contact),
        attributes=dict(data.attributes),
    )


@transaction.atomic
def file_feedback(*, actor: Actor, data: FeedbackData) -> tuple[FeedbackItem, bool]:
    """Stores one item; the same (source, site, external_id) again stores nothing and
    returns the stored item. Returns (item, created)."""
    found = existing(data)
    if found is not None:
        return found, False
    interaction_type = _interaction_type(data.source)
    touchpoint = touchpoint_for(channel=data.channel, interaction_type=interaction_type)
    item = _new_item(data, _customer_for(actor, data), touchpoint)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # A concurrent retry of the same item won the race: it is stored, return it.
        stored = existing(data)
        if stored is None:
            raise
        return stored, False
    if item.customer is not None:
        put_on_timeline(item)
    return item, True


@transaction.atomic
def file_new(items: Sequence[FeedbackData]) -> list[tuple[FeedbackItem, bool]]:
    """Files items an import has checked (valid, not stored yet, each key once, customers
    already matched) with multi-row inserts: several times faster than one by one. If a
    concurrent import stored some of them meanwhile, they go one by one instead, and those
    come back as stored (created False)."""
    types = {code: _interaction_type(code) for code in {d.source for d in items}}
    touchpoints: dict[tuple[int, int], Touchpoint] = {}
    rows = []
    for data in items:
        kind = types[data.source]
        key = (data.channel.pk, kind.pk)
        if key not in touchpoints:
            touchpoints[key] = touchpoint_for(channel=data.channel, interaction_type=kind)
        rows.append(_new_item(data, data.customer, touchpoints[key]))
    try:
        with transaction.atomic():
            for batch in _batches(rows):
                FeedbackItem.objects.bulk_create(batch)
    except IntegrityError:
        return [file_feedback(actor=SYSTEM, data=data) for data in items]
    for item in rows:
        if item.customer is not None:
            put_on_timeline(item)
    return [(item, True) for item in rows]


def _batches(rows: list[FeedbackItem]) -> Iterator[list[FeedbackItem]]:
    """Inserts of at most BULK_ROWS items and about BULK_CHARACTERS of text each: a file of
    long e-mail threads does not become one statement of hundreds of megabytes."""
    batch: list[FeedbackItem] = []
    size = 0
    for row in rows:
        if batch and (len(batch) >= BULK_ROWS or size + len(row.text) > BULK_CHARACTERS):
            yield batch
            batch, size = [], 0
        batch.append(row)
        size += len(row.text)
    if batch:
        yield batch


@transaction.atomic
def file_many(*, actor: Actor, items: Sequence[FeedbackData]) -> list[tuple[FeedbackItem, bool]]:
    """A batch, all or nothing (the items were validated before)."""
    return [file_feedback(actor=actor, data=data) for data in items]


@transaction.atomic
def link_customer(*, item: FeedbackItem, customer: Customer) -> FeedbackItem:
    """Ties an item to its customer (a person recognised them) and puts it on their
    timeline; an item tied to the wrong customer moves to the right one's timeline."""
    item.customer = customer
    item.save(update_fields=["customer", "updated_at"])
    moved = Interaction.objects.filter(
        source=TIMELINE_SOURCE, external_id=f"feedback-{item.pk}"
    ).update(customer=customer, attributes=timeline_attributes(item))
    if not moved:
        put_on_timeline(item)
    return item


def timeline_attributes(item: FeedbackItem) -> dict[str, Any]:
    excerpt = item.text if len(item.text) <= EXCERPT else item.text[: EXCERPT - 1] + "…"
    found: dict[str, Any] = {"source": item.source, "excerpt": excerpt}
    if item.site:
        found["site"] = item.site
    if item.rating is not None:
        found["rating"] = f"{item.rating}/{item.rating_max}"
    return found


def put_on_timeline(item: FeedbackItem) -> None:
    """One timeline row per item of a known customer; again adds nothing."""
    assert item.customer is not None
    touchpoint = item.touchpoint
    record_interaction(
        customer=item.customer,
        channel=item.channel,
        interaction_type=touchpoint.interaction_type,
        stage=touchpoint.stage,
        unit=item.unit,
        occurred_at=item.occurred_at,
        source=TIMELINE_SOURCE,
        external_id=f"feedback-{item.pk}",
        attributes=timeline_attributes(item),
        record_kind=TIMELINE_KIND,
        record_id=item.pk,
    )
