"""E-mail in: customer e-mails in a Maildir or an IMAP mailbox filed as feedback.

Each message is filed on its own (a bad one never stops the rest) and once: the
Message-ID, or a hash of the raw bytes when there is none, is the item's external id, so
reading a mailbox again, or after a crash between filing and flagging, stores nothing new.
Messages are flagged seen only after they are filed; the flag saves work, it is not what
keeps duplicates out.
"""

from __future__ import annotations

import imaplib
import logging
import mailbox
import ssl
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import partial
from itertools import islice
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.feedback.choices import DEFAULT_CHANNEL, Source
from vinculo.feedback.mailmessage import external_id, feedback_from
from vinculo.feedback.services import existing, file_feedback
from vinculo.journeys.models import Channel
from vinculo.textan.tasks import analyse_soon

logger = logging.getLogger(__name__)

IMAP_TIMEOUT = 30  # seconds; a hung server must not hold a worker


class MailboxUnavailable(Exception):
    """The mailbox cannot be read (missing, bad URL, refused login); says why, no secret."""


@dataclass
class MailCounts:
    filed: int = 0
    known: int = 0
    skipped: int = 0
    failed: int = 0  # an unexpected error: left unseen, tried again on the next run


@dataclass(frozen=True)
class ImapUrl:
    host: str
    port: int
    user: str
    password: str
    folder: str
    implicit_tls: bool

    @property
    def site(self) -> str:
        return self.user if "@" in self.user else f"{self.user}@{self.host}"


