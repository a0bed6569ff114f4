"""Alert rules and what they leave behind: their matches, the high-water marks of the
events they read, and the notifications they (and cases) send to people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.models import Department, Unit
from vinculo.cases.choices import Assignment, NotificationKind, Priority
from vinculo.cases.models.core import Case
from vinculo.cases.rule_choices import RuleAction, RuleEvent


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
    # A worker claims the e-mail (email_status "sending", email_claimed_at); a claim older
    # than the lease is a dead worker's and is taken again; temporary failures retry.
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_claimed_at = models.DateTimeField(_("e-mail claimed at"), null=True, blank=True)

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
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The e-mail sweep: notices not e-mailed yet, or claimed by a worker.
            models.Index(fields=["email_status", "created_at"], name="notification_email_due"),
        ]

    def __str__(self) -> str:
        return self.text
