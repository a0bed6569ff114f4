"""Roll-ups of survey answers: counts per day and dimension, so no figure scans raw answers.

Three tables, one shape of counts (``stats.Counts``: n, sum, sum of squares, top box,
bottom box):

- ``ScoreDay``: every dimension a report can filter by, per local day and the unit where
  the answer was given. The source of every other roll-up, and the one a report reads
  when it combines filters of different dimensions.
- ``ScoreCube``: per unit *subtree* (a region's rows hold all its stores), per day and per
  month, either in total (``dim`` empty) or by one dimension. Dashboards read these:
  a company-wide year is a dozen rows, not millions.
- ``PendingScore``: what changes in answers still have to add to (or take from) the two
  above. Writes of responses append here in their own transaction; ``rollups.fold`` moves
  them into the roll-ups in batches (see rollups.py for why).

Ids are plain integers, not foreign keys: roll-ups are derived data, rebuilt from the
answers at will (``manage.py rebuild_rollups``), and 0 stands for "none" so that every
column can be part of the unique key.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vinculo.metrics.choices import DigestStatus, Dimension, Grain


class CountColumns(models.Model):
    """The counts every roll-up row carries."""

    n = models.BigIntegerField(_("answers"), default=0)
    total = models.BigIntegerField(_("sum"), default=0)
    total_sq = models.BigIntegerField(_("sum of squares"), default=0)
    top = models.BigIntegerField(_("top box"), default=0)
    bottom = models.BigIntegerField(_("bottom box"), default=0)

    class Meta:
        abstract = True


class FineColumns(CountColumns):
    """The dimensions of one answer, as ``ScoreDay`` and ``PendingScore`` keep them."""

    day = models.DateField(_("day"))
    month = models.DateField(_("month"), help_text=_("First day of the day's month."))
    question_id = models.IntegerField(_("question"))
    unit_id = models.IntegerField(_("unit"))
    touchpoint_id = models.IntegerField(_("touchpoint"), default=0)
    channel_id = models.IntegerField(_("channel"))
    segment = models.CharField(_("customer segment"), max_length=60, blank=True)
    lifecycle = models.CharField(_("lifecycle stage"), max_length=20, blank=True)
    # A choice question counts each option on its own row; a matrix each statement.
    option = models.CharField(_("option"), max_length=40, blank=True)

    class Meta:
        abstract = True


# The unique keys, in the order their indexes serve the readers: a unit (or a unit's
# subtree), some questions, scores or one option, then a range of days; the dimension
# values last, so a range scan is never cut short by a column left free.
FINE_KEY = (
    "unit_id",
    "question_id",
    "option",
    "day",
    "touchpoint_id",
    "channel_id",
    "segment",
    "lifecycle",
)
CUBE_KEY = ("question_id", "unit_id", "grain", "dim", "option", "start", "value")


class ScoreDay(FineColumns):
    """Answers of one local day, question, unit and combination of dimensions."""

    class Meta:
        ordering = ["unit_id", "question_id", "day"]
        verbose_name = _("daily score roll-up")
        verbose_name_plural = _("daily score roll-ups")
        constraints = [models.UniqueConstraint(fields=FINE_KEY, name="scoreday_key")]

    def __str__(self) -> str:
        return f"{self.day} q{self.question_id} u{self.unit_id}"


class ScoreCube(CountColumns):
    """Answers of one period (a day or a month) in one unit's whole subtree, in total or
    for one value of one dimension.

    Totals and per-dimension months cover the unit and everything below it. Per-dimension
    *days* cover only the units below it: the unit's own answers of a day by dimension are
    in ``ScoreDay`` already, and a store (no units below) would otherwise store each of its
    days twice, once per dimension, for nothing. Readers add the two (``queries``).
    ``value`` is the dimension's value: a touchpoint or channel id, a segment, a stage;
    empty for the total, or for answers without that dimension (no touchpoint, say).
    """

    grain = models.CharField(_("grain"), max_length=1, choices=Grain.choices)
    start = models.DateField(_("period start"))
    question_id = models.IntegerField(_("question"))
    unit_id = models.IntegerField(_("unit"))
    dim = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices, blank=True)
    value = models.CharField(_("dimension value"), max_length=60, blank=True)
    option = models.CharField(_("option"), max_length=40, blank=True)

    class Meta:
        ordering = ["question_id", "unit_id", "grain", "dim", "option", "start", "value"]
        verbose_name = _("score roll-up by unit")
        verbose_name_plural = _("score roll-ups by unit")
        constraints = [models.UniqueConstraint(fields=CUBE_KEY, name="scorecube_key")]

    def __str__(self) -> str:
        return f"{self.grain}{self.start} q{self.question_id} u{self.unit_id} {self.dim}"


class PendingScore(FineColumns):
    """A signed change not yet folded into the roll-ups (negative counts take away)."""

    class Meta:
        ordering = ["id"]
        verbose_name = _("pending score change")
        verbose_name_plural = _("pending score changes")

    def __str__(self) -> str:
        return f"#{self.pk} {self.day} q{self.question_id} {self.n:+d}"


class ScoreScratch(FineColumns):
    """Working space of a rebuild: what the raw answers add, before it is summed by key."""

    class Meta:
        ordering = ["id"]
        verbose_name = _("roll-up rebuild row")
        verbose_name_plural = _("roll-up rebuild rows")

    def __str__(self) -> str:
        return f"#{self.pk} {self.day} q{self.question_id}"


class RollupState(models.Model):
    """One row (pk=1) that folding and rebuilding lock, so they never run at once."""

    folded_at = models.DateTimeField(_("last folded"), null=True, blank=True)
    rebuilt_at = models.DateTimeField(_("last rebuilt"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("roll-up state")
        verbose_name_plural = _("roll-up state")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="rollupstate_singleton")]

    def __str__(self) -> str:
        return str(_("Roll-up state"))


class MetricPolicy(models.Model):
    """Company-wide rules for showing figures; one row (pk=1), edited on the settings pages."""

    min_sample = models.PositiveIntegerField(
        _("minimum sample"),
        default=30,
        help_text=_(
            "Figures on fewer answers are not shown (“insufficient sample”): they would be noise."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("metrics policy")
        verbose_name_plural = _("metrics policy")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="metricpolicy_singleton"),
            models.CheckConstraint(condition=Q(min_sample__gte=1), name="metricpolicy_min_1"),
        ]

    def __str__(self) -> str:
        return str(_("Metrics policy"))


class DigestDelivery(models.Model):
    """One weekly digest of one person: claimed before it is sent, so a week's digest goes
    out once whatever runs twice, and a failed send is retried a few times."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    week = models.DateField(_("week"), help_text=_("The Monday of the week it reports."))
    status = models.CharField(
        _("status"), max_length=10, choices=DigestStatus.choices, default=DigestStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    failure_reason = models.CharField(_("reason"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week", "user_id"]
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="digest_once_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.week}"
