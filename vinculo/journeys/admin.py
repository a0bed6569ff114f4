"""Settings pages for the journey catalogue, and a read-only browser of interactions.

The interaction list must stay fast with millions of rows: related rows are joined in the
same query, foreign keys use raw id inputs, and the row count is capped.
"""

from typing import Any, cast

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

from vinculo.journeys.models import (
    Channel,
    Interaction,
    InteractionType,
    Journey,
    JourneyStage,
    Touchpoint,
)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class JourneyStageInline(admin.TabularInline):
    model = JourneyStage
    fields = ["position", "name", "code"]
    extra = 0
    ordering = ["position"]


@admin.register(Journey)
class JourneyAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inlines = [JourneyStageInline]


@admin.register(InteractionType)
class InteractionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "default_stage", "department", "is_transaction"]
    list_filter = ["is_transaction", "department"]
    list_select_related = ["default_stage", "department"]
    search_fields = ["name", "code"]


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    list_display = ["name", "channel", "interaction_type", "stage"]
    list_filter = ["channel", "interaction_type", "stage"]
    list_select_related = ["channel", "interaction_type", "stage"]
    search_fields = ["name"]


class CappedCountPaginator(Paginator):
    """Counts at most ``CAP`` rows: an exact COUNT(*) over millions of rows takes seconds.

    Past the cap the list shows ``CAP`` as the total; filters narrow it down.
    """

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        rows = cast(QuerySet[Any], self.object_list)
        return rows[: self.CAP].count()


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    """Read-only: interactions are append-only facts written by imports and the API."""

    list_display = ["occurred_at", "customer", "touchpoint", "unit", "amount", "currency", "source"]
    # Filters on small related tables only: a DISTINCT over a column of this table would scan it.
    list_filter = ["touchpoint__channel", "touchpoint__interaction_type"]
    list_select_related = ["customer", "touchpoint", "unit"]
    raw_id_fields = ["customer", "touchpoint", "unit"]
    search_fields = ["external_id__exact"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # a count per filter choice would scan the table
    paginator = CappedCountPaginator
    # Newest first by primary key: no index covers occurred_at alone across all customers.
    ordering = ["-id"]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
