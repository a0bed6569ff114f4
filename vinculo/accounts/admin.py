"""Settings pages for administrators: units, departments, people's roles and API keys.

Django admin is reached only by staff, and only administrators are staff (see
``services.create_person``). Writes that keep invariants go through the services.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from vinculo.accounts.forms import scope_labels
from vinculo.accounts.models import ApiKey, Department, Membership, Unit
from vinculo.accounts.services import (
    create_unit,
    move_unit,
    revoke_api_key,
    sync_admin_access,
)


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "code", "kind", "parent"]

    def clean_parent(self) -> Unit | None:
        parent: Unit | None = self.cleaned_data.get("parent")
        unit = self.instance
        if parent is not None and unit.pk and parent.path.startswith(unit.path):
            raise forms.ValidationError(
                _("A unit cannot be placed under itself or one of its own units.")
            )
        return parent


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ["indented_name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    ordering = ["path"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit: Unit) -> str:
        return f"{'— ' * unit.depth}{unit.name}"

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        # The path of the unit and of its whole subtree is kept by the services.
        if not change:
            created = create_unit(name=obj.name, code=obj.code, kind=obj.kind, parent=obj.parent)
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            return
        obj.save(update_fields=["name", "code", "kind", "updated_at"])
        if "parent" in form.changed_data:
            move_unit(unit=obj, new_parent=obj.parent)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    fields = ["role", "unit", "department"]
    verbose_name = _("role in the company")
    verbose_name_plural = _("role in the company")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    """People and their role. What they may do comes from the role, not Django's groups."""

    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Account"), {"fields": ("is_active",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ["username", "email", "first_name", "last_name", "role", "unit", "is_active"]
    list_select_related = ["membership__unit"]
    list_filter = ["membership__role", "is_active"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Settings access is not edited here: it follows the role just saved.
        sync_admin_access(user=form.instance)

    @admin.display(description=_("role"), ordering="membership__role")
    def role(self, user: Any) -> str:
        membership = getattr(user, "membership", None)
        return membership.get_role_display() if membership else "—"

    @admin.display(description=_("unit"))
    def unit(self, user: Any) -> str:
        membership = getattr(user, "membership", None)
        return str(membership.unit) if membership and membership.unit else "—"


@admin.action(description=_("Revoke the selected keys"))
def revoke_keys(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    keys = list(queryset.filter(revoked_at__isnull=True))
    for key in keys:
        revoke_api_key(key=key)
    message = ngettext("%(count)d key revoked.", "%(count)d keys revoked.", len(keys))
    modeladmin.message_user(request, message % {"count": len(keys)}, messages.SUCCESS)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Read-only: keys are created on the API keys page, which shows the token once."""

    list_display = ["name", "prefix", "scope_list", "unit", "created_by", "last_used_at", "active"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["unit", "created_by"]
    search_fields = ["name", "prefix"]
    actions = [revoke_keys]
    fields = ["name", "prefix", "scope_list", "unit", "created_by", "last_used_at", "revoked_at"]
    readonly_fields = ["scope_list"]

    @admin.display(description=_("scopes"))
    def scope_list(self, key: ApiKey) -> str:
        return ", ".join(scope_labels(key.scopes))

    @admin.display(description=_("active"), boolean=True)
    def active(self, key: ApiKey) -> bool:
        return key.is_active

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
