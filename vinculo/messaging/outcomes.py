"""What a send attempt can end in, shared by the e-mail and SMS channels.

A send either returns a ``SendOutcome`` or raises one of two exceptions, and the type alone
tells the caller what to do next: ``TemporaryFailure`` means try again later with backoff,
``PermanentFailure`` means stop (and, when ``bounced``, stop using that address or number).
Reasons are short English technical strings for administrators, not for end users, so they
are not translated.
"""

from dataclasses import dataclass
from typing import Literal

SendStatus = Literal["sent", "delivered"]
ReportStatus = Literal["queued", "sent", "delivered", "failed"]

# Reasons end up in admin tables and logs; a provider's whole error page would not help.
MAX_REASON_LENGTH = 300


def short_reason(text: str) -> str:
    """One line, bounded in length, so a provider's verbose error fits an admin table."""
    line = " ".join(text.split())
    if len(line) > MAX_REASON_LENGTH:
        return line[: MAX_REASON_LENGTH - 1] + "…"
    return line


@dataclass(frozen=True)
class SendOutcome:
    """A message the provider accepted.

    ``provider_message_id`` is what later delivery reports refer to (the SMS provider's id,
    or the Message-ID we set on an e-mail). ``status`` is "sent" when the provider took the
    message over, "delivered" when it already confirmed delivery to the recipient.
    """

    provider_message_id: str
    status: SendStatus
    provider: str


class SendFailure(Exception):
    """Base of both failures; ``reason`` says what went wrong in a few words."""

    def __init__(self, reason: str) -> None:
        self.reason = short_reason(reason)
        super().__init__(self.reason)


class TemporaryFailure(SendFailure):
    """Try again later: timeouts, refused connections, HTTP 5xx or 429, SMTP 4xx replies.

    ``retry_after`` carries the provider's own hint in seconds (HTTP Retry-After) when it
    gave one; the caller's backoff should wait at least that long.
    """

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentFailure(SendFailure):
    """Do not retry: the same request would fail the same way.

    ``bounced`` is true when the recipient's address or number itself was refused (SMTP 5xx
    at RCPT, an invalid phone number), so the caller can stop using it; false for
    everything else, such as a rejected request or wrong credentials.
    """

    def __init__(self, reason: str, *, bounced: bool = False) -> None:
        super().__init__(reason)
        self.bounced = bounced
