"""Sending one e-mail through Django's configured backend, with SMTP errors classified.

The Message-ID is ours, not the backend's: it embeds the caller's reference and is returned
as the provider message id, so bounces and replies that quote it can be traced back to the
invitation or notification that caused them.
"""

import re
import smtplib
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME

from vinculo.messaging.outcomes import PermanentFailure, SendOutcome, TemporaryFailure

# Only these survive from a reference into the Message-ID's left part (RFC 5322 dot-atom).
_UNSAFE_IN_MSGID = re.compile(r"[^A-Za-z0-9._-]+")


def unsubscribe_headers(url: str, *, mailto: str = "") -> dict[str, str]:
    """List-Unsubscribe headers for one-click unsubscription (RFC 2369 and RFC 8058).

    ``url`` must be an https URL that unsubscribes on a POST without further questions;
    mail clients then show their own unsubscribe button. Gmail and Yahoo require this for
    bulk senders, together with a DKIM signature that covers both headers.
    """
    targets = [f"<{url}>"]
    if mailto:
        targets.append(f"<mailto:{mailto}>")
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def message_id_for(reference: str, from_email: str) -> str:
    """A new, unique Message-ID carrying ``reference`` and the sender's domain.

    The sender's domain rather than this host's name: spam filters distrust Message-IDs
    from a domain unrelated to the From address.
    """
    idstring = _UNSAFE_IN_MSGID.sub("-", reference).strip(".-")[:64]
    domain = parseaddr(from_email)[1].rpartition("@")[2]
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        domain = ""
    return make_msgid(idstring=idstring or None, domain=domain or str(DNS_NAME))


def send_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    reference: str,
    from_email: str | None = None,
    message_id: str | None = None,
) -> SendOutcome:
    """Sends one message to one recipient; plain text, plus an HTML alternative if given.

    Returns the Message-ID (angle brackets included) as ``provider_message_id``. Raises
    ``PermanentFailure`` (``bounced`` when the server refused the recipient) or
    ``TemporaryFailure``, as outcomes.py describes. Any Message-ID in ``headers`` is
    replaced by ours: a new one, or ``message_id`` when the caller needs the same one on
    every try (a resend after a crash is then one message to the receiver).
    """
    sender = from_email or settings.DEFAULT_FROM_EMAIL
    message_id = message_id or message_id_for(reference, sender)
    all_headers = {
        key: value for key, value in (headers or {}).items() if key.lower() != "message-id"
    }
    all_headers["Message-ID"] = message_id
    connection = get_connection(fail_silently=False)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=sender,
        to=[to],
        headers=all_headers,
        connection=connection,
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    timeout = getattr(connection, "timeout", None)
    try:
        sent = message.send()
    except smtplib.SMTPException as exc:
        raise _smtp_failure(exc) from exc
    except TimeoutError as exc:
        raise TemporaryFailure(
            f"timed out after {timeout:g} s" if timeout else "timed out"
        ) from exc
    except OSError as exc:
        raise TemporaryFailure(f"cannot reach SMTP server: {exc.strerror or exc}") from exc
    except BadHeaderError as exc:
        raise PermanentFailure(f"invalid header: {exc}") from exc
    except ValueError as exc:
        # Django's address sanitising rejects what cannot be an address at all.
        raise PermanentFailure(f"invalid e-mail address: {exc}", bounced=True) from exc
    if not sent:
        raise PermanentFailure("the e-mail backend sent nothing")
    return SendOutcome(provider_message_id=message_id, status="sent", provider="email")


def _smtp_failure(exc: smtplib.SMTPException) -> PermanentFailure | TemporaryFailure:
    """Reads the SMTP reply code: 5xx is final, 4xx and lost connections are not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # One recipient per message, so there is exactly one refusal to report.
        for code, reply in exc.recipients.values():
            reason = _reply(code, reply)
            if 500 <= code < 600:
                return PermanentFailure(reason, bounced=True)
            return TemporaryFailure(reason)
    if isinstance(exc, smtplib.SMTPConnectError):
        # The greeting was refused (421, or 554 "no service"): a server state that passes.
        return TemporaryFailure(_reply(exc.smtp_code, exc.smtp_error))
    if isinstance(exc, smtplib.SMTPResponseException):
        reason = _reply(exc.smtp_code, exc.smtp_error)
        if 500 <= exc.smtp_code < 600:
            return PermanentFailure(reason)
        return TemporaryFailure(reason)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        # For example STARTTLS or AUTH configured but not offered: a settings problem.
        return PermanentFailure(f"SMTP server does not support it: {exc}")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return TemporaryFailure("SMTP server closed the connection")
    return TemporaryFailure(f"SMTP error: {exc}")


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {text}"
