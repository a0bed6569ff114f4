"""Telling people: in-app notifications about cases and rule matches, and their e-mails.

``events.py`` calls the two ``*_noticed`` functions once a change is committed. A case
given to someone by another person (or by routing) tells the new owner; an escalation
tells each manager its log names; a rule's match already has its in-app rows
(``rules_eval._notify``). Each notification is written once: its ``key`` (or its match)
is unique per recipient, so hearing of the same event twice adds nothing. Every new
notification is then e-mailed by a background task (``notify_mail``), never in the
request or the rule evaluation that caused it. ``notify`` is the one writer: improvement
actions, sales signals and rule matches go through it too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vinculo.cases.choices import EventKind, NotificationKind
from vinculo.cases.models import Notification

if TYPE_CHECKING:
    from vinculo.cases.models import AlertRule, Case, CaseEvent, RuleMatch, SalesSignal


def case_event_noticed(event: CaseEvent) -> None:
    """Tells whoever a case event concerns (the new owner, the managers of an escalation)."""
    if event.kind == EventKind.ASSIGNED:
        owner = _new_owner(event)
        if owner is not None:
            notify(
                [owner],
                kind=NotificationKind.ASSIGNED,
                key=f"assigned-{event.pk}",
                case=event.case,
                when=event.created_at,
            )
    elif event.kind == EventKind.ESCALATED:
        names = [name for name in (event.data or {}).get("to", []) if isinstance(name, str)]
        managers = User.objects.filter(username__in=names, is_active=True).order_by("pk")
        notify(
            list(managers),
            kind=NotificationKind.ESCALATED,
            key=f"escalated-{event.pk}",
            case=event.case,
            when=event.created_at,
        )


def rule_match_noticed(match: RuleMatch, recipients: list[Any]) -> None:
    """E-mails the people told in the app about ``match``, as their preferences allow."""
    if match.pk is None or not recipients:
        return
    waiting = Notification.objects.filter(
        match_id=match.pk, recipient__in=recipients, email_status=""
    ).values_list("pk", flat=True)
    mail_later(list(waiting))


def notify(
    people: Iterable[User],
    *,
    kind: str,
    key: str = "",
    case: Case | None = None,
    text: Callable[[], str] | None = None,
    when: datetime | None = None,
    rule: AlertRule | None = None,
    match: RuleMatch | None = None,
    signal: SalesSignal | None = None,
) -> list[int]:
    """The one writer of notifications: one per person about ``case`` (or ``signal``,
    or a rule's ``match``), none if ``key`` (else ``match``) was written to them already,
    and the new ones e-mailed after commit; returns the new ids.

    ``text`` is the in-app line, called once per person in their language (the default
    says the case's number and title). E-mails never carry it (``notify_mail``).
    """
    if not key and match is None:
        raise ValueError("a notification needs a key or a rule match to be written once")
    when = when or timezone.now()
    new = []
    for person in people:
        with translation.override(language_of(person)):
            line = text() if text is not None else notification_text(kind, case)
        unique: dict[str, Any] = {"key": key} if key else {"match": match}
        defaults: dict[str, Any] = {"kind": kind, "case": case, "rule": rule, "signal": signal}
        if key:
            defaults["match"] = match
        row, created = Notification.objects.get_or_create(
            recipient=person,
            **unique,
            defaults={**defaults, "text": line[:300], "created_at": when},
        )
        if created:
            new.append(row.pk)
    mail_later(new)
    return new


def notification_text(kind: str, case: Case | None) -> str:
    """The in-app line of a case's notification (the page may show the title; e-mails
    do not)."""
    if case is None:
        return str(NotificationKind(kind).label)
    values = {"id": case.pk, "title": case.title}
    if kind == NotificationKind.ASSIGNED:
        return _("Case #%(id)s is yours now: %(title)s") % values
    if kind == NotificationKind.ESCALATED:
        return _("Case #%(id)s is overdue and was escalated: %(title)s") % values
    return _("Case #%(id)s: %(title)s") % values


def mail_later(notification_ids: list[int]) -> None:
    """E-mails these notifications from a task, once the transaction that wrote them has
    committed (at once outside a transaction)."""
    if not notification_ids:
        return
    from vinculo.cases.tasks import email_notifications_task

    ids = list(notification_ids)
    transaction.on_commit(lambda: email_notifications_task.enqueue(ids))


def language_of(user: User) -> str:
    """The language to tell ``user`` things in. People have no language of their own yet
    (the metrics digests use the site's too): one place to change when they do."""
    return str(settings.LANGUAGE_CODE)


def _new_owner(event: CaseEvent) -> User | None:
    """Whom an assignment gave the case to, unless they took it themselves."""
    username = (event.data or {}).get("owner")
    if not isinstance(username, str):
        return None
    owner = User.objects.filter(username=username, is_active=True).first()
    if owner is None or owner.pk == event.actor_id:
        return None
    return owner
