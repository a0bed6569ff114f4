from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    REVIEW = "review", _("Review")
    SOCIAL = "social", _("Social media post")
    COMPLAINT = "complaint", _("Complaint")
    CHAT = "chat", _("Chat transcript")
    EMAIL = "email", _("E-mail")
    CALL_NOTE = "call_note", _("Call note")
    APP_STORE = "app_store", _("App store review")
    OTHER = "other", _("Other")


# The channel an item arrives through when its sender does not say.
DEFAULT_CHANNEL = {
    Source.REVIEW: "web",
    Source.SOCIAL: "social",
    Source.COMPLAINT: "web",
    Source.CHAT: "chat",
    Source.EMAIL: "email",
    Source.CALL_NOTE: "call_centre",
    Source.APP_STORE: "app",
    Source.OTHER: "web",
}
# The interaction type an item writes on the customer's timeline.
FEEDBACK_TYPE = "feedback"
COMPLAINT_TYPE = "complaint"
