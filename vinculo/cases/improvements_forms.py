"""Forms of the outer-loop pages: the filters of root causes and case metrics, promoting a
root cause to an improvement action, and taking an action through its statuses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department, Unit
from vinculo.cases.choices import ImprovementStatus
from vinculo.cases.forms import root_cause_choices
from vinculo.cases.improvements import NewImprovement
from vinculo.cases.insights_filters import BY_CAUSE, BY_TOUCHPOINT, BY_UNIT, RawInsightFilter
from vinculo.cases.models import RootCause
from vinculo.journeys.models import Touchpoint

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _units(actor: Actor) -> list[tuple[str, str]]:
    units = Unit.objects.order_by("path")
    if actor.unit_ids is not None:
        units = units.filter(pk__in=actor.unit_ids)
    return [("", "—"), *((u.code, f"{'· ' * u.depth}{u.name}") for u in units)]


def case_people() -> forms.ModelChoiceField:
    """People who may own an action: active, with a role (the service checks the rest)."""
    people = User.objects.filter(is_active=True, membership__isnull=False).order_by("username")
    return forms.ModelChoiceField(queryset=people, label=_("Owner"))


class InsightFilterForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    touchpoint = forms.ChoiceField(label=_("Touchpoint"), required=False)
    by = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[
            (BY_CAUSE, _("Root cause")),
            (BY_UNIT, _("Root cause and unit")),
            (BY_TOUCHPOINT, _("Root cause and touchpoint")),
        ],
    )
    depth = forms.ChoiceField(
        label=_("Unit level"),
        required=False,
        choices=[("", "—"), ("0", _("Company")), ("1", _("Region")), ("2", _("Store"))],
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["unit"].choices = _units(actor)
        departments = Department.objects.values_list("code", "name")
        fields["department"].choices = [("", "—"), *departments]
        touchpoints = Touchpoint.objects.values_list("pk", "name")
        fields["touchpoint"].choices = [("", "—"), *((str(pk), n) for pk, n in touchpoints)]

    def raw(self) -> RawInsightFilter:
        """The filter as given; call after ``is_valid()``."""
        d = self.cleaned_data
        touchpoint, depth = d.get("touchpoint"), d.get("depth")
        return RawInsightFilter(
            since=d.get("since"),
            until=d.get("until"),
            unit=d.get("unit") or None,
            department=d.get("department") or None,
            touchpoint=int(touchpoint) if touchpoint else None,
            by=d.get("by") or None,
            depth=int(depth) if depth else None,
        )


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
        fields["unit"].choices = _units(actor)
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
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        required=False,
        queryset=User.objects.filter(improvements__isnull=False).distinct().order_by("username"),
    )
