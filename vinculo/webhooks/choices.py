from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """What an endpoint may subscribe to. Private notes, actions and root causes on their
    own are never published: they may hold what a customer told an agent in confidence."""

    CASE_OPENED = "case.opened", _("Case opened")
    CASE_ASSIGNED = "case.assigned", _("Case assigned")
    CASE_STATUS = "case.status", _("Case status changed")
    CASE_PRIORITY = "case.priority", _("Case priority changed")
    CASE_CONTACT = "case.contact", _("Customer contacted")
    CASE_RESOLVED = "case.resolved", _("Case resolved")
    CASE_ESCALATED = "case.escalated", _("Case escalated")
    RULE_MATCHED = "rule.matched", _("Alert rule matched")
    ALL = "*", _("Every event")


# Sent only when someone presses "Send a test event"; nobody subscribes to it.
TEST_EVENT = "webhook.test"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