def parse_imap_url(url: str) -> ImapUrl:
    """``imaps://user:pass@host:993/INBOX`` (TLS from the start) or ``imap://...`` (port
    143, STARTTLS before the login: the password never travels in clear). User and password
    are percent-decoded; the folder defaults to INBOX."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("imap", "imaps"):
        raise MailboxUnavailable(f"the URL scheme must be imap or imaps, got {scheme!r}")
    if not parts.hostname or not parts.username:
        raise MailboxUnavailable("the URL needs a user and a host (imaps://user:pass@host/)")
    return ImapUrl(
        host=parts.hostname,
        port=parts.port or (993 if scheme == "imaps" else 143),
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.strip("/")) or "INBOX",
        implicit_tls=scheme == "imaps",
    )


# --- Reading one message -------------------------------------------------------------


# --- Mailboxes -----------------------------------------------------------------------

# A message: its raw bytes and how to flag it seen once it has been dealt with.
Pending = tuple[bytes, Callable[[], object]]


def maildir_site(path: str | Path) -> str:
    folder = Path(path).resolve()
    return folder.parent.name if folder.name.lower() == "maildir" else folder.name


def maildir_messages(path: str | Path) -> Iterator[Pending]:
    """The unseen messages of a Maildir (in new/, or in cur/ without the S flag)."""
    try:
        box = mailbox.Maildir(path, factory=None, create=False)
        keys = box.keys()
    except (mailbox.NoSuchMailboxError, OSError) as exc:
        raise MailboxUnavailable(f"no Maildir at {path} ({exc.__class__.__name__})") from exc
    for key in keys:
        try:
            meta, raw = box.get_message(key), box.get_bytes(key)
        except (KeyError, OSError):  # taken by another reader meanwhile
            continue
        if "S" not in meta.get_flags():
            yield raw, _maildir_seen(Path(path), key, meta, box.colon)


def _maildir_seen(
    root: Path, key: str, meta: mailbox.MaildirMessage, colon: str
) -> Callable[[], None]:
    # A rename, not mailbox's own setter: that rewrites the file, and new bytes would give
    # a message without Message-ID a new identity.
    def mark() -> None:
        info = meta.get_info()
        current = root / meta.get_subdir() / (f"{key}{colon}{info}" if info else key)
        flags = "".join(sorted({*meta.get_flags(), "S"}))
        with suppress(FileNotFoundError):  # another reader moved it first
            current.rename(root / "cur" / f"{key}{colon}2,{flags}")

    return mark


def imap_connect(url: ImapUrl, context: ssl.SSLContext | None = None) -> imaplib.IMAP4:
    """A logged-in connection with ``url.folder`` selected."""
    context = context or ssl.create_default_context()
    try:
        if url.implicit_tls:
            conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                url.host, url.port, ssl_context=context, timeout=IMAP_TIMEOUT
            )
        else:
            conn = imaplib.IMAP4(url.host, url.port, timeout=IMAP_TIMEOUT)
            conn.starttls(ssl_context=context)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxUnavailable(f"cannot connect to {url.host}:{url.port}: {exc}") from exc
    try:
        conn.login(url.user, url.password)
    except imaplib.IMAP4.error as exc:
        _close(conn)
        raise MailboxUnavailable(f"the server refused the login of {url.user!r}") from exc
    # Quoted: a folder name with a space is one argument.
    folder = '"' + url.folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
    status, _ = conn.select(folder)
    if status != "OK":
        _close(conn)
        raise MailboxUnavailable(f"no folder {url.folder!r} on {url.host}")
    return conn


def _close(conn: imaplib.IMAP4) -> None:
    with suppress(Exception):
        conn.logout()


def imap_messages(conn: imaplib.IMAP4) -> Iterator[Pending]:
    """The unseen messages of the selected folder, fetched one by one with BODY.PEEK so
    that reading alone never flags a message seen."""
    status, found = conn.uid("SEARCH", "UNSEEN")
    if status != "OK":
        raise MailboxUnavailable("the server refused to search the folder")
    for uid in (found[0] or b"").split():
        status, data = conn.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
        raw = next((item[1] for item in data if isinstance(item, tuple)), None)
        if status == "OK" and isinstance(raw, bytes):
            yield raw, partial(conn.uid, "STORE", uid.decode(), "+FLAGS", "(\\Seen)")


# --- Filing --------------------------------------------------------------------------


def file_messages(
    messages: Iterator[Pending], *, site: str, unit: Unit, limit: int | None = None
) -> MailCounts:
    """Files each message in its own transaction (file_feedback is atomic), then flags it."""
    counts = MailCounts()
    channel = Channel.objects.get(code=DEFAULT_CHANNEL[Source.EMAIL])
    for raw, mark_seen in islice(messages, limit):
        try:
            data = feedback_from(raw, site=site, unit=unit, channel=channel)
            if data is None:
                counts.skipped += 1
                logger.info("mail-in %s: a message with no sender or no text skipped", site)
            else:
                known = existing(data)
                if known is not None and known.contact != data.contact:
                    # Another sender's message under the same Message-ID (a careless mailer
                    # or a copy): filed apart, under a hash of this message, not lost.
                    data = replace(data, external_id=external_id("", raw))
                _item, created = file_feedback(actor=SYSTEM, data=data)
                counts.filed += created
                counts.known += not created
        except Exception:
            counts.failed += 1
            logger.exception("mail-in %s: a message could not be filed", site)
            continue
        mark_seen()
    if counts.filed:
        analyse_soon()
    return counts


def fetch_maildir(path: str | Path, *, unit: Unit, limit: int | None = None) -> MailCounts:
    return file_messages(maildir_messages(path), site=maildir_site(path), unit=unit, limit=limit)


def fetch_imap(
    url: str, *, unit: Unit, limit: int | None = None, context: ssl.SSLContext | None = None
) -> MailCounts:
    parsed = parse_imap_url(url)
    conn = imap_connect(parsed, context)
    try:
        return file_messages(imap_messages(conn), site=parsed.site, unit=unit, limit=limit)
    except (OSError, imaplib.IMAP4.error) as exc:  # what was filed before stays filed
        raise MailboxUnavailable(f"lost the connection to {parsed.host}: {exc}") from exc
    finally:
        _close(conn)


def configured_unit(code: str | None = None) -> Unit:
    code = code or settings.FEEDBACK_MAIL_UNIT
    if not code:
        raise MailboxUnavailable("no unit: pass --unit or set FEEDBACK_MAIL_UNIT")
    try:
        return Unit.objects.get(code=code)
    except Unit.DoesNotExist as exc:
        raise MailboxUnavailable(f"no unit with the code {code!r}") from exc


def env_mailbox() -> tuple[str, str] | None:
    """("maildir", path) or ("imap", url) from the settings; None when neither is set."""
    maildir = settings.FEEDBACK_MAILDIR
    imap_url = settings.FEEDBACK_IMAP_URL
    if maildir and imap_url:
        raise MailboxUnavailable("set FEEDBACK_MAILDIR or FEEDBACK_IMAP_URL, not both")
    if maildir:
        return "maildir", maildir
    return ("imap", imap_url) if imap_url else None
