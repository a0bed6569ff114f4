"""Writes for customers: create, update, identities, identity resolution and merges."""

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.forms.models import model_to_dict

from vinculo.accounts.actors import Actor
from vinculo.customers.identities import normalize
from vinculo.customers.models import Customer, CustomerMerge, Identity
from vinculo.customers.queries import is_visible
from vinculo.lib.locks import lock_identities

PROFILE_FIELDS = ("name", "lifecycle_stage", "segment", "plan", "value_tier", "language")


class IdentityConflict(Exception):
    """The identities given belong to more than one existing customer."""

    def __init__(self, customer_ids: list[int]) -> None:
        super().__init__(f"identities belong to customers {customer_ids}")
        self.customer_ids = customer_ids


class MergeRefused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _normalised(identities: Mapping[str, str]) -> dict[str, str]:
    return {kind: normalize(kind, raw) for kind, raw in identities.items() if raw}


def find_by_identities(identities: Mapping[str, str]) -> Customer | None:
    """The one live customer owning any of these identities; None if nobody does."""
    wanted = _normalised(identities)
    if not wanted:
        return None
    match = models.Q(pk__in=[])
    for kind, value in wanted.items():
        match |= models.Q(kind=kind, value=value)
    owners = sorted(set(Identity.objects.filter(match).values_list("customer_id", flat=True)))
    if len(owners) > 1:
        raise IdentityConflict(owners)
    return Customer.objects.get(pk=owners[0]) if owners else None


@transaction.atomic
def create_customer(
    *,
    identities: Mapping[str, str],
    source: str = "",
    consents: Mapping[str, bool] | None = None,
    attributes: Mapping[str, Any] | None = None,
    home_unit_id: int | None = None,
    **profile: Any,
) -> Customer:
    """Creates a customer with its identities (normalised); they must be new."""
    lock_identities()
    customer = Customer.objects.create(
        consents=dict(consents or {}),
        attributes=dict(attributes or {}),
        home_unit_id=home_unit_id,
        **{k: v for k, v in profile.items() if k in PROFILE_FIELDS},
    )
    Identity.objects.bulk_create(
        [
            Identity(customer=customer, kind=kind, value=value, source=source)
            for kind, value in _normalised(identities).items()
        ]
    )
    return customer


@transaction.atomic
def update_customer(
    *,
    customer: Customer,
    identities: Mapping[str, str] | None = None,
    source: str = "",
    consents: Mapping[str, bool] | None = None,
    attributes: Mapping[str, Any] | None = None,
    home_unit_id: int | None = None,
    **profile: Any,
) -> Customer:
    """Applies the given fields; identities are added (never removed) to the customer."""
    if identities:
        lock_identities()
    changed: list[str] = []
    for field, value in profile.items():
        if field in PROFILE_FIELDS and value is not None and getattr(customer, field) != value:
            setattr(customer, field, value)
            changed.append(field)
    if consents:
        customer.consents = {**customer.consents, **consents}
        changed.append("consents")
    if attributes:
        customer.attributes = {**customer.attributes, **attributes}
        changed.append("attributes")
    if home_unit_id is not None and customer.home_unit_id != home_unit_id:
        customer.home_unit_id = home_unit_id
        changed.append("home_unit")
    if changed:
        customer.save(update_fields=[*changed, "updated_at"])
    for kind, value in _normalised(identities or {}).items():
        identity, created = Identity.objects.get_or_create(
            kind=kind, value=value, defaults={"customer": customer, "source": source}
        )
        if not created and identity.customer_id != customer.pk:
            raise IdentityConflict(sorted([identity.customer_id, customer.pk]))
    return customer


@transaction.atomic
def upsert_customer(
    *, identities: Mapping[str, str], source: str = "", **fields: Any
) -> tuple[Customer, bool]:
    """Identity resolution: attach to the customer owning any identity, or create one."""
    lock_identities()
    existing = find_by_identities(identities)
    if existing is None:
        return create_customer(identities=identities, source=source, **fields), True
    return update_customer(customer=existing, identities=identities, source=source, **fields), False


