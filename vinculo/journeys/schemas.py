"""Request and response bodies of the interactions and catalogue API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ValidationInfo, field_validator

from vinculo.customers.schemas import Attributes, IdentitiesIn
from vinculo.journeys.models import Channel, Interaction, InteractionType, JourneyStage, Touchpoint
from vinculo.journeys.queries import TimelineFilter
from vinculo.lib.apiedge import Loc, PageQuery, field_error, raise_if_any

Code = Annotated[str, Field(min_length=1, max_length=40)]


class InteractionIn(Schema):
    customer_id: int | None = Field(
        None, description="The customer's id. Give either this or identities."
    )
    identities: IdentitiesIn | None = Field(
        None,
        description=(
            "Find the customer by identity; an unknown identity creates a prospect customer. "
            "Give either this or customer_id."
        ),
    )
    channel: Code = Field(description="Channel code, see /interactions/channels.")
    type: Code = Field(description="Interaction type code, see /interactions/types.")
    stage: Code | None = Field(
        None, description="Journey stage code; the type's default stage when left out."
    )
    unit: Code = Field(description="Code of the unit where it happened, within your scope.")
    occurred_at: datetime = Field(
        description="ISO 8601; a time without offset is read in the server's time zone."
    )
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    currency: str | None = Field(
        None, pattern=r"^[A-Za-z]{3}$", description="ISO 4217; EUR when an amount is given."
    )
    attributes: Attributes = Field(default_factory=dict)
    source: str = Field(
        min_length=1,
        max_length=40,
        pattern=r"^[-a-zA-Z0-9_.]+$",
        description="The system the event comes from (e.g. pos, crm): ids are unique per source.",
    )
    external_id: str = Field(
        min_length=1,
        max_length=120,
        description="Your id for this event: a retry with the same source and id stores nothing.",
    )

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if timezone.is_naive(value):
            return timezone.make_aware(value, timezone.get_default_timezone())
        return value

    @field_validator("currency")
    @classmethod
    def _currency_needs_amount(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("amount") is None:
            raise ValueError(_("A currency needs an amount."))
        return value.upper() if value else value

    def currency_code(self) -> str:
        if self.amount is None:
            return ""
        return self.currency or "EUR"


class InteractionOut(Schema):
    id: int
    customer_id: int
    occurred_at: datetime
    channel: str
    type: str
    stage: str
    touchpoint: str
    unit: str
    amount: Decimal | None
    currency: str
    attributes: dict[str, Any]
    source: str
    external_id: str
    record_kind: str
    record_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_channel(obj: Interaction) -> str:
        return obj.touchpoint.channel.code

    @staticmethod
    def resolve_type(obj: Interaction) -> str:
        return obj.touchpoint.interaction_type.code

    @staticmethod
    def resolve_stage(obj: Interaction) -> str:
        return obj.touchpoint.stage.code

    @staticmethod
    def resolve_touchpoint(obj: Interaction) -> str:
        return obj.touchpoint.name

    @staticmethod
    def resolve_unit(obj: Interaction) -> str:
        return obj.unit.code


class InteractionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[InteractionOut]


class TimelineQuery(PageQuery):
    channel: str = Field("", max_length=40, description="Channel code.")
    type: str = Field("", max_length=40, description="Interaction type code.")
    since: date | None = Field(None, description="First day included (server time zone).")
    until: date | None = Field(None, description="Last day included (server time zone).")


class InteractionListQuery(TimelineQuery):
    customer: int | None = Field(None, description="Customer id.")
    unit: str = Field("", max_length=60, description="Unit code: that unit and its subtree.")


class ChannelOut(Schema):
    code: str
    name: str


class StageOut(Schema):
    code: str
    name: str
    position: int
    journey: str

    @staticmethod
    def resolve_journey(obj: JourneyStage) -> str:
        return obj.journey.code


class InteractionTypeOut(Schema):
    code: str
    name: str
    is_transaction: bool
    default_stage: str
    department: str | None

    @staticmethod
    def resolve_default_stage(obj: InteractionType) -> str:
        return obj.default_stage.code

    @staticmethod
    def resolve_department(obj: InteractionType) -> str | None:
        return obj.department.code if obj.department is not None else None


class TouchpointOut(Schema):
    id: int
    name: str
    channel: str
    type: str
    stage: str

    @staticmethod
    def resolve_channel(obj: Touchpoint) -> str:
        return obj.channel.code

    @staticmethod
    def resolve_type(obj: Touchpoint) -> str:
        return obj.interaction_type.code

    @staticmethod
    def resolve_stage(obj: Touchpoint) -> str:
        return obj.stage.code


CatalogueRow = TypeVar("CatalogueRow", Channel, InteractionType, JourneyStage)


def by_code(
    model: type[CatalogueRow], code: str, loc: Loc, errors: list[dict[str, Any]]
) -> CatalogueRow | None:
    """The catalogue row with this code, or None with an error naming ``loc`` appended."""
    found = model.objects.filter(code=code).first()
    if found is None:
        errors.append(field_error(loc, "unknown_code", _("Unknown code.")))
    return found


def timeline_filter(params: TimelineQuery) -> TimelineFilter:
    """The filters of a list query (channel, type, since, until), codes checked: 422 if unknown."""
    errors: list[dict[str, Any]] = []
    if params.channel:
        by_code(Channel, params.channel, ("query", "channel"), errors)
    if params.type:
        by_code(InteractionType, params.type, ("query", "type"), errors)
    raise_if_any(errors)
    return TimelineFilter(
        channel=params.channel, interaction_type=params.type, since=params.since, until=params.until
    )
