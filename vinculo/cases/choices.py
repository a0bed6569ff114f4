from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("case", "New")
    IN_PROGRESS = "in_progress", pgettext_lazy("case", "In progress")
    WAITING = "waiting", pgettext_lazy("case", "Waiting for the customer")
    RESOLVED = "resolved", pgettext_lazy("case", "Resolved")
    CLOSED = "closed", pgettext_lazy("case", "Closed")
    REOPENED = "reopened", pgettext_lazy("case", "Reopened")


# Where a case may go from each status. Resolved cases are closed (by a person, or later
# by a task once the follow-up window passes) or reopened; closed ones can only reopen.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED}),
    Status.IN_PROGRESS: frozenset({Status.WAITING, Status.RESOLVED}),
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset({Status.REOPENED}),
    Status.REOPENED: frozenset({Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED}),
}
OPEN = frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.REOPENED})


class Priority(models.TextChoices):
    URGENT = "urgent", pgettext_lazy("case", "Urgent")
    HIGH = "high", pgettext_lazy("case", "High")
    NORMAL = "normal", pgettext_lazy("case", "Normal")
    LOW = "low", pgettext_lazy("case", "Low")


class Trigger(models.TextChoices):
    """What the case is about: the record that opened it."""

    RESPONSE = "response", _("Survey response")
    FEEDBACK = "feedback", _("Feedback item")
    INTERACTION = "interaction", _("Interaction")
    MANUAL = "manual", _("Opened by a person")


class EventKind(models.TextChoices):
    OPENED = "opened", pgettext_lazy("case", "Opened")
    ASSIGNED = "assigned", _("Assigned")
    STATUS = "status", _("Status changed")
    NOTE = "note", _("Note")
    CONTACT = "contact", _("Customer contacted")
    ACTION = "action", _("Action taken")
    ROOT_CAUSE = "root_cause", _("Root cause set")
    PRIORITY = "priority", _("Priority changed")
    ESCALATED = "escalated", _("Escalated")
    FOLLOW_UP = "follow_up", _("Follow-up survey")


class ContactChannel(models.TextChoices):
    CALL = "call", _("Phone call")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    CHAT = "chat", _("Chat")
    VISIT = "visit", _("In person")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Reached the customer")
    NOT_REACHED = "not_reached", _("Could not reach the customer")
    LEFT_MESSAGE = "left_message", _("Left a message")


class Assignment(models.TextChoices):
    """How a rule's new case finds its owner among the department's people."""

    NONE = "", _("Nobody: the department takes it")
    ROUND_ROBIN = "round_robin", _("Round robin")
    LEAST_LOADED = "least_loaded", _("Least loaded (fewest open cases)")


class FollowUpStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    NOT_SENT = "not_sent", _("Not sent")


class ImprovementStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("improvement", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("improvement", "In progress")
    DONE = "done", pgettext_lazy("improvement", "Done")
    DROPPED = "dropped", pgettext_lazy("improvement", "Dropped")


class NotificationKind(models.TextChoices):
    RULE = "rule", _("Alert rule matched")
    ASSIGNED = "assigned", _("Case assigned to you")
    ESCALATED = "escalated", _("Case escalated")
    SIGNAL = "signal", _("Sales signal")
    IMPROVEMENT = "improvement", _("Improvement action")
