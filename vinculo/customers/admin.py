"""Settings pages for customers: read-mostly, since customers come from imports and the API.

Profile edits go through ``services.update_customer``; identities and merges are shown but
changed only through identity resolution and the merge page, which keep them consistent.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vinculo.customers.models import Customer, CustomerMerge, Identity
from vinculo.customers.services import PROFILE_FIELDS, update_customer


class IdentityInline(admin.TabularInline):
    model = Identity
    fields = ["kind", "value", "source", "created_at"]
    readonly_fields = ["kind", "value", "source", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "lifecycle_stage",
        "segment",
        "value_tier",
        "home_unit",
        "merged_into",
    ]
    list_filter = ["lifecycle_stage", "value_tier"]
    list_select_related = ["home_unit", "merged_into"]
    # Identities are stored normalised, so an exact value matches; names match by prefix.
    search_fields = ["^name", "identities__value__exact"]
    show_full_result_count = False
    inlines = [IdentityInline]
    fields = [*PROFILE_FIELDS, "home_unit", "consents", "attributes", "merged_into", "created_at"]
    readonly_fields = ["home_unit", "consents", "attributes", "merged_into", "created_at"]

    def save_model(self, request: HttpRequest, obj: Customer, form: Any, change: bool) -> None:
        fresh = Customer.objects.get(pk=obj.pk)
        profile = {field: getattr(obj, field) for field in PROFILE_FIELDS}
        update_customer(customer=fresh, **profile)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CustomerMerge)
class CustomerMergeAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "merged",
        "survivor",
        "actor_label",
        "identities_moved",
        "interactions_moved",
    ]
    list_select_related = ["merged", "survivor"]
    raw_id_fields = ["survivor", "merged", "actor"]
    search_fields = ["actor_label", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