def _customer_foreign_keys() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) pointing at Customer, so a merge moves rows of apps added later."""
    found = []
    for model in apps.get_models():
        if model in (Customer, CustomerMerge):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Customer:
                found.append((model, field.name))
    return found


def _movable(
    model: type[models.Model], field: str, merged: Customer, survivor: Customer
) -> models.QuerySet[Any]:
    """The merged customer's rows that can move to the survivor.

    A row whose twin the survivor already has under a unique constraint (both invited by
    one campaign, say) cannot move without breaking it: it stays with the merged record,
    which keeps it as history, instead of making the whole merge fail.
    """
    rows = model._default_manager.filter(**{field: merged})
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or field not in constraint.fields:
            continue
        twins = model._default_manager.filter(**{field: survivor})
        if constraint.condition is not None:
            twins = twins.filter(constraint.condition)
        same = {name: models.OuterRef(name) for name in constraint.fields if name != field}
        rows = rows.exclude(models.Exists(twins.filter(**same)))
    return rows


@transaction.atomic
def merge_customers(
    *, survivor_id: int, merged_id: int, actor: Actor, reason: str = ""
) -> CustomerMerge:
    """Moves every identity, interaction and other record of ``merged`` onto ``survivor``.

    The merged customer stays as a tombstone pointing at the survivor; blanks in the
    survivor's profile are filled from the merged one; the whole merge is audited.
    """
    if survivor_id == merged_id:
        raise MergeRefused("same_customer")
    lock_identities()  # no import or upsert may resolve identities while they move
    pair = {
        c.pk: c
        for c in Customer.objects.select_for_update().filter(pk__in=[survivor_id, merged_id])
    }
    if len(pair) != 2:
        raise MergeRefused("not_found")
    survivor, merged = pair[survivor_id], pair[merged_id]
    if survivor.merged_into_id is not None or merged.merged_into_id is not None:
        raise MergeRefused("already_merged")

    snapshot = model_to_dict(merged)
    snapshot["identities"] = list(merged.identities.values("kind", "value"))
    moved: dict[str, int] = {}
    for model, field in _customer_foreign_keys():
        moved[model._meta.label_lower] = _movable(model, field, merged, survivor).update(
            **{field: survivor}
        )

    _fill_blanks(survivor, merged)
    Customer.objects.filter(merged_into=merged).update(merged_into=survivor)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    return CustomerMerge.objects.create(
        survivor=survivor,
        merged=merged,
        actor_id=actor.user_id,
        actor_label=actor.label,
        reason=reason,
        identities_moved=moved.get("customers.identity", 0),
        interactions_moved=moved.get("journeys.interaction", 0),
        snapshot=snapshot,
    )


def _fill_blanks(survivor: Customer, merged: Customer) -> None:
    for field in ("name", "segment", "plan", "value_tier"):
        if not getattr(survivor, field) and getattr(merged, field):
            setattr(survivor, field, getattr(merged, field))
    if survivor.home_unit_id is None:
        survivor.home_unit_id = merged.home_unit_id
    survivor.consents = {**merged.consents, **survivor.consents}
    survivor.attributes = {**merged.attributes, **survivor.attributes}
    survivor.save()


class CustomerOutsideScope(Exception):
    """The identities belong to a customer the acting person or key may not see."""


@transaction.atomic
def upsert_customer_as(
    *, actor: Actor, identities: Mapping[str, str], source: str = "", **fields: Any
) -> tuple[Customer, bool]:
    """``upsert_customer`` on behalf of an actor: never updates a customer outside their scope.

    A unit-scoped actor sending an identity owned by a customer they cannot see gets
    ``CustomerOutsideScope`` rather than that customer's profile.
    """
    lock_identities()
    existing = find_by_identities(identities)
    if existing is None:
        try:
            with transaction.atomic():
                return create_customer(identities=identities, source=source, **fields), True
        except IntegrityError:
            # A concurrent request created an owner of one of these identities first.
            existing = find_by_identities(identities)
            if existing is None:
                raise
    if not is_visible(actor, existing.pk):
        raise CustomerOutsideScope()
    return update_customer(customer=existing, identities=identities, source=source, **fields), False
