"""Request and response bodies of the customers API, and the identity parsing they share.

Identities may be sent as a list ``[{"kind": "email", "value": "ana@example.com"}]`` or as
an object ``{"email": "ana@example.com"}``; both reach the handlers as a list, so errors
name the item (``identities[1].value``).
"""

from datetime import datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from pydantic import BeforeValidator

from vinculo.accounts.actors import Actor
from vinculo.customers.choices import ConsentChannel, IdentityKind, LifecycleStage, ValueTier
from vinculo.customers.identities import InvalidIdentity, normalize
from vinculo.customers.models import Customer, CustomerMerge
from vinculo.customers.queries import visible_customers
from vinculo.lib.apiedge import Loc, PageQuery, field_error, raise_if_any

# Attributes are a flat dict: segmenting and filtering on them stays simple everywhere.
AttributeValue = str | int | float | bool
Attributes = dict[Annotated[str, Field(min_length=1, max_length=80)], AttributeValue]


class IdentityIn(Schema):
    kind: IdentityKind
    value: str = Field(min_length=1, max_length=254)


def _object_to_list(value: Any) -> Any:
    if isinstance(value, dict):
        return [{"kind": kind, "value": raw} for kind, raw in value.items()]
    return value


IdentitiesIn = Annotated[
    list[IdentityIn],
    BeforeValidator(_object_to_list),
    Field(
        description=(
            'A list of {"kind", "value"} or an object {kind: value}; one value per kind. '
            "Kinds: " + ", ".join(IdentityKind.values) + "."
        )
    ),
]

_INVALID_IDENTITY_MESSAGES = {
    "invalid_email": gettext_lazy("Enter a valid e-mail address."),
    "invalid_phone": gettext_lazy("Enter a valid phone number."),
    "empty": gettext_lazy("This value is empty."),
    "too_long": gettext_lazy("This value is too long."),
}


def identity_map(identities: list[IdentityIn], loc: Loc) -> dict[str, str]:
    """The identities as ``{kind: normalised value}``; a 422 naming each bad item otherwise."""
    found: dict[str, str] = {}
    errors = []
    for index, identity in enumerate(identities):
        if identity.kind in found:
            message = _("Only one identity of each kind per request.")
            errors.append(field_error((*loc, index, "kind"), "duplicate_kind", message))
            continue
        try:
            found[identity.kind] = normalize(identity.kind, identity.value)
        except InvalidIdentity as exc:
            message = str(_INVALID_IDENTITY_MESSAGES.get(exc.code, _("This value is not valid.")))
            errors.append(field_error((*loc, index, "value"), exc.code, message))
    raise_if_any(errors)
    return found


class CustomerFields(Schema):
    """Profile fields; on update, fields left out (or null) are not changed."""

    name: str | None = Field(None, max_length=200)
    lifecycle_stage: LifecycleStage | None = None
    segment: str | None = Field(None, max_length=60)
    plan: str | None = Field(None, max_length=80)
    value_tier: ValueTier | None = None
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$")
    consents: dict[ConsentChannel, bool] | None = Field(
        None, description="Consent per channel; on update, merged into the stored consents."
    )
    attributes: Attributes | None = Field(
        None, description="Flat values (text, number, yes/no); on update, merged."
    )
    home_unit: str | None = Field(None, description="Code of the customer's home unit.")

    def profile(self) -> dict[str, Any]:
        """The fields for the customer services, without the ones left out."""
        fields = self.model_dump(
            exclude_none=True, include={"name", "lifecycle_stage", "segment", "plan"}
        )
        fields.update(self.model_dump(exclude_none=True, include={"value_tier", "language"}))
        if self.consents is not None:
            fields["consents"] = {channel.value: given for channel, given in self.consents.items()}
        if self.attributes is not None:
            fields["attributes"] = dict(self.attributes)
        return fields


class CustomerIn(CustomerFields):
    identities: IdentitiesIn = Field(min_length=1)
    source: str = Field("api", min_length=1, max_length=40)


class CustomerPatch(CustomerFields):
    identities: IdentitiesIn | None = Field(None, description="Identities to add (never removed).")
    source: str = Field("api", min_length=1, max_length=40)


class IdentityOut(Schema):
    kind: str
    value: str
    source: str


class CustomerOut(Schema):
    id: int
    name: str
    lifecycle_stage: str
    segment: str
    plan: str
    value_tier: str
    language: str
    consents: dict[str, bool]
    attributes: dict[str, Any]
    home_unit: str | None = Field(None, description="Code of the home unit.")
    identities: list[IdentityOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_home_unit(obj: Customer) -> str | None:
        return obj.home_unit.code if obj.home_unit is not None else None


class CustomerWriteOut(CustomerOut):
    created: bool = Field(description="True when a new customer was created (201).")


class CustomerPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CustomerOut]


class CustomerListQuery(PageQuery):
    q: str = Field("", max_length=200, description="Any identity, an identity prefix, or name.")


class MergedOut(Schema):
    detail: str
    merged_into: int


class MergeIn(Schema):
    merged_id: int = Field(description="The customer to merge into this one; it is retired.")
    reason: str = Field("", max_length=2000)


class MergeOut(Schema):
    id: int
    survivor_id: int
    merged_id: int
    actor: str
    reason: str
    identities_moved: int
    interactions_moved: int
    created_at: datetime

    @staticmethod
    def resolve_actor(obj: CustomerMerge) -> str:
        return obj.actor_label


class ConflictOut(Schema):
    detail: str
    customer_ids: list[int] = Field(
        description="The customers already owning these identities, among those you may see."
    )


def identity_conflict(
    actor: Actor, owner_ids: list[int], *, exclude: int | None = None
) -> ConflictOut:
    """The 409 body for identities owned by other customers; ids you may not see stay hidden."""
    others = [pk for pk in owner_ids if pk != exclude]
    visible = sorted(visible_customers(actor).filter(pk__in=others).values_list("pk", flat=True))
    if others and len(visible) == len(others):
        ids = ", ".join(str(pk) for pk in visible)
        message = _("These identities belong to other customers (%(ids)s): merge them first.")
        return ConflictOut(detail=message % {"ids": ids}, customer_ids=visible)
    return ConflictOut(
        detail=_("These identities belong to another customer."), customer_ids=visible
    )


class ErasureIn(Schema):
    reason: str = Field(
        min_length=3,
        max_length=2000,
        description="Why the data is erased, e.g. the reference of the customer's request.",
    )


class ErasureOut(Schema):
    customer_id: int
    identities_deleted: int
    interactions_scrubbed: int
    actor_label: str
    created_at: datetime
