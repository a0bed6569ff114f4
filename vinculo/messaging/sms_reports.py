"""Delivery reports SMS providers post back to us, and checking that they really sent them.

Twilio posts form fields (``MessageSid``, ``MessageStatus``, ``ErrorCode``) to the
SMS_STATUS_CALLBACK_URL and signs them in ``X-Twilio-Signature`` as its documentation
describes: HMAC-SHA1 keyed with the auth token over the full callback URL followed by every
POST parameter, sorted by name, as name then value; base64-encoded.

The webhook provider posts a JSON object ``{"id", "status", "reason"}`` (``message_id`` is
accepted for ``id``; ``bounced: true`` may mark a failure caused by the number itself) and
signs it in ``X-Vinculo-Signature``: the lowercase hex HMAC-SHA256 of the raw request body,
keyed with SMS_TOKEN. Statuses are "queued", "sent", "delivered", "failed" (with
"undelivered", "rejected" and "expired" read as "failed").
"""

import base64
import hashlib
import hmac
from collections.abc import Iterator, Mapping
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

from vinculo.messaging.outcomes import ReportStatus, short_reason


class DeliveryReport(NamedTuple):
    """What a provider says happened to a message after it accepted it.

    Callers act on "delivered" and "failed"; "queued" and "sent" only confirm what the send
    already told them. ``bounced`` marks failures that say the number cannot take SMS.
    """

    provider_message_id: str
    status: ReportStatus
    reason: str = ""
    bounced: bool = False


class MalformedCallback(ValueError):
    """The request is not a delivery report we understand; answer it with a 400."""


TWILIO_STATUSES: dict[str, ReportStatus] = {
    "accepted": "queued",
    "scheduled": "queued",
    "queued": "queued",
    "sending": "queued",
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "failed",
    "failed": "failed",
    "canceled": "failed",
}

# The delivery errors an administrator meets most; others show as their bare code.
TWILIO_ERRORS = {
    "30003": "unreachable destination handset",
    "30004": "message blocked",
    "30005": "unknown destination handset",
    "30006": "landline or unreachable carrier",
    "30007": "message filtered by the carrier",
    "30008": "unknown error",
}
# 30005 and 30006 say the number itself cannot receive SMS; 30003 is often a phone that is
# merely switched off.
TWILIO_BOUNCE_ERRORS = frozenset({"30005", "30006"})

WEBHOOK_STATUSES: dict[str, ReportStatus] = {
    "queued": "queued",
    "sent": "sent",
    "delivered": "delivered",
    "failed": "failed",
    "undelivered": "failed",
    "rejected": "failed",
    "expired": "failed",
}


def parse_status_callback(provider_name: str, post_data: Mapping[str, object]) -> DeliveryReport:
    """Reads a delivery report: Twilio's POST fields, or the webhook's decoded JSON object.

    Raises ``MalformedCallback`` when the message id or a known status is missing. Twilio
    statuses this code does not know yet are read as "queued" so they change nothing.
    """
    if provider_name == "twilio":
        return _twilio_report(post_data)
    if provider_name == "webhook":
        return _webhook_report(post_data)
    raise MalformedCallback(f"unknown SMS provider {provider_name!r}")


def _text(data: Mapping[str, object], *keys: str) -> str:
    for key in keys:
        value = data.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def _twilio_report(data: Mapping[str, object]) -> DeliveryReport:
    # SmsSid and SmsStatus are the older names Twilio still sends alongside the new ones.
    message_id = _text(data, "MessageSid", "SmsSid")
    raw_status = _text(data, "MessageStatus", "SmsStatus").lower()
    if not message_id or not raw_status:
        raise MalformedCallback("MessageSid and MessageStatus are required")
    status = TWILIO_STATUSES.get(raw_status, "queued")
    if status != "failed":
        return DeliveryReport(message_id, status)
    code = _text(data, "ErrorCode")
    if code:
        reason = f"Twilio error {code}: {TWILIO_ERRORS.get(code, raw_status)}"
    else:
        reason = f"Twilio status {raw_status}"
    return DeliveryReport(message_id, "failed", reason, code in TWILIO_BOUNCE_ERRORS)


def _webhook_report(data: Mapping[str, object]) -> DeliveryReport:
    message_id = _text(data, "id", "message_id")
    raw_status = _text(data, "status").lower()
    status = WEBHOOK_STATUSES.get(raw_status)
    if not message_id or status is None:
        raise MalformedCallback("id and a known status are required")
    if status != "failed":
        return DeliveryReport(message_id, status)
    reason = short_reason(_text(data, "reason", "error") or f"provider status {raw_status}")
    return DeliveryReport(message_id, "failed", reason, data.get("bounced") is True)


def twilio_signature(url: str, params: Mapping[str, str], token: str) -> str:
    """The X-Twilio-Signature Twilio sends for a POST of ``params`` to ``url``.

    A Django QueryDict's repeated fields are all signed, in sorted order, as Twilio's own
    libraries do.
    """
    parts = [url]
    getlist = getattr(params, "getlist", None)
    for key in sorted(params):
        values = getlist(key) if getlist is not None else [params[key]]
        parts.extend(key + value for value in sorted(set(values)))
    digest = hmac.new(token.encode(), "".join(parts).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def valid_twilio_signature(url: str, params: Mapping[str, str], signature: str, token: str) -> bool:
    """Whether ``signature`` is Twilio's for this URL and these POST parameters.

    ``url`` must be the URL exactly as Twilio called it, query string included. Like
    Twilio's libraries, the URL is also tried with and without its port, because proxies
    in front of the app add or drop the default one.
    """
    if not token or not signature:
        return False
    expected = signature.strip().encode()
    return any(
        hmac.compare_digest(twilio_signature(candidate, params, token).encode(), expected)
        for candidate in _port_variants(url)
    )


def _port_variants(url: str) -> Iterator[str]:
    yield url
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return
    if port is not None:
        yield urlunsplit(parts._replace(netloc=parts.netloc.rsplit(":", 1)[0]))
    elif default := {"https": 443, "http": 80}.get(parts.scheme):
        yield urlunsplit(parts._replace(netloc=f"{parts.netloc}:{default}"))


def webhook_signature(body: bytes, token: str) -> str:
    """The X-Vinculo-Signature of a webhook delivery report: hex HMAC-SHA256 of the body."""
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def valid_webhook_signature(body: bytes, signature: str, token: str) -> bool:
    """Whether ``signature`` matches the raw ``body``; always false without a token."""
    if not token or not signature:
        return False
    return hmac.compare_digest(
        webhook_signature(body, token).encode(), signature.strip().lower().encode()
    )
