"""E-mail in: real messages in a real Maildir (and a real dovecot for IMAP) filed as feedback."""

import grp
import imaplib
import mailbox
import os
import pwd
import shutil
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from vinculo.feedback.mailin import MailboxUnavailable, fetch_imap, fetch_maildir
from vinculo.feedback.mailmessage import without_quotes
from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.tasks import fetch_feedback_mail_task
from vinculo.journeys.models import Interaction
from vinculo.test import Org, make_customer
from vinculo.testservers import unused_port

PDF = b"%PDF-1.4\n" + b"0" * 2000


def mail(
    subject: str | None = "Consulta",
    body: str | None = "Hola",
    sender: str = "Cliente <cliente@example.com>",
    message_id: str | None = "<m-1@example.com>",
    date: str = "Mon, 02 Mar 2026 10:15:00 +0100",
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "feedback@tienda.example"
    message["Date"] = date
    if subject is not None:
        message["Subject"] = subject
    if message_id is not None:
        message["Message-ID"] = message_id
    if body is not None:
        message.set_content(body)
    return message


def complaint_with_invoice() -> EmailMessage:
    message = mail(subject="Queja: el router sin conexión", message_id="<queja-1@example.com>")
    message.set_content(
        "Buenos días:\nEl router sigue sin conexión y nadie me atiende. ¡Qué pésimo servicio!\n\n"
        "El lun, 2 mar 2026 a las 9:00, Soporte <soporte@tienda.example> escribió:\n"
        "> Gracias por escribirnos.\n",
        charset="iso-8859-1",
        cte="quoted-printable",
    )
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="factura.pdf")
    return message


def html_only() -> EmailMessage:
    message = mail(subject="Gracias", body=None, message_id="<html-1@example.com>")
    message.set_content(
        "<html><head><style>p { color: red }</style><script>track()</script></head><body>"
        "<p>Me encant&oacute; la atenci&oacute;n &amp; la rapidez.</p>"
        "<blockquote>Lo que escribimos antes</blockquote></body></html>",
        subtype="html",
    )
    return message


def maildir(tmp_path: Path, *messages: EmailMessage | bytes) -> Path:
    path = tmp_path / "feedback" / "Maildir"
    path.parent.mkdir(exist_ok=True)
    box = mailbox.Maildir(path, create=True)
    for message in messages:
        box.add(message if isinstance(message, bytes) else message.as_bytes())
    return path


def mark_all_unseen(path: Path) -> None:
    """What a crash between filing and flagging, or another mail client, leaves behind."""
    for name in list((path / "cur").iterdir()):
        name.rename(path / "new" / name.name.split(":")[0])


def test_a_multipart_latin1_complaint_is_filed_with_its_attachment_listed(
    org: Org, tmp_path: Path
) -> None:
    message = complaint_with_invoice()
    raw = message.as_bytes()
    assert b"=?utf-8?" in raw and b"iso-8859-1" in raw, "a real encoded subject and body"

    counts = fetch_maildir(maildir(tmp_path, raw), unit=org.bilbao)

    assert (counts.filed, counts.known, counts.skipped, counts.failed) == (1, 0, 0, 0)
    item = FeedbackItem.objects.get()
    assert (item.source, item.site, item.external_id) == (
        "email",
        "feedback",
        "<queja-1@example.com>",
    )
    assert item.title == "Queja: el router sin conexión"
    assert item.text == (
        "Buenos días:\nEl router sigue sin conexión y nadie me atiende. ¡Qué pésimo servicio!"
    )
    assert (item.author, item.contact) == ("Cliente", {"email": "cliente@example.com"})
    assert item.occurred_at.isoformat() == "2026-03-02T09:15:00+00:00"
    assert (item.unit, item.channel.code, item.customer) == (org.bilbao, "email", None)
    assert item.attributes == {
        "attachments": [{"name": "factura.pdf", "type": "application/pdf", "size": len(PDF)}]
    }


def test_an_html_only_message_is_filed_as_its_visible_text(org: Org, tmp_path: Path) -> None:
    fetch_maildir(maildir(tmp_path, html_only()), unit=org.bilbao)

    assert FeedbackItem.objects.get().text == "Me encantó la atención & la rapidez."


