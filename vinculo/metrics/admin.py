from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vinculo.metrics.models import DigestDelivery, MetricPolicy


@admin.register(MetricPolicy)
class MetricPolicyAdmin(admin.ModelAdmin):
    """The one row of rules for showing figures: edited, never added twice nor deleted."""

    list_display = ["__str__", "min_sample", "updated_at"]
    fields = ["min_sample"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not MetricPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: MetricPolicy, form: Any, change: bool) -> None:
        obj.pk = 1  # the singleton (a check constraint refuses any other id)
        super().save_model(request, obj, form, change)


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    """The weekly digests sent (or failing): shown and filtered, never edited by hand."""

    list_display = ["user", "week", "status", "attempts", "sent_at", "failure_reason"]
    list_filter = ["status", "week"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
