"""What closes the loop around cases: who gets each new case (round robin), the follow-up
survey after a case, service-to-sales signals, improvement actions born of root causes,
and how each person wants to hear about it all."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.models import Department, Unit
from vinculo.cases.choices import FollowUpStatus, ImprovementStatus
from vinculo.cases.models.core import Case, RootCause
from vinculo.customers.models import Customer
from vinculo.journeys.models import Interaction


class RoundRobinCursor(models.Model):
    """The last person of a department who got a new case in a unit, so the next goes to
    the one after them."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    last_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("round-robin cursor")
        verbose_name_plural = _("round-robin cursors")
        constraints = [
            models.UniqueConstraint(fields=["department", "unit"], name="roundrobin_once")
        ]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.unit_id}"


class CaseSettings(models.Model):
    """One row (pk=1): the survey sent to a customer after their case is resolved."""

    follow_up_survey = models.ForeignKey(
        "surveys.Survey",
        verbose_name=_("follow-up survey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    follow_up_by_default = models.BooleanField(
        _("offer the follow-up survey when resolving"), default=True
    )
    pause_while_waiting = models.BooleanField(
        _("stop the resolution clock while waiting for the customer"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("case settings")
        verbose_name_plural = _("case settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="casesettings_singleton")]

    def __str__(self) -> str:
        return str(_("Case settings"))


class FollowUp(models.Model):
    """The short survey a customer got after their case ("Did we solve your problem?"),
    and what they answered: the recovered score."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="follow_up"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.SENT
    )
    invitation = models.OneToOneField(
        "surveys.Invitation",
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_follow_up",
    )
    response = models.OneToOneField(
        "surveys.Response",
        verbose_name=_("response"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_follow_up",
    )
    score = models.PositiveSmallIntegerField(_("score after the case, 0 to 10"), null=True)
    solved = models.BooleanField(_("customer says it was solved"), null=True)
    reason = models.CharField(_("why not sent"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("follow-up survey")
        verbose_name_plural = _("follow-up surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=10), name="followup_score_range"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} {self.status}"


class SalesSignalRule(models.Model):
    """When a customer of a segment contacts one department (customer service), tell
    another (sales) with the context; a share of signals is held out (nobody is told) so
    the uplift in later sales can be measured against them."""

    name = models.CharField(_("name"), max_length=150)
    active = models.BooleanField(_("active"), default=True)
    # The segment: conditions on customer attributes, shaped like an alert rule's.
    segment = models.JSONField(_("segment"), default=list, blank=True)
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        blank=True,
        related_name="+",
        help_text=_("Each unit with everything below it; none means the whole company."),
    )
    source_department = models.ForeignKey(
        Department,
        verbose_name=_("when the customer contacts"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_department = models.ForeignKey(
        Department, verbose_name=_("tell"), on_delete=models.PROTECT, related_name="+"
    )
    window_days = models.PositiveSmallIntegerField(_("a sale counts within (days)"), default=30)
    holdout_percent = models.PositiveSmallIntegerField(
        _("held out (%)"),
        default=10,
        help_text=_("Signals nobody is told about, to measure the uplift against."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("sales signal rule")
        verbose_name_plural = _("sales signal rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(holdout_percent__lte=50), name="signalrule_holdout_range"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SalesSignal(models.Model):
    """One service contact of a customer in the segment, and the sale that followed, if
    any (linked later, within the rule's window)."""

    rule = models.ForeignKey(
        SalesSignalRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="signals"
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("service contact"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    held_out = models.BooleanField(_("held out"), default=False)
    created_at = models.DateTimeField(_("raised at"))
    sale = models.ForeignKey(
        Interaction,
        verbose_name=_("sale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sale_at = models.DateTimeField(_("sold at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sales signal")
        verbose_name_plural = _("sales signals")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "interaction"], name="salessignal_once_per_contact"
            )
        ]
        indexes = [models.Index(fields=["customer", "created_at"], name="salessignal_customer")]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.interaction_id}"


class ImprovementAction(models.Model):
    """The outer loop: a change to a process, promoted from a root cause that keeps
    coming back, owned by a person until it is done."""

    root_cause = models.ForeignKey(
        RootCause,
        verbose_name=_("root cause"),
        on_delete=models.PROTECT,
        related_name="improvements",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="improvements",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole company."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ImprovementStatus.choices,
        default=ImprovementStatus.OPEN,
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImprovementStatus.values),
                name="improvement_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPrefs(models.Model):
    """How one person wants to hear: e-mails as things happen, and the daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_prefs",
    )
    email_alerts = models.BooleanField(_("e-mail me each notification"), default=True)
    daily_digest = models.BooleanField(_("e-mail me a daily digest of my cases"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)


class DigestSent(models.Model):
    """One person's daily digest, sent once a day: what it counted, for the record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day"))
    open_cases = models.PositiveIntegerField(_("open cases"), default=0)
    overdue_cases = models.PositiveIntegerField(_("overdue cases"), default=0)
    status = models.CharField(_("status"), max_length=20, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