def test_a_body_in_a_wrong_or_missing_charset_still_reads(org: Org, tmp_path: Path) -> None:
    head = "From: a@example.com\nDate: Mon, 02 Mar 2026 10:15:00 +0100\nMessage-ID: <{}>\n"
    wrong = head.format("w") + 'Content-Type: text/plain; charset="utf-8"\n\n'
    unnamed = head.format("u") + "Content-Type: text/plain\n\n"
    text = "Atención pésima, señora"
    raws = [(start.encode() + text.encode("cp1252")) for start in (wrong, unnamed)]

    fetch_maildir(maildir(tmp_path, *raws), unit=org.bilbao)

    assert list(FeedbackItem.objects.values_list("text", flat=True)) == [text, text]


@pytest.mark.parametrize(
    "reply",
    [
        "Sigue sin funcionar.\n\nOn Mon, 2 Mar 2026 at 09:00, Soporte\n<s@t.example> wrote:\n"
        "> ¿Y ahora?",
        "Sigue sin funcionar.\n-----Mensaje original-----\nDe: Soporte\n¿Y ahora?",
        "> ¿Y ahora?\nSigue sin funcionar.\n>> Hola",
    ],
)
def test_the_quoted_history_of_a_reply_is_cut(reply: str) -> None:
    assert without_quotes(reply) == "Sigue sin funcionar."


def test_a_reply_that_is_nothing_but_a_quote_is_kept_whole() -> None:
    assert without_quotes("> Reenvío lo que me dijisteis") == "> Reenvío lo que me dijisteis"


def test_a_message_from_a_known_address_lands_on_the_customers_timeline(
    org: Org, tmp_path: Path
) -> None:
    ana = make_customer("Ana Ruiz", email="ana@example.com")
    message = mail(sender='"Ruiz, Ana" <ANA@Example.com>', subject="Mi pedido")

    fetch_maildir(maildir(tmp_path, message), unit=org.bilbao)

    item = FeedbackItem.objects.get()
    assert (item.customer, item.author) == (ana, "Ruiz, Ana")
    row = Interaction.objects.get(customer=ana, record_kind="feedback_item")
    assert row.record_id == item.pk and row.attributes["source"] == "email"


def test_running_the_import_twice_files_each_message_once(org: Org, tmp_path: Path) -> None:
    no_id = mail(subject="Sin identificador", message_id=None)
    assert "Message-ID" not in no_id
    path = maildir(tmp_path, complaint_with_invoice(), html_only(), no_id)

    first = fetch_maildir(path, unit=org.bilbao)
    again = fetch_maildir(path, unit=org.bilbao)
    mark_all_unseen(path)
    after_crash = fetch_maildir(path, unit=org.bilbao)

    assert (first.filed, again.filed + again.known) == (3, 0), "seen messages are not read"
    assert (after_crash.filed, after_crash.known) == (0, 3), "nor filed again when unseen"
    assert FeedbackItem.objects.count() == 3
    no_id_item = FeedbackItem.objects.get(title="Sin identificador")
    assert no_id_item.external_id.startswith("sha256:")
    flags = [message.get_flags() for message in mailbox.Maildir(path).values()]
    assert flags == ["S", "S", "S"] and not any((path / "new").iterdir())


def test_another_senders_message_under_a_reused_message_id_is_not_lost(
    org: Org, tmp_path: Path
) -> None:
    first = mail(subject="Primera", sender="Ana <ana@example.com>", message_id="<same@x>")
    other = mail(subject="Otra", sender="Luis <luis@example.com>", message_id="<same@x>")
    nul = mail(subject="Con NUL", body="hola\x00 mundo", message_id="<nul@x>")

    counts = fetch_maildir(maildir(tmp_path, first, other, nul), unit=org.bilbao)

    assert counts.filed == 3
    titles = dict(FeedbackItem.objects.values_list("title", "external_id"))
    # Whichever is read first keeps the Message-ID (a Maildir has no order); the other is
    # filed under a hash of itself.
    ids = sorted([titles["Primera"], titles["Otra"]])
    assert ids[0] == "<same@x>" and ids[1].startswith("sha256:")
    assert FeedbackItem.objects.get(title="Con NUL").text.startswith("hola mundo")


