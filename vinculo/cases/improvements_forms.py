"""Forms of the improvement action pages: promoting a root cause to an action, taking an
action through its statuses, and the list's filters. The root causes and case metrics
filter is ``insights_forms.InsightFilterForm``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.cases.choices import ImprovementStatus
from vinculo.cases.forms import root_cause_choices
from vinculo.cases.improvements import NewImprovement, owner_choices
from vinculo.cases.insights_forms import DATE, scope_units, unit_choices
from vinculo.cases.models import RootCause


def case_people() -> forms.ModelChoiceField:
    """People who may own an action: active, with a role (the service checks the rest)."""
    people = User.objects.filter(is_active=True, membership__isnull=False).order_by("username")
    return forms.ModelChoiceField(queryset=people, label=_("Owner"))


class ImprovementForm(forms.Form):
    """Promote a root cause to an improvement action."""

    root_cause = forms.ChoiceField(label=_("Root cause"))
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    unit = forms.ChoiceField(
        label=_("Unit"), required=False, help_text=_("Empty: the whole company.")
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["root_cause"].choices = root_cause_choices()
        fields["owner"] = case_people()
        # People limited to units make actions in one of them; only company-wide roles
        # make company-wide actions (the service refuses the rest, naming ``unit``).
        wide = actor.unit_ids is None
        fields["unit"].choices = unit_choices(scope_units(actor), blank=wide)
        if not wide:
            fields["unit"].required = True
            fields["unit"].help_text = ""
        self.order_fields(["root_cause", "title", "description", "owner", "unit", "due_on"])

    def improvement(self) -> NewImprovement:
        d = self.cleaned_data
        unit = Unit.objects.filter(code=d["unit"]).first() if d.get("unit") else None
        return NewImprovement(
            root_cause=RootCause.objects.get(pk=int(d["root_cause"])),
            title=d["title"],
            description=d.get("description", ""),
            owner=d["owner"],
            unit=unit,
            due_on=d.get("due_on"),
        )


class ImprovementEditForm(forms.Form):
    """Status, outcome, owner and due date of an action."""

    status = forms.ChoiceField(label=_("Status"), choices=ImprovementStatus.choices)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the action achieved; needed to mark it done."),
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = case_people()
        self.order_fields(["status", "outcome", "owner", "due_on"])


class ImprovementFilterForm(forms.Form):
    since = forms.DateField(label=_("Cases from"), required=False, widget=DATE)
    until = forms.DateField(label=_("to"), required=False, widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *ImprovementStatus.choices]
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the owners of actions the actor sees: the list never names anyone else.
        owners: Any = self.fields["owner"]
        owners.choices = [("", "—"), *((name, name) for name in owner_choices(actor))]
