"""Sending SMS through a configured provider over HTTP.

Two providers ship: ``WebhookJsonProvider`` posts a small JSON document to any gateway you
run or rent, and ``TwilioProvider`` speaks Twilio's REST API (and anything compatible).
``provider_from_settings()`` builds the configured one; delivery reports arriving later are
handled in ``sms_reports`` (re-exported here).
"""

import base64
import json
import re
from typing import Protocol
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from vinculo.messaging.httpclient import HttpReply, check_url, post, raise_for_status
from vinculo.messaging.outcomes import PermanentFailure, SendOutcome, SendStatus
from vinculo.messaging.sms_reports import (
    DeliveryReport,
    MalformedCallback,
    parse_status_callback,
    valid_twilio_signature,
    valid_webhook_signature,
    webhook_signature,
)

# Delivery reports live in sms_reports; they are re-exported so callers import one module.
__all__ = [
    "DeliveryReport",
    "MalformedCallback",
    "SmsNotConfigured",
    "SmsProvider",
    "TwilioProvider",
    "WebhookJsonProvider",
    "parse_status_callback",
    "provider_from_settings",
    "valid_twilio_signature",
    "valid_webhook_signature",
    "webhook_signature",
]

TWILIO_API = "https://api.twilio.com"
USER_AGENT = "Vinculo-messaging"

# E.164: a plus sign, a country code that does not start with 0, at most 15 digits in all.
E164 = re.compile(r"\+[1-9][0-9]{1,14}")

# Twilio errors on message creation that mean the number itself cannot take SMS:
# 21211 invalid 'To' number, 21614 'To' is not a mobile number, 21635 'To' is a landline.
TWILIO_BOUNCE_CODES = frozenset({21211, 21614, 21635})


class SmsNotConfigured(ImproperlyConfigured):
    """SMS_PROVIDER is empty or unknown, or a setting the provider needs is missing."""


class SmsProvider(Protocol):
    """Sends one SMS; see outcomes.py for what it returns and raises."""

    name: str

    def send(self, *, to: str, body: str, reference: str) -> SendOutcome:
        """Sends ``body`` to ``to`` (E.164).

        ``reference`` is the caller's idempotency id for this message; providers that take
        one receive it, so a retry after a lost reply does not send twice.
        """
        ...


def check_phone_number(to: str) -> None:
    """Raises a bounce for numbers no provider would accept, before spending a request."""
    if not E164.fullmatch(to):
        raise PermanentFailure("invalid phone number (not E.164)", bounced=True)


def _message_id(data: dict[str, object], *keys: str) -> str:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str | int) and str(value):
            return str(value)
    return ""


def _missing_id(reply: HttpReply) -> PermanentFailure:
    # The provider may well have taken the message, so a retry could send it twice; an
    # administrator has to look instead.
    return PermanentFailure(f"HTTP {reply.status} from provider without a message id")


class WebhookJsonProvider:
    """POSTs ``{"to", "body", "from", "reference"}`` as JSON to a gateway URL.

    The gateway authenticates us by ``Authorization: Bearer <token>`` when a token is set,
    answers 2xx with a JSON object holding the message's ``id`` (or ``message_id``), and may
    add ``"status": "delivered"`` when it knows delivery happened already. It should treat
    ``reference`` as an idempotency key: we send the same one when retrying.
    """

    name = "webhook"

    def __init__(self, url: str, *, token: str = "", sender: str = "", timeout: float = 10.0):
        check_url(url)
        self.url = url
        self.token = token
        self.sender = sender
        self.timeout = timeout

    def send(self, *, to: str, body: str, reference: str) -> SendOutcome:
        check_phone_number(to)
        payload = {"to": to, "body": body, "from": self.sender, "reference": reference}
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        reply = post(
            self.url,
            body=json.dumps(payload).encode(),
            headers=headers,
            timeout=self.timeout,
        )
        data = reply.json_object()
        detail = data.get("error") or data.get("message")
        raise_for_status(reply, detail=detail if isinstance(detail, str) else "")
        message_id = _message_id(data, "id", "message_id")
        if not message_id:
            raise _missing_id(reply)
        status: SendStatus = "delivered" if data.get("status") == "delivered" else "sent"
        return SendOutcome(provider_message_id=message_id, status=status, provider=self.name)