def test_garbage_and_empty_messages_are_skipped_without_stopping_the_others(
    org: Org, tmp_path: Path
) -> None:
    garbage = bytes(range(256)) * 4
    empty = mail(subject=None, body=None, message_id="<empty@example.com>")
    subject_only = mail(subject="Llamadme, por favor", body=None, message_id="<s@example.com>")
    broken_headers = (
        b"From: =?utf-8?q?Roto <roto@example.com>\nSubject: =?utf-8?q?sin_cerrar\n"
        b"Date: el martes pasado\nMessage-ID: <b@example.com>\n"
        b"Content-Type: text/plain; charset=bogus-8\n\nTexto le\xeddo\n"
    )
    path = maildir(tmp_path, garbage, empty, subject_only, broken_headers)

    counts = fetch_maildir(path, unit=org.bilbao)

    assert (counts.filed, counts.skipped, counts.failed) == (2, 2, 0)
    assert FeedbackItem.objects.get(external_id="<s@example.com>").text == "Llamadme, por favor"
    dated = FeedbackItem.objects.get(external_id="<b@example.com>")
    assert (dated.text, dated.contact) == ("Texto leído", {"email": "roto@example.com"})
    assert abs((timezone.now() - dated.occurred_at).total_seconds()) < 60
    assert fetch_maildir(path, unit=org.bilbao).skipped == 0, "skipped ones are flagged seen"


def test_the_command_reports_what_it_did(org: Org, tmp_path: Path) -> None:
    path = maildir(tmp_path, complaint_with_invoice(), b"\x00\x01")
    out = StringIO()

    call_command("fetch_feedback_mail", maildir=str(path), unit="bilbao-centro", stdout=out)

    assert "1 filed, 0 already known, 1 skipped" in out.getvalue()


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"maildir": "/nonexistent/Maildir", "unit": "bilbao-centro"}, "--maildir"),
        ({"maildir": "MAILDIR", "unit": "no-such-unit"}, "--unit"),
        ({"maildir": "MAILDIR"}, "FEEDBACK_MAIL_UNIT"),
        ({"unit": "bilbao-centro"}, "No mailbox"),
        ({"imap": "imaps://u:p@127.0.0.1:1/", "unit": "bilbao-centro"}, "--imap"),
        ({"imap": "pop3://u:p@127.0.0.1/", "unit": "bilbao-centro"}, "--imap"),
    ],
)
def test_the_command_names_the_bad_option(
    org: Org, tmp_path: Path, options: dict[str, Any], named: str
) -> None:
    if options.get("maildir") == "MAILDIR":
        options = {**options, "maildir": str(maildir(tmp_path))}

    with pytest.raises(CommandError, match=named):
        call_command("fetch_feedback_mail", **options)


def test_the_task_does_nothing_without_a_mailbox_and_files_with_one(
    org: Org, tmp_path: Path, settings: Any
) -> None:
    settings.FEEDBACK_MAILDIR = settings.FEEDBACK_IMAP_URL = ""
    idle = fetch_feedback_mail_task.call()
    settings.FEEDBACK_MAILDIR = str(maildir(tmp_path, html_only()))
    settings.FEEDBACK_MAIL_UNIT = "santander"

    filed = fetch_feedback_mail_task.call()

    assert (idle, filed) == (0, 1)
    assert FeedbackItem.objects.get().unit == org.santander


def test_the_task_opens_the_mailbox_once_per_interval(
    org: Org, tmp_path: Path, settings: Any
) -> None:
    settings.FEEDBACK_MAILDIR = str(maildir(tmp_path))
    settings.FEEDBACK_MAIL_UNIT = "santander"
    settings.FEEDBACK_MAIL_INTERVAL = 120
    assert fetch_feedback_mail_task.call() == 0  # an empty mailbox, read
    mailbox.Maildir(settings.FEEDBACK_MAILDIR).add(html_only().as_bytes())

    too_soon = fetch_feedback_mail_task.call()
    settings.FEEDBACK_MAIL_INTERVAL = 0  # as if the interval had passed
    later = fetch_feedback_mail_task.call()

    assert (too_soon, later) == (0, 1)


# --- IMAP, against a real dovecot on loopback ------------------------------------------
# disable_plaintext_auth: a login over imap:// works only once STARTTLS has succeeded.

DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = yes
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 1
mail_location = maildir:{root}/Maildir
passdb {{
  driver = static
  args = password=secret
}}
userdb {{
  driver = static
  args = home={root}/home
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass(frozen=True)
class Dovecot:
    imap_port: int
    imaps_port: int
    context: ssl.SSLContext  # trusts the server's self-signed certificate, nothing else

    def url(self, scheme: str = "imaps", password: str = "secret") -> str:
        port = self.imaps_port if scheme == "imaps" else self.imap_port
        return f"{scheme}://feedback%40tienda.example:{password}@127.0.0.1:{port}/INBOX"

    def client(self) -> imaplib.IMAP4_SSL:
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.imaps_port, ssl_context=self.context)
        conn.login("feedback@tienda.example", "secret")
        conn.select("INBOX")
        return conn


@pytest.fixture
def dovecot(tmp_path: Path) -> Iterator[Dovecot]:
    binary = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/usr/bin")
    openssl = shutil.which("openssl")
    if binary is None or openssl is None:
        pytest.skip("needs dovecot and openssl: apt-get install -y dovecot-imapd")
    # Dovecot never gives a mailbox to root, so as root the whole server runs as nobody;
    # nobody cannot enter pytest's private /tmp/pytest-of-root, and opening that up races
    # with every other pytest session (each one closes it again): a directory of its own.
    as_root = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="vinculo-dovecot-")) if as_root else tmp_path
    try:
        yield from _serve(binary, openssl, root, as_root)
    finally:
        if as_root:
            shutil.rmtree(root, ignore_errors=True)


def _serve(binary: str, openssl: str, root: Path, as_root: bool) -> Iterator[Dovecot]:
    for sub in ("run", "state", "home"):
        (root / sub).mkdir()
    key, cert = root / "key.pem", root / "cert.pem"
    make_cert = f"req -x509 -newkey rsa:2048 -nodes -days 1 -keyout {key} -out {cert}"
    name = ["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run([openssl, *make_cert.split(), *name], check=True, capture_output=True)
    user = "nobody" if as_root else pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name
    ports = {"imap_port": unused_port(), "imaps_port": unused_port()}
    conf = DOVECOT_CONF.format(root=root, user=user, group=group, **ports)
    (root / "dovecot.conf").write_text(conf)
    for path in [root, *root.rglob("*")]:
        shutil.chown(path, user, group)
    drop = {"user": user, "group": group, "extra_groups": []} if as_root else {}
    server = subprocess.Popen(
        [binary, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **drop,  # type: ignore[call-overload]
    )
    peer = Dovecot(context=ssl.create_default_context(cafile=cert), **ports)
    try:
        deadline = time.monotonic() + 15
        while True:  # ready once a login works (the auth process starts after the listener)
            try:
                peer.client().logout()
                break
            except (OSError, imaplib.IMAP4.error):
                log = root / "dovecot.log"
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"dovecot did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
        yield peer
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_imap_messages_are_filed_once_and_flagged_seen(org: Org, dovecot: Dovecot) -> None:
    ana = make_customer("Ana Ruiz", email="ana@example.com")
    client = dovecot.client()
    for message in (complaint_with_invoice(), html_only(), mail(sender="Ana <ana@example.com>")):
        client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), message.as_bytes())
    client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), b"\x00garbage\xff")

    first = fetch_imap(dovecot.url("imaps"), unit=org.bilbao, context=dovecot.context)
    client.noop()  # sees what the import flagged in its own session
    unseen_after = client.uid("SEARCH", "UNSEEN")[1][0]
    client.store("1:*", "-FLAGS", "(\\Seen)")  # as if another client, or a crash, unflagged
    again = fetch_imap(dovecot.url("imap"), unit=org.bilbao, context=dovecot.context)
    client.logout()

    assert (first.filed, first.skipped, first.failed, unseen_after) == (3, 1, 0, b"")
    assert (again.filed, again.known, again.skipped) == (0, 3, 1), "STARTTLS, and idempotent"
    complaint = FeedbackItem.objects.get(external_id="<queja-1@example.com>")
    assert complaint.site == "feedback@tienda.example"
    assert complaint.title == "Queja: el router sin conexión"
    assert complaint.attributes["attachments"][0]["name"] == "factura.pdf"
    assert Interaction.objects.get(customer=ana, record_kind="feedback_item")


def test_a_refused_imap_login_says_so(org: Org, dovecot: Dovecot) -> None:
    url = dovecot.url("imaps", password="wrong")

    with pytest.raises(MailboxUnavailable, match="refused the login of 'feedback@tienda"):
        fetch_imap(url, unit=org.bilbao, context=dovecot.context)
