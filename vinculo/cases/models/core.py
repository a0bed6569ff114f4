"""Cases: closed-loop follow-ups of what a customer said or lived, owned by a person, due by
an SLA counted in business hours, with everything done to them in one activity log."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.models import Department, Unit
from vinculo.cases.choices import (
    ContactChannel,
    ContactOutcome,
    EventKind,
    Priority,
    Status,
)
from vinculo.cases.choices import Trigger as TriggerKind
from vinculo.customers.models import Customer
from vinculo.journeys.models import Touchpoint


class RootCause(models.Model):
    """A node of the root-cause taxonomy ("Facturación > Cobro duplicado"); the outer loop
    counts resolved cases by it."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="rootcause_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    """How soon a case of one priority must be answered and resolved, in business minutes
    (or clock minutes when ``round_the_clock``)."""

    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, unique=True)
    first_response_minutes = models.PositiveIntegerField(_("first response within (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (minutes)"))
    round_the_clock = models.BooleanField(
        _("round the clock"),
        default=False,
        help_text=_("Count every hour, not only business hours."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")

    def __str__(self) -> str:
        return self.get_priority_display()


class WorkingHours(models.Model):
    """One opening of the business week (several per day for split shifts), local time."""

    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 = Monday
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight, the end of the day."))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="workinghours_weekday"),
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")) | Q(closes=datetime.time(0)),
                name="workinghours_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Holiday(models.Model):
    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=120, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class Case(models.Model):
    """One follow-up. ``trigger``/``trigger_id`` name the record it is about; one record
    never has two cases (whatever opens them, however often)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("touchpoint"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_cases",
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    trigger = models.CharField(
        _("opened by"), max_length=20, choices=TriggerKind.choices, default=TriggerKind.MANUAL
    )
    trigger_id = models.BigIntegerField(_("record"), null=True, blank=True)
    root_cause = models.ForeignKey(
        RootCause,
        verbose_name=_("root cause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    resolution = models.TextField(_("resolution"), blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    first_response_due = models.DateTimeField(_("first response due"))
    resolution_due = models.DateTimeField(_("resolution due"))
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # While the case waits for the customer, its resolution clock stops (unless the case
    # settings say otherwise): leaving the wait pushes resolution_due by the time waited.
    paused_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created_by_label = models.CharField(_("opened by"), max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["trigger", "trigger_id"],
                condition=~Q(trigger=TriggerKind.MANUAL),
                name="case_one_per_record",
            ),
            models.CheckConstraint(
                condition=Q(trigger=TriggerKind.MANUAL) | Q(trigger_id__isnull=False),
                name="case_trigger_has_record",
            ),
        ]
        indexes = [
            # Finding a record's case: the unique constraint's index is partial (not for
            # manual cases), which SQLite's planner cannot use for "trigger = 'response'".
            models.Index(fields=["trigger_id", "trigger"], name="case_record"),
            models.Index(fields=["unit", "status"], name="case_unit_status"),
            models.Index(fields=["owner", "status"], name="case_owner_status"),
            models.Index(fields=["department", "status"], name="case_department_status"),
            models.Index(fields=["resolution_due"], name="case_resolution_due"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class CaseEvent(models.Model):
    """One line of a case's activity log: opened, assigned, a status change, a private note,
    a contact with the customer, an action taken, an escalation."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("by"), max_length=150)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    contact_channel = models.CharField(
        _("contact channel"), max_length=10, choices=ContactChannel.choices, blank=True
    )
    contact_outcome = models.CharField(
        _("contact outcome"), max_length=20, choices=ContactOutcome.choices, blank=True
    )
    created_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [models.Index(fields=["case", "created_at"], name="caseevent_case_time")]

    def __str__(self) -> str:
        return f"#{self.case_id} {self.kind}"
