"""Forms of the distribution pages: a campaign with its audience, a trigger rule, the
contact policy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.customers.choices import LifecycleStage, ValueTier
from vinculo.journeys.models import Touchpoint
from vinculo.surveys import invitations as campaigns
from vinculo.surveys.choices import InviteChannel
from vinculo.surveys.models import ContactPolicy, Distribution, TriggerRule
from vinculo.surveys.triggers import RULE_FIELDS


def _units(actor: Actor) -> Any:
    units = Unit.objects.order_by("path")
    return units if actor.unit_ids is None else units.filter(pk__in=actor.unit_ids)


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class CampaignForm(forms.Form):
    """A campaign: its audience (filters on customers, or a list of ids) and its sending."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    channel = forms.ChoiceField(
        label=gettext_lazy("Send by"), choices=InviteChannel.choices, widget=forms.RadioSelect
    )
    audience_unit = forms.ModelChoiceField(
        Unit.objects.none(), required=False, label=gettext_lazy("Customers of (and below)")
    )
    segment = forms.CharField(label=gettext_lazy("Segment"), max_length=60, required=False)
    lifecycle_stage = forms.ChoiceField(
        label=gettext_lazy("Lifecycle stage"),
        choices=_blank(LifecycleStage.choices),
        required=False,
    )
    value_tier = forms.ChoiceField(
        label=gettext_lazy("Value tier"), choices=_blank(ValueTier.choices), required=False
    )
    plan = forms.CharField(label=gettext_lazy("Plan"), max_length=80, required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=_blank(settings.LANGUAGES), required=False
    )
    customer_ids = forms.CharField(
        label=gettext_lazy("Or exactly these customers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Customer numbers (ids), separated by commas or lines."),
    )
    unit = forms.ModelChoiceField(
        Unit.objects.none(),
        required=False,
        label=gettext_lazy("Answers land on"),
        help_text=gettext_lazy("Empty: each customer's home unit."),
    )
    touchpoint = forms.ModelChoiceField(
        Touchpoint.objects.all(), required=False, label=gettext_lazy("Touchpoint")
    )
    send_at = forms.DateTimeField(
        label=gettext_lazy("Send at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("Empty: as soon as you send it."),
    )
    reminder_after_days = forms.IntegerField(
        label=gettext_lazy("Remind after (days)"), min_value=1, max_value=60, required=False
    )
    expires_after_days = forms.IntegerField(
        label=gettext_lazy("Link valid for (days)"), min_value=1, max_value=365, initial=30
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience_unit"].queryset = self.fields["unit"].queryset = _units(actor)  # type: ignore[attr-defined]

    def clean_customer_ids(self) -> list[int] | None:
        raw = self.cleaned_data["customer_ids"].replace(",", " ").split()
        bad = [item for item in raw if not item.lstrip("#").isdigit()]
        if bad:
            raise forms.ValidationError(
                _("Not a customer number: %(value)s"), params={"value": bad[0]}
            )
        return [int(item.lstrip("#")) for item in raw] or None

    def audience(self) -> dict[str, Any]:
        data = self.cleaned_data
        audience: dict[str, Any] = {
            key: data[key] for key in campaigns.PROFILE_FILTERS if data.get(key)
        }
        if data.get("audience_unit"):
            audience["unit"] = data["audience_unit"].pk
        if data.get("customer_ids"):
            audience["customer_ids"] = data["customer_ids"]
        return audience

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        keep = ("name", "channel", "unit", "touchpoint", "send_at", "reminder_after_days")
        return {
            **{key: data[key] for key in keep},
            "audience": self.audience(),
            "expires_after_days": data["expires_after_days"],
        }

    @classmethod
    def initial_of(cls, distribution: Distribution) -> dict[str, Any]:
        audience = distribution.audience
        return {
            **{f: getattr(distribution, f) for f in campaigns.EDITABLE if f != "audience"},
            **{key: audience.get(key, "") for key in campaigns.PROFILE_FILTERS},
            "audience_unit": audience.get("unit"),
            "customer_ids": ", ".join(str(pk) for pk in audience.get("customer_ids", [])),
        }


class TriggerForm(forms.ModelForm[TriggerRule]):
    class Meta:
        model = TriggerRule
        fields = [name for name in RULE_FIELDS if name != "active"]


class PolicyForm(forms.Form):
    fatigue_days = forms.IntegerField(
        label=ContactPolicy._meta.get_field("fatigue_days").verbose_name,
        help_text=ContactPolicy._meta.get_field("fatigue_days").help_text,
        min_value=0,
        max_value=365,
    )
