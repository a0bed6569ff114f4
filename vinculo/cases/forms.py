"""The case pages' forms: the list's filters (read from the query string), bulk actions,
opening a case by hand, and one small form per action on a case's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.choices import Role
from vinculo.accounts.models import Department, Unit
from vinculo.accounts.queries import units_in_scope
from vinculo.cases.choices import ContactChannel, ContactOutcome, Priority, Status
from vinculo.cases.follow_up import case_settings, reason_text, why_not_offered
from vinculo.cases.listing import ANY_STATUS, MINE, UNASSIGNED, CaseFilter
from vinculo.cases.models import Case, RootCause
from vinculo.cases.workers import workers_for, workers_near

ALL = ("", _("All"))
# The statuses a person sets directly; resolving and reopening have their own forms.
SETTABLE = [(s.value, s.label) for s in (Status.IN_PROGRESS, Status.WAITING, Status.CLOSED)]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open cases")), (ANY_STATUS, _("Any status")), *Status.choices],
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[ALL, *Priority.choices]
    )
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_scope(actor)  # type: ignore[attr-defined]
        people = [(str(u.pk), u.get_username()) for u in workers_near(actor)]
        owners = [ALL, (MINE, _("Mine")), (UNASSIGNED, _("Unassigned")), *people]
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]

    def case_filter(self) -> CaseFilter:
        """The filter from the fields that are valid; an invalid field does not filter."""
        self.is_valid()
        data = self.cleaned_data
        owner = data.get("owner") or ""
        person = None
        if owner.isdigit():
            person = User.objects.filter(pk=int(owner)).first()
        return CaseFilter(
            status=data.get("status") or "",
            priority=data.get("priority") or "",
            owner=owner if owner in (MINE, UNASSIGNED) else "",
            person=person,
            department=data.get("department"),
            unit=data.get("unit"),
            overdue=bool(data.get("overdue")),
            text=(data.get("q") or "").strip(),
        )


class BulkForm(forms.Form):
    ACTIONS = [
        ("take", _("Take")),
        ("assign", _("Assign to")),
        ("status", _("Set status")),
        ("priority", _("Set priority")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    owner = PersonChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label="—"
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *SETTABLE], required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", "—"), *Priority.choices], required=False
    )
    cases = forms.TypedMultipleChoiceField(label=_("Cases"), coerce=int)
    back = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = workers_near(actor)  # type: ignore[attr-defined]
        # Any number is accepted here: whether the actor sees the case is the bulk
        # service's check, reported per case.
        posted = self.data.getlist("cases") if hasattr(self.data, "getlist") else []
        digits = [(v, v) for v in posted if str(v).isdigit()]
        self.fields["cases"].choices = digits  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = {"assign": "owner", "status": "status", "priority": "priority"}
        field = needed.get(data.get("action", ""))
        if field and not data.get(field):
            self.add_error(field, _("Choose a value for this action."))
        return data


class NewCaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    customer_id = forms.IntegerField(label=_("Customer id"), required=False, min_value=1)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_scope(actor)  # type: ignore[attr-defined]
        if actor.role == Role.AGENT:
            # An agent works their own department's cases: one of another would vanish.
            department = self.fields["department"]
            department.queryset = Department.objects.filter(pk=actor.department_id or 0)  # type: ignore[attr-defined]
            department.required = True


# -- actions on one case --------------------------------------------------------------------


class TakeForm(forms.Form):
    pass


class AssignForm(forms.Form):
    owner = PersonChoiceField(label=_("Person"), queryset=User.objects.none())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = workers_for(case)  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SETTABLE)


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Private note"), widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices)
    text = forms.CharField(
        label=_("What was said"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Action taken"), widget=forms.Textarea(attrs={"rows": 3}))


def root_cause_choices() -> list[tuple[str, str]]:
    """Active root causes as "Parent > Child", sorted by that path."""
    causes = RootCause.objects.filter(active=True).select_related("parent")
    paths = [(str(c.pk), f"{c.parent.name} > {c.name}" if c.parent else c.name) for c in causes]
    return [("", "—"), *sorted(paths, key=lambda pair: pair[1])]


class ResolveForm(forms.Form):
    root_cause = forms.ChoiceField(label=_("Root cause"), required=False)
    resolution = forms.CharField(
        label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up = forms.BooleanField(
        label=_("Send the follow-up survey to the customer"), required=False
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["root_cause"].choices = root_cause_choices()  # type: ignore[attr-defined]
        # Ticked as the settings say; off, with the reason, when it could not reach anyone.
        follow_up = self.fields["follow_up"]
        why_not = why_not_offered(case) if case is not None else ""
        follow_up.initial = not why_not and case_settings().follow_up_by_default
        if why_not:
            follow_up.disabled = True
            follow_up.help_text = reason_text(why_not)

    def cause(self) -> RootCause | None:
        value = self.cleaned_data.get("root_cause") or ""
        return RootCause.objects.filter(pk=int(value), active=True).first() if value else None


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
