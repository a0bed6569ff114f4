"""Helpers for the respondent page tests: read a rendered form, post it back like a browser."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.surveys.choices import InvitationStatus, InviteChannel
from vinculo.surveys.models import Invitation, Survey
from vinculo.surveys.testing import NPS_CSAT_TEXT
from vinculo.surveys.tokens import invitation_token

_INPUT = re.compile(r"<input\b[^>]*>")
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')

ONE_PAGE: dict[str, Any] = {
    **NPS_CSAT_TEXT,
    "questions": [q for q in NPS_CSAT_TEXT["questions"] if q["page"] == 1],
}


def text_of(response: Any) -> str:
    return html.unescape(response.content.decode())


def hidden_fields(response: Any) -> dict[str, str]:
    """The hidden inputs of the page's form (key, page, language, CSRF token...)."""
    fields = {}
    for tag in _INPUT.findall(response.content.decode()):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("type") == "hidden":
            fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
    return fields


def checked_values(response: Any, name: str) -> list[str]:
    """Values of the checked radios or check boxes named ``name``."""
    values = []
    for tag in _INPUT.findall(response.content.decode()):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("name") == name and re.search(r"\bchecked\b", tag):
            values.append(html.unescape(attrs.get("value", "")))
    return values


def form_action(response: Any) -> str:
    match = re.search(r'<form method="post" action="([^"]*)"', response.content.decode())
    assert match, "the page has no survey form"
    return html.unescape(match.group(1))


def answer(client: Client, page: Any, data: dict[str, Any], **extra: Any) -> Any:
    """Posts ``data`` with the page's hidden fields to the page's form action."""
    return client.post(form_action(page), {**hidden_fields(page), **data}, **extra)


def control_names(response: Any) -> set[str]:
    """Names of the visible controls of the page's form (inputs, selects, text areas)."""
    page = response.content.decode()
    names = set()
    for tag in _INPUT.findall(page):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("type") != "hidden" and "name" in attrs:
            names.add(attrs["name"])
    names.update(re.findall(r'<(?:select|textarea)\b[^>]*\bname="([^"]*)"', page))
    return names


def selected_option(response: Any, name: str) -> str | None:
    """The selected option's value of the select named ``name``."""
    page = response.content.decode()
    block = re.search(rf'<select\b[^>]*\bname="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert block, f"no select named {name}"
    chosen = re.search(r'<option value="([^"]*)" selected>', block.group(1))
    return html.unescape(chosen.group(1)) if chosen else None


def invite(
    survey: Survey,
    customer: Customer,
    unit: Unit,
    *,
    language: str = "es",
    status: str = InvitationStatus.SENT,
    expires_in_days: int = 14,
    channel: str = InviteChannel.EMAIL,
) -> Invitation:
    """An invitation as the distribution would have sent it (already sent, not opened)."""
    now = timezone.now()
    return Invitation.objects.create(
        survey=survey,
        customer=customer,
        channel=channel,
        address="ana@example.com",
        unit=unit,
        language=language,
        status=status,
        send_after=now - dt.timedelta(hours=1),
        sent_at=now - dt.timedelta(hours=1),
        expires_at=now + dt.timedelta(days=expires_in_days),
    )


def invitation_url(invitation: Invitation, suffix: str = "") -> str:
    return f"/s/i/{invitation_token(invitation)}/{suffix}"
