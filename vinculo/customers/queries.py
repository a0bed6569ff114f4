"""Read side of customers: what an actor may see, search, and the 360 profile."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from vinculo.accounts.actors import Actor
from vinculo.customers.choices import ConsentChannel
from vinculo.customers.identities import guess_kind
from vinculo.customers.models import Customer, CustomerMerge, Identity
from vinculo.journeys.models import Interaction
from vinculo.journeys.queries import TimelineSummary, customer_summary
from vinculo.lib.text import fold

MIN_PREFIX_SEARCH = 3


def visible_customers(actor: Actor) -> QuerySet[Customer]:
    """Live (not merged) customers the actor may see.

    A unit-scoped actor sees a customer whose home unit, or any of whose interactions,
    lies in their subtree. A customer with every interaction elsewhere is invisible.
    """
    customers = Customer.objects.filter(merged_into__isnull=True)
    if actor.unit_ids is None:
        return customers
    unit_ids = sorted(actor.unit_ids)
    # An uncorrelated IN (subquery): the database builds the set of customers seen in these
    # units once, from the (unit, occurred_at) index. A correlated EXISTS per customer made
    # SQLite rescan a unit's interactions for every customer (minutes for a busy unit).
    touched_here = Interaction.objects.filter(unit_id__in=unit_ids).values("customer_id")
    return customers.filter(Q(home_unit_id__in=unit_ids) | Q(pk__in=touched_here))


def is_visible(actor: Actor, customer_id: int) -> bool:
    return visible_customers(actor).filter(pk=customer_id).exists()


def search_customers(actor: Actor, query: str) -> QuerySet[Customer]:
    """Customers matching ``query`` by any identity (normalised), an identity prefix or name."""
    customers = visible_customers(actor)
    text = query.strip()
    if not text:
        return customers.order_by("name", "id")
    exact = Q(pk__in=[])
    for kind, value in guess_kind(text):
        exact |= Q(kind=kind, value=value)
    identity_match = Q(exact)
    if len(text) >= MIN_PREFIX_SEARCH:
        identity_match |= Q(value__istartswith=text.lower())
    by_identity = Identity.objects.filter(identity_match).values("customer_id")
    by_name = Q(name_folded__contains=fold(text))
    return customers.filter(Q(pk__in=by_identity) | by_name).order_by("name", "id")


def with_identities(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    return customers.select_related("home_unit").prefetch_related(
        Prefetch("identities", queryset=Identity.objects.order_by("kind", "value"))
    )


def resolve_merged(customer_id: int) -> Customer | None:
    """Follows a merged customer to its survivor (merges collapse chains, one hop suffices)."""
    customer = Customer.objects.filter(pk=customer_id).only("id", "merged_into_id").first()
    if customer is None:
        return None
    if customer.merged_into_id is None:
        return customer
    return Customer.objects.filter(pk=customer.merged_into_id).first()


def visible_customer(actor: Actor, customer_id: int) -> Customer | None:
    """One live customer with identities and home unit, if the actor may see it."""
    return with_identities(visible_customers(actor)).filter(pk=customer_id).first()


@dataclass(frozen=True)
class CustomerProfile:
    """The customer 360 header: who they are, what they consented to, what happened so far."""

    customer: Customer
    consents: list[tuple[str, bool | None]]  # (channel label, given?) None = never asked
    summary: TimelineSummary
    merges: list[CustomerMerge]


def customer_profile(actor: Actor, customer_id: int) -> CustomerProfile | None:
    customer = visible_customer(actor, customer_id)
    if customer is None:
        return None
    known = {str(channel.value): str(channel.label) for channel in ConsentChannel}
    consents = [(label, customer.consents.get(code)) for code, label in known.items()]
    consents += [(code, value) for code, value in customer.consents.items() if code not in known]
    merges = CustomerMerge.objects.filter(survivor_id=customer_id).select_related("merged")
    return CustomerProfile(
        customer=customer,
        consents=consents,
        summary=customer_summary(customer_id),
        merges=list(merges.order_by("-created_at")),
    )


def merge_candidates(
    actor: Actor, query: str, *, survivor_id: int, limit: int = 20
) -> list[Customer]:
    """Visible customers matching a search (or a customer id) that could merge into another."""
    text = query.strip().lstrip("#")
    matches = Q(pk__in=search_customers(actor, text).values("pk"))
    if text.isdigit() and len(text) < 19:
        matches |= Q(pk=int(text))
    found = visible_customers(actor).filter(matches).exclude(pk=survivor_id)
    return list(with_identities(found).order_by("name", "id")[:limit])
