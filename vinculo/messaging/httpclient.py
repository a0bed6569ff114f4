"""One HTTP POST to a provider, with network trouble turned into ``TemporaryFailure``.

Built on ``urllib.request`` so the channel needs no dependency. The opener has no redirect
or error processors on purpose: every status, 3xx included, comes back as an ``HttpReply``
and the provider module decides what it means. Following a redirect would turn the POST
into a GET and lose the message.
"""

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from vinculo.messaging.outcomes import PermanentFailure, TemporaryFailure

# Providers answer with a few hundred bytes; anything beyond this is not a reply we can use.
MAX_REPLY_BYTES = 64 * 1024


@dataclass(frozen=True)
class HttpReply:
    """A provider's answer: status, the start of the body, and the headers we look at."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json_object(self) -> dict[str, object]:
        """The body as a JSON object, or an empty dict when it is not one."""
        try:
            data = json.loads(self.body)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def check_url(url: str) -> None:
    """Refuses anything but http(s) URLs with a host, so a typo cannot read a local file."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> HttpReply:
    """POSTs once and returns the reply, whatever its status.

    Raises ``TemporaryFailure`` when no complete reply arrived: timeout, refused or reset
    connection, DNS failure, TLS failure, malformed HTTP.
    """
    check_url(url)
    # Built per call so proxy variables are read when sending, not when importing.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
    ):
        opener.add_handler(handler)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with opener.open(request, timeout=timeout) as response:
            data = response.read(MAX_REPLY_BYTES)
            return HttpReply(
                status=response.status,
                body=data,
                headers={"Retry-After": response.headers.get("Retry-After", "")},
            )
    except TimeoutError as exc:
        raise TemporaryFailure(f"timed out after {timeout:g} s") from exc
    except urllib.error.URLError as exc:
        # urllib wraps errors raised while connecting and sending; reading the reply raises
        # them bare (the other branches).
        if isinstance(exc.reason, TimeoutError):
            raise TemporaryFailure(f"timed out after {timeout:g} s") from exc
        raise TemporaryFailure(f"cannot reach provider: {_describe(exc.reason)}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise TemporaryFailure(f"connection to provider failed: {_describe(exc)}") from exc


def _describe(error: object) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


def raise_for_status(reply: HttpReply, *, detail: str = "") -> None:
    """Returns for a 2xx reply, raises the matching failure otherwise.

    429 and 5xx are the provider's own trouble or rate limit, so they pass; any other
    status means this request is wrong (bad number, bad credentials, redirect) and sending
    it again would fail again. ``detail`` is the provider's own explanation, if any.
    """
    if reply.ok:
        return
    reason = f"HTTP {reply.status} from provider"
    if detail:
        reason = f"{reason}: {detail}"
    if reply.status == 429 or reply.status >= 500:
        raise TemporaryFailure(reason, retry_after=_retry_after(reply))
    raise PermanentFailure(reason)


def _retry_after(reply: HttpReply) -> float | None:
    # Only the delay-seconds form; providers practically never send an HTTP date here.
    raw = reply.headers.get("Retry-After", "").strip()
    return float(raw) if raw.isdigit() else None
