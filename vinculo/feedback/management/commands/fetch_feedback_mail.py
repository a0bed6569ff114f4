"""Files the unseen messages of the feedback mailbox (a Maildir or an IMAP folder)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vinculo.feedback.mailin import (
    MailboxUnavailable,
    MailCounts,
    configured_unit,
    env_mailbox,
    fetch_imap,
    fetch_maildir,
)


class Command(BaseCommand):
    help = (
        "Files each unseen e-mail of a Maildir or an IMAP folder as feedback, once: "
        "messages already filed are recognised by their Message-ID."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--maildir", metavar="PATH", help="A Maildir directory (default: FEEDBACK_MAILDIR)."
        )
        where.add_argument(
            "--imap",
            metavar="URL",
            help="imaps://user:pass@host:993/INBOX, or imap://... for STARTTLS "
            "(default: FEEDBACK_IMAP_URL).",
        )
        parser.add_argument(
            "--unit",
            metavar="CODE",
            help="Code of the unit the e-mails are filed under (FEEDBACK_MAIL_UNIT).",
        )

    def handle(
        self,
        *args: Any,
        maildir: str | None,
        imap: str | None,
        unit: str | None,
        **options: Any,
    ) -> None:
        kind, where, label = self._mailbox(maildir, imap)
        try:
            found_unit = configured_unit(unit)
        except MailboxUnavailable as exc:
            raise CommandError(f"{'--unit' if unit else 'FEEDBACK_MAIL_UNIT'}: {exc}") from exc
        try:
            if kind == "maildir":
                counts = fetch_maildir(where, unit=found_unit)
            else:
                counts = fetch_imap(where, unit=found_unit)
        except MailboxUnavailable as exc:
            raise CommandError(f"{label}: {exc}") from exc
        self.stdout.write(self._summary(counts))

    def _mailbox(self, maildir: str | None, imap: str | None) -> tuple[str, str, str]:
        if maildir:
            return "maildir", maildir, "--maildir"
        if imap:
            return "imap", imap, "--imap"
        try:
            configured = env_mailbox()
        except MailboxUnavailable as exc:
            raise CommandError(str(exc)) from exc
        if configured is None:
            raise CommandError(
                "No mailbox: pass --maildir or --imap, or set FEEDBACK_MAILDIR or "
                "FEEDBACK_IMAP_URL."
            )
        kind, where = configured
        return kind, where, "FEEDBACK_MAILDIR" if kind == "maildir" else "FEEDBACK_IMAP_URL"

    def _summary(self, counts: MailCounts) -> str:
        line = (
            f"{counts.filed} filed, {counts.known} already known, "
            f"{counts.skipped} skipped (no sender or no text)"
        )
        if counts.failed:
            line += f", {counts.failed} failed (left unseen, see the log)"
        return self.style.SUCCESS(line) if not counts.failed else self.style.WARNING(line)
