"""Forms of the organisation pages: creating API keys."""

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import API_KEY_SCOPES, Perm

SCOPE_LABELS: dict[Perm, Promise] = {
    Perm.VIEW_CUSTOMERS: _("Read customers and their timelines"),
    Perm.EDIT_CUSTOMERS: _("Create and update customers"),
    Perm.MERGE_CUSTOMERS: _("Merge customers"),
    Perm.EXPORT_CUSTOMERS: _("Export a customer's personal data"),
    Perm.ERASE_CUSTOMERS: _("Erase a customer's personal data"),
    Perm.ADD_INTERACTIONS: _("Record interactions"),
    Perm.IMPORT_DATA: _("Run imports"),
    Perm.VIEW_ORG: _("Read the organisation (units, departments)"),
    Perm.MANAGE_ORG: _("Manage the organisation"),
    Perm.MANAGE_API_KEYS: _("Manage API keys"),
    Perm.MANAGE_SURVEYS: _("Build, publish and send surveys"),
    Perm.VIEW_RESPONSES: _("Read survey responses"),
    Perm.ENTER_RESPONSES: _("Enter responses (interviews, kiosks, other systems)"),
    Perm.EXPORT_RESPONSES: _("Export survey responses"),
    Perm.MANAGE_RESPONSES: _("Correct and delete survey responses"),
    Perm.VIEW_METRICS: _("Read CX metrics and dashboards"),
    Perm.VIEW_FEEDBACK: _("Read feedback and its text analytics"),
    Perm.ADD_FEEDBACK: _("File and import feedback"),
    Perm.EXPORT_FEEDBACK: _("Export feedback (CSV, XLSX)"),
    Perm.MANAGE_TOPICS: _("Manage the topic taxonomy and its rules"),
    Perm.SCORE_TEXTS: _("Score files of texts"),
    Perm.VIEW_CASES: _("See cases"),
    Perm.WORK_CASES: _("Work cases"),
    Perm.MANAGE_CASES: _("Configure cases (SLA, hours, root causes, routing, signals)"),
    Perm.MANAGE_WEBHOOKS: _("Manage outgoing webhooks"),
}


def scope_labels(scopes: list[str]) -> list[str]:
    """Human labels of stored scopes; a scope this version does not know shows as is."""
    known = {perm.value: label for perm, label in SCOPE_LABELS.items()}
    return [str(known.get(scope, scope)) for scope in scopes]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Indentation shows the tree in a flat select: units come ordered by path.
        return f"{'— ' * obj.depth}{obj.name}"


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which integration uses it, e.g. “CRM nightly sync”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the key may do"),
        choices=[(perm.value, SCOPE_LABELS[perm]) for perm in API_KEY_SCOPES],
        widget=forms.CheckboxSelectMultiple,
    )
    unit = UnitChoiceField(
        label=_("Limit to a unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Whole company"),
        help_text=_("A limited key sees and writes only that unit and the units below it."),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.order_by("path")
        if actor.unit_ids is not None:
            # A key never reaches further than the person who creates it.
            units = units.filter(pk__in=sorted(actor.unit_ids))
            self.fields["unit"].required = True
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