class TwilioProvider:
    """Twilio's Programmable Messaging API, or a service that copies it.

    ``sender`` is a phone number, or a Messaging Service SID (``MG...``) to let Twilio pick
    one. Twilio's API takes no idempotency key, so ``reference`` is not sent; delivery
    reports are matched on the message SID returned here.
    """

    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sender: str,
        base_url: str = TWILIO_API,
        timeout: float = 10.0,
        status_callback: str = "",
    ) -> None:
        check_url(base_url)
        self.url = (
            f"{base_url.rstrip('/')}/2010-04-01/Accounts/{quote(account_sid, safe='')}"
            "/Messages.json"
        )
        credentials = f"{account_sid}:{auth_token}".encode()
        self._authorization = "Basic " + base64.b64encode(credentials).decode("ascii")
        self.sender = sender
        self.timeout = timeout
        self.status_callback = status_callback

    def send(self, *, to: str, body: str, reference: str) -> SendOutcome:
        check_phone_number(to)
        fields = {"To": to, "Body": body}
        if self.sender.startswith("MG"):
            fields["MessagingServiceSid"] = self.sender
        else:
            fields["From"] = self.sender
        if self.status_callback:
            fields["StatusCallback"] = self.status_callback
        reply = post(
            self.url,
            body=urlencode(fields).encode(),
            headers={
                "Authorization": self._authorization,
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
            timeout=self.timeout,
        )
        data = reply.json_object()
        if not reply.ok:
            code, message = data.get("code"), data.get("message")
            detail = f"Twilio error {code}: {message}" if code else ""
            if 400 <= reply.status < 500 and code in TWILIO_BOUNCE_CODES:
                raise PermanentFailure(f"HTTP {reply.status} from provider: {detail}", bounced=True)
            raise_for_status(reply, detail=detail)
        message_id = _message_id(data, "sid")
        if not message_id:
            raise _missing_id(reply)
        return SendOutcome(provider_message_id=message_id, status="sent", provider=self.name)


def provider_from_settings() -> SmsProvider:
    """The provider SMS_PROVIDER names, configured from the other SMS_* settings.

    Raises ``SmsNotConfigured`` naming what is missing, so the admin page or the task log
    says which variable to set.
    """
    name = settings.SMS_PROVIDER
    url = settings.SMS_URL
    timeout = float(settings.SMS_TIMEOUT_SECONDS)
    try:
        if name == "webhook":
            _require(SMS_URL=url)
            return WebhookJsonProvider(
                url, token=settings.SMS_TOKEN, sender=settings.SMS_FROM, timeout=timeout
            )
        if name == "twilio":
            _require(
                SMS_ACCOUNT_SID=settings.SMS_ACCOUNT_SID,
                SMS_TOKEN=settings.SMS_TOKEN,
                SMS_FROM=settings.SMS_FROM,
            )
            return TwilioProvider(
                account_sid=settings.SMS_ACCOUNT_SID,
                auth_token=settings.SMS_TOKEN,
                sender=settings.SMS_FROM,
                base_url=url or TWILIO_API,
                timeout=timeout,
                status_callback=settings.SMS_STATUS_CALLBACK_URL,
            )
    except ValueError as exc:
        raise SmsNotConfigured(f"SMS_URL: {exc}") from exc
    if not name:
        raise SmsNotConfigured("SMS is not configured: set SMS_PROVIDER to webhook or twilio")
    raise SmsNotConfigured(f"SMS_PROVIDER must be webhook or twilio, got {name!r}")


def _require(**values: str) -> None:
    missing = [setting for setting, value in values.items() if not value]
    if missing:
        raise SmsNotConfigured(f"SMS_PROVIDER={settings.SMS_PROVIDER} needs {', '.join(missing)}")
