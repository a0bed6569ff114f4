from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    INTERACTIONS = "interactions", _("Interactions")
    FEEDBACK = "feedback", pgettext_lazy("import kind", "Feedback")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("Import nothing if any row is wrong")
    VALID_ROWS = "valid_rows", _("Import the valid rows and let me download the rejected ones")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected: nothing imported")
    FAILED = "failed", _("Failed")
