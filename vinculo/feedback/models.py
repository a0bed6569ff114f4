"""Unsolicited feedback: what customers write without being asked."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.feedback.choices import Source
from vinculo.journeys.models import Channel, Touchpoint


class FeedbackItem(models.Model):
    """A review, social post, complaint, chat transcript, e-mail or call note.

    ``(source, site, external_id)`` is the source's own id: filing the same item twice
    (an import run again, an API retry, a mailbox read again) stores it once. ``contact``
    keeps the identities the sender gave (e-mail, phone) so an item filed anonymously can
    be matched to its customer later; it is personal data, erased with the customer.
    """

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    site = models.CharField(
        _("site"), max_length=80, blank=True, help_text=_("Google, Trustpilot, a mailbox...")
    )
    external_id = models.CharField(_("external id"), max_length=200, blank=True)
    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT)
    touchpoint = models.ForeignKey(
        Touchpoint, verbose_name=_("touchpoint"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    occurred_at = models.DateTimeField(_("written at"))
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_max = models.PositiveSmallIntegerField(_("highest rating"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    author = models.CharField(_("author"), max_length=200, blank=True)
    contact = models.JSONField(_("contact identities"), default=dict, blank=True)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "site", "external_id"],
                condition=~Q(external_id=""),
                name="feedback_unique_external_id",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | (Q(rating_max__gte=1) & Q(rating__lte=models.F("rating_max"))),
                name="feedback_rating_within_scale",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "occurred_at"], name="feedback_unit_time"),
            models.Index(fields=["occurred_at"], name="feedback_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.occurred_at:%Y-%m-%d}"
