"""Customer 360: one customer, all their identities, and the audit of merges."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.models import Unit
from vinculo.customers.choices import IdentityKind, LifecycleStage, ValueTier
from vinculo.lib.text import fold


class Customer(models.Model):
    """A person or company the business serves, seen the same way by every department.

    A merged customer stays as a tombstone pointing at its survivor (``merged_into``), so
    old links and API ids lead somewhere; live queries exclude tombstones.
    """

    name = models.CharField(_("name"), max_length=200, blank=True)
    # The name without accents or capitals, for search ("belen" finds "Belén"). Kept in
    # step by save(); code that bulk-creates customers sets it with Customer.fold_name().
    name_folded = models.CharField(max_length=200, blank=True, editable=False)
    lifecycle_stage = models.CharField(
        _("lifecycle stage"),
        max_length=20,
        choices=LifecycleStage.choices,
        default=LifecycleStage.PROSPECT,
    )
    segment = models.CharField(_("segment"), max_length=60, blank=True)
    plan = models.CharField(_("plan"), max_length=80, blank=True)
    value_tier = models.CharField(
        _("value tier"), max_length=10, choices=ValueTier.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=8, default="es")
    consents = models.JSONField(_("consents"), default=dict, blank=True)
    home_unit = models.ForeignKey(
        Unit,
        verbose_name=_("home unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="home_customers",
    )
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    erased_at = models.DateTimeField(
        _("personal data erased"),
        null=True,
        blank=True,
        help_text=_("When the customer's personal data was erased at their request."),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_customers",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["name"], name="customer_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="customer_not_merged_into_self"
            )
        ]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_folded = self.fold_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    @staticmethod
    def fold_name(name: str) -> str:
        return fold(name)[:200]


class Identity(models.Model):
    """One way to recognise a customer: an e-mail, phone, customer number, card...

    The value is stored normalised (see ``identities.normalize``) and is unique per kind
    across all customers: that uniqueness is what identity resolution relies on.
    """

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="identities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IdentityKind.choices)
    value = models.CharField(_("value"), max_length=254)
    source = models.CharField(_("source"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="identity_unique_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class CustomerMerge(models.Model):
    """Audit trail of a merge: who merged which customer into which, and what moved."""

    survivor = models.ForeignKey(
        Customer,
        verbose_name=_("survivor"),
        on_delete=models.PROTECT,
        related_name="merges_received",
    )
    merged = models.OneToOneField(
        Customer,
        verbose_name=_("merged customer"),
        on_delete=models.PROTECT,
        related_name="merge_record",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    reason = models.TextField(_("reason"), blank=True)
    identities_moved = models.PositiveIntegerField(_("identities moved"))
    interactions_moved = models.PositiveIntegerField(_("interactions moved"))
    snapshot = models.JSONField(_("merged customer before the merge"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("customer merge")
        verbose_name_plural = _("customer merges")

    def __str__(self) -> str:
        return f"#{self.merged_id} → #{self.survivor_id}"


class CustomerErasure(models.Model):
    """Audit of an erasure of personal data (right to erasure): who, when, why, how much.

    It names the customer by id only; the erased data itself is gone.
    """

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="erasures",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    reason = models.TextField(_("reason"))
    identities_deleted = models.PositiveIntegerField(_("identities deleted"))
    interactions_scrubbed = models.PositiveIntegerField(_("interactions scrubbed"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("erasure of personal data")
        verbose_name_plural = _("erasures of personal data")

    def __str__(self) -> str:
        return f"#{self.customer_id} · {self.created_at:%Y-%m-%d}"
