"""Channels, interaction types, journeys, touchpoints, and the Interaction table.

The timeline and the corridor of every customer are read from ``Interaction``: any fact
about a customer (a purchase, a call, later a survey response or a case) writes one row.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.models import Department, Unit
from vinculo.customers.models import Customer


class Channel(models.Model):
    """Where an interaction happens: web, app, store, call centre, e-mail, SMS, chat..."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name


class Journey(models.Model):
    """An ordered set of stages a customer goes through (e.g. the customer lifecycle)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")

    def __str__(self) -> str:
        return self.name


class JourneyStage(models.Model):
    """One stage of a journey: discover, buy, start, use, pay, get help, leave..."""

    journey = models.ForeignKey(
        Journey, verbose_name=_("journey"), on_delete=models.CASCADE, related_name="stages"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["journey", "position"]
        verbose_name = _("journey stage")
        verbose_name_plural = _("journey stages")
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "position"], name="journeystage_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.name


class InteractionType(models.Model):
    """What kind of event: sale, onboarding, use, billing, complaint... Configurable.

    ``department`` is who can act on it (billing events go to Billing); ``default_stage``
    places an interaction in its journey when the source does not say.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    is_transaction = models.BooleanField(
        _("is a transaction"),
        default=False,
        help_text=_("Orders, purchases, renewals: interactions that carry an amount."),
    )
    default_stage = models.ForeignKey(
        JourneyStage, verbose_name=_("default stage"), on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("interaction type")
        verbose_name_plural = _("interaction types")

    def __str__(self) -> str:
        return self.name


class Touchpoint(models.Model):
    """A named contact point: channel x interaction type x journey stage."""

    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT)
    interaction_type = models.ForeignKey(
        InteractionType, verbose_name=_("interaction type"), on_delete=models.PROTECT
    )
    stage = models.ForeignKey(
        JourneyStage, verbose_name=_("journey stage"), on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "interaction_type", "stage"], name="touchpoint_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Interaction(models.Model):
    """One event of one customer at one touchpoint, at a time, in a unit.

    ``(source, external_id)`` is the natural key that makes imports and API retries
    idempotent. ``record_kind``/``record_id`` point at the row that caused the event
    (a survey response, a case...) once those apps exist. Interactions are append-only
    facts, so they have no ``updated_at``; only a merge re-points ``customer``.
    """

    # Every index slows down imports (a million rows must load in seconds), so there are
    # three: the natural key, the customer's timeline and a unit's period. Analyses by
    # touchpoint or over all units read roll-up tables, not this one.
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="interactions",
        db_index=False,
    )
    touchpoint = models.ForeignKey(
        Touchpoint, verbose_name=_("touchpoint"), on_delete=models.PROTECT, db_index=False
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, db_index=False)
    occurred_at = models.DateTimeField(_("occurred at"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=40)
    external_id = models.CharField(_("external id"), max_length=120)
    record_kind = models.CharField(_("record kind"), max_length=30, blank=True)
    record_id = models.BigIntegerField(_("record id"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="interaction_unique_external_id"
            )
        ]
        indexes = [
            models.Index(fields=["customer", "occurred_at"], name="interaction_customer_time"),
            models.Index(fields=["unit", "occurred_at"], name="interaction_unit_time"),
        ]

    def __str__(self) -> str:
        return f"{self.touchpoint} · {self.occurred_at:%Y-%m-%d %H:%M}"
