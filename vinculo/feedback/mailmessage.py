"""One customer e-mail read as a feedback item: sender, subject, the body in whatever
charset it came in (plain text, or the visible text of HTML), quoted history cut,
attachments listed. No mailbox here: see ``mailin``."""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from collections.abc import Iterator
from contextlib import suppress
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone

from vinculo.accounts.models import Unit
from vinculo.customers.choices import IdentityKind
from vinculo.customers.identities import InvalidIdentity, normalize
from vinculo.feedback.choices import Source
from vinculo.feedback.services import FeedbackData
from vinculo.journeys.models import Channel

MAX_ID = 200  # FeedbackItem.external_id's size
MAX_TITLE, MAX_AUTHOR, MAX_SITE = 300, 200, 80
# Strict first: a wrong declared charset must not turn accents into U+FFFD when the bytes
# are plainly UTF-8 or Windows-1252 (what mail clients write when they declare nothing).
FALLBACK_CHARSETS = ("utf-8", "cp1252")
# Where a reply's quoted history starts: "On Mon, 2 Mar 2026, Ana <a@b> wrote:" (possibly
# folded over two lines), its Spanish form, and Outlook's separators.
QUOTE_START = re.compile(
    r"^(?:(?:On|El)\s[^\n]*(?:\n[^\n]*)?\s(?:wrote|escribió)\s*:[ \t]*$"
    r"|-{2,}\s*(?:Original Message|Mensaje original)\s*-{2,})",
    re.MULTILINE | re.IGNORECASE,
)


class _HtmlText(HTMLParser):
    """Visible text of an HTML body: scripts, styles and quoted replies dropped."""

    HIDDEN = frozenset({"script", "style", "head", "title", "blockquote"})
    BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "table"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, 1)

    def handle_endtag(self, tag: str) -> None:
        self._tag(tag, -1)

    def _tag(self, tag: str, step: int) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden + step)
        elif tag in self.BREAKS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.chunks.append(data)


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return "".join(parser.chunks)


def decode_text(payload: bytes, charset: str | None) -> str:
    for candidate in (charset, *FALLBACK_CHARSETS):
        if candidate:
            with suppress(LookupError, UnicodeDecodeError):
                return payload.decode(candidate)
    return payload.decode("cp1252", errors="replace")


def without_quotes(text: str) -> str:
    """The new part of a reply; the whole text when it is nothing but a quote."""
    found = QUOTE_START.search(text)
    kept = text[: found.start()] if found else text
    lines = [line for line in kept.splitlines() if not line.lstrip().startswith(">")]
    return tidy("\n".join(lines)) or tidy(text)


def tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _parts(message: EmailMessage) -> Iterator[EmailMessage]:
    """The leaves; an attached e-mail is one leaf (its text is not this message's body)."""
    if message.is_multipart() and message.get_content_maintype() == "multipart":
        for part in message.iter_parts():
            yield from _parts(part)  # type: ignore[arg-type]
    else:
        yield message


def body_and_attachments(message: EmailMessage) -> tuple[str, list[dict[str, Any]]]:
    plain: str | None = None
    html: str | None = None
    attachments: list[dict[str, Any]] = []
    for part in _parts(message):
        ctype = part.get_content_type()
        disposition = part.get_content_disposition()
        if disposition == "attachment" or part.get_filename() or ctype == "message/rfc822":
            payload = part.get_payload(decode=True)
            size = len(payload) if isinstance(payload, bytes) else len(part.as_bytes())
            attachments.append({"name": part.get_filename() or "", "type": ctype, "size": size})
            continue
        if ctype not in ("text/plain", "text/html"):
            continue
        raw = part.get_payload(decode=True)
        text = decode_text(raw if isinstance(raw, bytes) else b"", part.get_content_charset())
        if ctype == "text/plain" and plain is None:
            plain = text
        elif ctype == "text/html" and html is None:
            html = text
    body = plain if plain is not None else html_to_text(html or "")
    return without_quotes(body), attachments


def _header(message: EmailMessage, name: str) -> str:
    # A malformed header may raise while it is parsed: it then counts as absent.
    try:
        value = message.get(name)
    except Exception:
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _sender(message: EmailMessage) -> tuple[str, str]:
    """(display name, address) of the From header: its parsed form keeps a comma in a
    quoted name from splitting it."""
    try:
        addresses = getattr(message.get("From"), "addresses", ())
    except Exception:
        addresses = ()
    if addresses:
        return str(addresses[0].display_name), str(addresses[0].addr_spec)
    return parseaddr(_header(message, "From"))


def _occurred_at(raw_date: str) -> datetime:
    try:
        when = parsedate_to_datetime(raw_date)
    except (TypeError, ValueError, IndexError):
        return timezone.now()
    return when if timezone.is_aware(when) else when.replace(tzinfo=UTC)  # "-0000": UTC


def _contact(address: str) -> dict[str, str]:
    try:
        return {IdentityKind.EMAIL.value: normalize(IdentityKind.EMAIL, address)}
    except InvalidIdentity:
        return {}


def external_id(message_id: str, raw: bytes) -> str:
    if message_id and len(message_id) <= MAX_ID:
        return message_id
    return "sha256:" + hashlib.sha256(message_id.encode() if message_id else raw).hexdigest()


def feedback_from(raw: bytes, *, site: str, unit: Unit, channel: Channel) -> FeedbackData | None:
    """The item a raw message files, or None when it is not one (no sender, nothing said)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    name, address = _sender(message)
    if "@" not in address:
        return None
    title = _header(message, "Subject")[:MAX_TITLE].replace("\x00", "")
    text, attachments = body_and_attachments(message)
    text = text.replace("\x00", "")  # PostgreSQL cannot store it; it is never meant
    if not text and not title:
        return None
    return FeedbackData(
        source=Source.EMAIL,
        text=text or title,
        unit=unit,
        channel=channel,
        occurred_at=_occurred_at(_header(message, "Date")),
        site=site[:MAX_SITE],
        external_id=external_id(_header(message, "Message-ID"), raw),
        title=title,
        author=name[:MAX_AUTHOR],
        contact=_contact(address),
        attributes={"attachments": attachments} if attachments else {},
    )
