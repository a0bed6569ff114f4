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
    Assignment,
    ContactChannel,
    ContactOutcome,
    EventKind,
    NotificationKind,
    Priority,
    Status,
)
from vinculo.cases.choices import Trigger as TriggerKind
from vinculo.cases.rule_choices import RuleAction, RuleEvent
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


class AlertRule(models.Model):
    """A condition on new events (responses, analysed texts, feedback, interactions) that
    opens a case, notifies the unit's managers, or both. ``conditions`` is a list of
    ``{"field", "op", "value"}`` (plus ``"days"`` for repeats), all of which must hold
    (``rules.py`` says which fields each event has). A rule only reads events recorded
    after it was created."""

    name = models.CharField(_("name"), max_length=150)
    active = models.BooleanField(_("active"), default=True)
    event = models.CharField(_("watches"), max_length=20, choices=RuleEvent.choices)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        blank=True,
        related_name="+",
        help_text=_("Each unit with everything below it; none means the whole company."),
    )
    action = models.CharField(
        _("action"), max_length=10, choices=RuleAction.choices, default=RuleAction.CASE
    )
    priority = models.CharField(
        _("case priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the department of the event's interaction type."),
    )
    assignment = models.CharField(
        _("assign to"),
        max_length=15,
        choices=Assignment.choices,
        blank=True,
        default=Assignment.NONE,
        help_text=_("Who of the department's people owns each new case."),
    )
    title = models.CharField(
        _("case title"),
        max_length=200,
        default="{rule}: {unit}",
        help_text=_("May use {rule}, {unit} and {customer}."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(event__in=RuleEvent.values), name="alertrule_event_valid"
            ),
            models.CheckConstraint(
                condition=Q(action__in=RuleAction.values), name="alertrule_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RuleMatch(models.Model):
    """One rule matched one event, once: re-reading the event never matches it again."""

    rule = models.ForeignKey(
        AlertRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="matches"
    )
    event = models.CharField(_("event kind"), max_length=20, choices=RuleEvent.choices)
    event_id = models.BigIntegerField(_("event"))
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rule_matches",
    )
    matched_at = models.DateTimeField(_("matched at"))

    class Meta:
        ordering = ["-matched_at", "-pk"]
        verbose_name = _("rule match")
        verbose_name_plural = _("rule matches")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "event", "event_id"], name="rulematch_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.event}:{self.event_id}"


class RuleState(models.Model):
    """One row (pk=1): the last event of each kind the rules have read, locked while a
    chunk is evaluated so two runs never evaluate the same events at once."""

    last_response_id = models.BigIntegerField(_("last response read"), default=0)
    last_text_id = models.BigIntegerField(_("last text analysis read"), default=0)
    last_feedback_id = models.BigIntegerField(_("last feedback item read"), default=0)
    last_interaction_id = models.BigIntegerField(_("last interaction read"), default=0)
    last_signal_interaction_id = models.BigIntegerField(
        _("last interaction read for sales signals"), default=0
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("alert rules state")
        verbose_name_plural = _("alert rules state")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="rulestate_singleton")]

    def __str__(self) -> str:
        return str(_("Alert rules state"))


class Notification(models.Model):
    """A message to one person in the app (and by e-mail, unless they opted out): a rule's
    match, a case given to them, an escalation, a sales signal."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    rule = models.ForeignKey(
        AlertRule,
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    match = models.ForeignKey(
        RuleMatch,
        verbose_name=_("match"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    kind = models.CharField(
        _("kind"), max_length=15, choices=NotificationKind.choices, default=NotificationKind.RULE
    )
    # What makes a notification that is not a rule's match unique for its recipient,
    # e.g. "escalated-<case>-<times reopened>": writing it twice adds nothing.
    key = models.CharField(_("key"), max_length=80, blank=True)
    signal = models.ForeignKey(
        "cases.SalesSignal",
        verbose_name=_("sales signal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_status = models.CharField(_("e-mail"), max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["match", "recipient"], name="notification_once_per_match"
            ),
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text
