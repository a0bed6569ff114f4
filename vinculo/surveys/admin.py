"""Settings pages for surveys: read-mostly, since surveys are built, published and sent
through the builder and the distribution pages, which keep versions and invitations
consistent. The contact policy (one row) is edited here.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vinculo.journeys.admin import CappedCountPaginator
from vinculo.surveys.models import (
    ContactPolicy,
    Distribution,
    Invitation,
    ResponseChange,
    Survey,
    SurveyVersion,
    TriggerRule,
)
from vinculo.surveys.services import update_survey


class ReadOnly(admin.ModelAdmin):
    """Shown, searched and filtered; changed only through the app's own pages."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SurveyVersionInline(admin.TabularInline):
    model = SurveyVersion
    fields = ["number", "published_at", "created_at"]
    readonly_fields = ["number", "published_at", "created_at"]
    extra = 0
    can_delete = False
    ordering = ["-number"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Shown on a survey's page, changed only in the builder.
SETTINGS_SHOWN = [
    "slug",
    "kind",
    "status",
    "unit",
    "touchpoint",
    "languages",
    "default_language",
    "current_version",
    "created_by",
    "created_at",
]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Read-mostly: the name and the public link can be changed here (through the service);
    questions, versions and status only in the builder."""

    list_display = ["name", "slug", "kind", "status", "unit", "current_version", "updated_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["unit", "current_version"]
    search_fields = ["name", "slug"]
    inlines = [SurveyVersionInline]
    fields = ["name", "public_link", *SETTINGS_SHOWN]
    readonly_fields = SETTINGS_SHOWN

    def save_model(self, request: HttpRequest, obj: Survey, form: Any, change: bool) -> None:
        fresh = Survey.objects.get(pk=obj.pk)
        update_survey(survey=fresh, name=obj.name, public_link=obj.public_link)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Distribution)
class DistributionAdmin(ReadOnly):
    list_display = ["name", "survey", "channel", "status", "unit", "send_at", "created_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["survey", "unit"]
    search_fields = ["name", "survey__name"]
    date_hierarchy = "created_at"


@admin.register(TriggerRule)
class TriggerRuleAdmin(admin.ModelAdmin):
    """Rules can be paused or tuned here; which interactions were read stays the worker's."""

    list_display = [
        "name",
        "survey",
        "interaction_type",
        "interaction_channel",
        "channel",
        "delay_hours",
        "active",
    ]
    list_filter = ["active", "channel", "interaction_type"]
    list_select_related = ["survey", "interaction_type", "interaction_channel"]
    search_fields = ["name", "survey__name"]
    readonly_fields = ["last_interaction_id", "created_at", "updated_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # invitations point at their rule: pause it (active) instead


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    """Read-only: invitations change only as messages are sent and answered."""

    list_display = [
        "created_at",
        "survey",
        "customer",
        "channel",
        "status",
        "failure_reason",
        "sent_at",
        "completed_at",
    ]
    # Small related tables and short choice columns only: the list must stay fast.
    list_filter = ["status", "channel", "survey"]
    list_select_related = ["survey", "customer"]
    raw_id_fields = ["customer", "distribution", "trigger", "trigger_interaction", "unit"]
    search_fields = ["address__exact", "provider_message_id__exact"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = CappedCountPaginator
    ordering = ["-id"]
    list_per_page = 50


@admin.register(ContactPolicy)
class ContactPolicyAdmin(admin.ModelAdmin):
    """The one row of company-wide contact rules: edited, never added twice nor deleted."""

    list_display = ["__str__", "fatigue_days", "updated_at"]
    fields = ["fatigue_days"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ContactPolicy.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ContactPolicy, form: Any, change: bool) -> None:
        obj.pk = 1  # the singleton (a check constraint refuses any other id)
        super().save_model(request, obj, form, change)


@admin.register(ResponseChange)
class ResponseChangeAdmin(ReadOnly):
    """The audit of corrected and deleted responses."""

    list_display = ["response_ref", "survey", "kind", "actor_label", "created_at"]
    list_filter = ["kind", "survey"]
    search_fields = ["=response_ref", "actor_label", "reason"]
