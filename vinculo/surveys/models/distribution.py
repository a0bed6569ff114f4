"""Getting surveys to people: campaigns, triggered rules, invitations and contact policy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.journeys.models import Channel, Interaction, InteractionType, Touchpoint
from vinculo.surveys.choices import DistributionStatus, InvitationStatus, InviteChannel
from vinculo.surveys.models.survey import Survey


class Distribution(models.Model):
    """A campaign: one survey sent by e-mail or SMS to the customers an audience selects.

    ``audience`` filters customers, e.g. ``{"segment": "empresa", "unit": 12,
    "lifecycle_stage": "active"}``; the invitations are created when it is sent.
    """

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="distributions"
    )
    name = models.CharField(_("name"), max_length=150)
    channel = models.CharField(_("channel"), max_length=10, choices=InviteChannel.choices)
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Where answers land; empty: each customer's home unit."),
    )
    touchpoint = models.ForeignKey(
        Touchpoint, verbose_name=_("touchpoint"), null=True, blank=True, on_delete=models.PROTECT
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    reminder_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"), null=True, blank=True
    )
    expires_after_days = models.PositiveSmallIntegerField(_("link valid for (days)"), default=30)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DistributionStatus.choices,
        default=DistributionStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self) -> str:
        return self.name


class TriggerRule(models.Model):
    """A transactional survey: "after an interaction of type T on channel C, invite after D
    hours". A periodic task reads interactions newer than ``last_interaction_id`` (whatever
    path recorded them: API, import, services) and creates one invitation per interaction.
    """

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="triggers"
    )
    name = models.CharField(_("name"), max_length=150)
    interaction_type = models.ForeignKey(
        InteractionType, verbose_name=_("interaction type"), on_delete=models.PROTECT
    )
    interaction_channel = models.ForeignKey(
        Channel,
        verbose_name=_("on channel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: any channel."),
    )
    channel = models.CharField(_("invite by"), max_length=10, choices=InviteChannel.choices)
    delay_hours = models.PositiveIntegerField(_("delay (hours)"), default=24)
    max_age_hours = models.PositiveIntegerField(
        _("ignore events older than (hours)"),
        default=72,
        help_text=_("Late or back-dated events (an import of last year) invite nobody."),
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"), null=True, blank=True
    )
    expires_after_days = models.PositiveSmallIntegerField(_("link valid for (days)"), default=14)
    active = models.BooleanField(_("active"), default=True)
    last_interaction_id = models.BigIntegerField(_("last interaction read"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trigger rule")
        verbose_name_plural = _("trigger rules")

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """A personal, single-use, expiring invitation of one customer to one survey.

    The link carries a signed token naming the invitation (tokens.py); nothing secret is
    stored. ``status`` follows the message and the answer: queued → sending → sent →
    delivered/opened → started → completed, or bounced/failed (with ``failure_reason``) or
    suppressed (no consent, opted out, contacted too recently).
    """

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="invitations"
    )
    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    trigger = models.ForeignKey(
        TriggerRule,
        verbose_name=_("trigger rule"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    trigger_interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("triggering interaction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="invitations"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=InviteChannel.choices)
    address = models.CharField(_("sent to"), max_length=254, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    touchpoint = models.ForeignKey(
        Touchpoint, verbose_name=_("touchpoint"), null=True, blank=True, on_delete=models.PROTECT
    )
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InvitationStatus.choices,
        default=InvitationStatus.QUEUED,
    )
    failure_reason = models.CharField(_("reason"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    send_after = models.DateTimeField(_("send after"))
    expires_at = models.DateTimeField(_("expires at"))
    provider_message_id = models.CharField(_("provider message id"), max_length=120, blank=True)
    reminder_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"), null=True, blank=True
    )
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            models.Index(fields=["status", "send_after"], name="invitation_due"),
            models.Index(fields=["customer", "sent_at"], name="invitation_customer_sent"),
            # Delivery reports name the message by the provider's id.
            models.Index(
                fields=["provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="invitation_provider_message",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "customer"],
                condition=Q(distribution__isnull=False),
                name="invitation_once_per_distribution",
            ),
            models.UniqueConstraint(
                fields=["trigger", "trigger_interaction"],
                condition=Q(trigger__isnull=False),
                name="invitation_once_per_trigger_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} → {self.customer_id} ({self.get_status_display()})"


class ContactPolicy(models.Model):
    """Company-wide contact rules; one row (pk=1), edited on the settings pages."""

    fatigue_days = models.PositiveSmallIntegerField(
        _("days between invitations"),
        default=30,
        help_text=_("No customer is invited more than once in this many days, across surveys."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("contact policy")
        verbose_name_plural = _("contact policy")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="contactpolicy_singleton")]

    def __str__(self) -> str:
        return str(_("Contact policy"))
