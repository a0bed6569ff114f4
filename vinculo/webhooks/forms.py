"""The endpoint form of /webhooks/: name, URL (public http(s) only), events, active."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vinculo.webhooks.choices import EventType
from vinculo.webhooks.destinations import UnsafeDestination, check_destination
from vinculo.webhooks.models import WebhookEndpoint
from vinculo.webhooks.services import EndpointData


def url_problem(url: str) -> str | None:
    """Why this URL may not be an endpoint, in words for people; None if it may."""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return gettext("Give an http:// or https:// address, without a user name or password.")
    try:
        check_destination(url, require_resolution=False)
    except UnsafeDestination as exc:
        if exc.code == "private":
            return gettext(
                "This address is on this server or a private network: give a public URL."
            )
        return gettext("Give an http:// or https:// address, without a user name or password.")
    return None


class EndpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where Vínculo POSTs each event, e.g. https://crm.example.com/hooks/vinculo"),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("“Every event” includes the types added later."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, endpoint: WebhookEndpoint | None = None, **kwargs: Any) -> None:
        if endpoint is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": endpoint.name,
                "url": endpoint.url,
                "event_types": endpoint.event_types,
                "active": endpoint.active,
            }
        super().__init__(*args, **kwargs)

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        problem = url_problem(url)
        if problem is not None:
            raise forms.ValidationError(problem, code="unsafe_url")
        return url

    def data_for_service(self) -> EndpointData:
        d = self.cleaned_data
        return EndpointData(
            name=d["name"], url=d["url"], event_types=d["event_types"], active=d["active"]
        )
