"""The daily digest of each owner's open cases, to a real SMTP server, once a day; and the
issue's demonstration: with fixed times a case breaches its SLA, escalates once, and shows
as overdue in its owner's digest."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from vinculo.cases.choices import EventKind, NotificationKind, Priority
from vinculo.cases.digest import due_day, send_case_digest, send_due_case_digests
from vinculo.cases.escalation import escalate_overdue
from vinculo.cases.models import CaseEvent, DigestSent, Notification, NotificationPrefs
from vinculo.cases.notify_mail import message_id
from vinculo.cases.tasks import send_case_digests_task
from vinculo.cases.testing import opened
from vinculo.cases.tests.test_notify import with_email
from vinculo.test import Org, People, at, make_customer

# Tuesday 3 March 2026, 08:00 in Madrid: the digests' hour (CASE_DIGEST_HOUR = 8).
EIGHT = at("2026-03-03 08:00")


def section(html: str, name: str) -> str:
    """The list of a digest's section (``overdue`` or ``open``) in its HTML."""
    start = html.index(f'<ul id="{name}">')
    return html[start : html.index("</ul>", start)]


def parts(mail: Any) -> tuple[str, str]:
    text = mail.message.get_body(("plain",)).get_content()
    html = mail.message.get_body(("html",)).get_content()
    return text, html


def test_the_digest_is_due_from_its_hour_local_time() -> None:
    assert due_day(at("2026-03-03 07:59")) is None
    assert str(due_day(EIGHT)) == "2026-03-03"
    assert str(due_day(at("2026-03-03 23:59"))) == "2026-03-03"


def test_a_case_breaches_escalates_once_and_is_overdue_in_its_owners_digest(
    org: Org, people: People, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with_email(people.elena, people.carmen, people.diego)
    # Monday 2 March at 10:00: an urgent case (1 hour to the first response, round the
    # clock) given to Elena; and a low one on Tuesday morning, due days later.
    with django_capture_on_commit_callbacks(execute=True):
        late = opened(
            org.bilbao,
            "Router roto",
            department="billing",
            priority=Priority.URGENT,
            owner=people.elena,
            now=at("2026-03-02 10:00"),
        )
        on_time = opened(
            org.bilbao,
            "Duda de tarifa",
            department="billing",
            priority=Priority.LOW,
            owner=people.elena,
            now=at("2026-03-03 07:30"),
        )
    assert late.first_response_due == at("2026-03-02 11:00")

    # Before its due time nothing escalates; past it, twice, it escalates once.
    with django_capture_on_commit_callbacks(execute=True):
        before = escalate_overdue(now=at("2026-03-02 10:59"))
        first = escalate_overdue(now=at("2026-03-02 11:30"))
        second = escalate_overdue(now=at("2026-03-02 11:45"))

    assert (before, first, second) == ([], [late.pk], [])
    assert CaseEvent.objects.filter(case=late, kind=EventKind.ESCALATED).count() == 1
    escalated = Notification.objects.filter(kind=NotificationKind.ESCALATED)
    # Bilbao's managers: Diego (Bilbao) and Carmen (Norte), one notice each, both e-mailed.
    assert sorted(n.recipient.username for n in escalated) == ["carmen", "diego"]
    assert {(n.case_id, n.email_status) for n in escalated} == {(late.pk, "sent")}

    # Tuesday at 07:59 no digest yet; at 08:00 Elena's, with the breached case overdue.
    assert send_due_case_digests(now=at("2026-03-03 07:59")) == 0
    assert send_due_case_digests(now=EIGHT) == 1
    assert send_due_case_digests(now=at("2026-03-03 12:00")) == 0  # once a day

    digests = [m for m in smtp_server.wait_for(5) if m.rcpt_tos == ["elena@telco.example"]]
    digests = [m for m in digests if "case-digest" in m.message["Message-ID"]]
    assert len(digests) == 1
    text, html = parts(digests[0])
    late_link = f"{settings.SITE_URL}/cases/{late.pk}/"
    on_time_link = f"{settings.SITE_URL}/cases/{on_time.pk}/"
    assert late_link in section(html, "overdue") and on_time_link not in section(html, "overdue")
    assert on_time_link in section(html, "open")
    assert text.index(late_link) < text.index(on_time_link)  # overdue first
    assert "02/03/2026 11:00" in text  # its due time, local
    sent = DigestSent.objects.get()
    assert (sent.user, str(sent.day), sent.status) == (people.elena, "2026-03-03", "sent")
    assert (sent.open_cases, sent.overdue_cases) == (2, 1)
    assert len(smtp_server.messages) == 5  # 2 cases given, 2 escalation notices, 1 digest


def test_a_digest_claimed_by_another_run_is_not_sent_again(
    org: Org, people: People, smtp_server: Any
) -> None:
    with_email(people.elena)
    opened(org.bilbao, department="billing", owner=people.elena, now=at("2026-03-02 10:00"))
    DigestSent.objects.create(
        user=people.elena, day=EIGHT.date(), status="sending", attempts=1, claimed_at=EIGHT
    )

    assert send_case_digest(people.elena, EIGHT.date(), now=EIGHT) == 0
    assert send_due_case_digests(now=EIGHT + timedelta(minutes=9)) == 0
    assert smtp_server.messages == []


def test_no_digest_without_open_cases_an_address_or_the_wish(
    org: Org, people: People, smtp_server: Any
) -> None:
    with_email(people.diego, people.carmen)
    opened(org.bilbao, owner=people.diego, now=at("2026-03-02 10:00"))
    NotificationPrefs.objects.create(user=people.diego, daily_digest=False)
    opened(org.bilbao, department="billing", owner=people.elena, now=at("2026-03-02 10:00"))

    # Diego turned it off, Elena has no address, Carmen owns nothing.
    assert send_due_case_digests(now=EIGHT) == 0
    assert smtp_server.messages == [] and not DigestSent.objects.exists()


def test_a_refused_digest_is_recorded_as_failed(org: Org, people: People, smtp_server: Any) -> None:
    with_email(people.elena)
    smtp_server.refuse("elena@telco.example")
    opened(org.bilbao, department="billing", owner=people.elena, now=at("2026-03-02 10:00"))

    assert send_due_case_digests(now=EIGHT) == 0
    smtp_server.refused.clear()
    assert send_due_case_digests(now=EIGHT + timedelta(hours=2)) == 0  # not again that day
    assert (DigestSent.objects.get().status, DigestSent.objects.get().attempts) == ("failed", 1)
    assert smtp_server.messages == []


def test_the_digest_task_goes_through_the_task_framework(
    org: Org, people: People, smtp_server: Any, settings: Any
) -> None:
    with_email(people.elena)
    opened(org.bilbao, department="billing", owner=people.elena)
    settings.CASE_DIGEST_HOUR = 0

    first = send_case_digests_task.enqueue()
    second = send_case_digests_task.enqueue()

    assert (first.return_value, second.return_value) == (1, 0)
    assert smtp_server.wait_for(1)[0].rcpt_tos == ["elena@telco.example"]


def test_a_digest_left_sending_by_a_dead_worker_is_sent_again_once_after_its_lease(
    org: Org, people: People, smtp_server: Any
) -> None:
    with_email(people.elena)
    opened(org.bilbao, department="billing", owner=people.elena, now=at("2026-03-02 10:00"))
    claim = DigestSent.objects.create(
        user=people.elena, day=EIGHT.date(), status="sending", attempts=1, claimed_at=EIGHT
    )

    assert send_due_case_digests(now=EIGHT + timedelta(minutes=11)) == 1
    assert send_due_case_digests(now=EIGHT + timedelta(minutes=30)) == 0

    claim.refresh_from_db()
    assert (claim.status, claim.attempts) == ("sent", 2)
    [mail] = smtp_server.wait_for(1)
    assert mail.message["Message-ID"] == message_id(
        f"case-digest-{claim.pk}", settings.DEFAULT_FROM_EMAIL
    )


def test_a_deferred_digest_is_tried_again_that_day_and_sent_once(
    org: Org, people: People, smtp_server: Any
) -> None:
    with_email(people.elena)
    opened(org.bilbao, department="billing", owner=people.elena, now=at("2026-03-02 10:00"))
    smtp_server.defer()

    assert send_due_case_digests(now=EIGHT) == 0
    assert DigestSent.objects.get().status == ""
    smtp_server.data_reply = None
    assert send_due_case_digests(now=EIGHT + timedelta(minutes=1)) == 0  # backoff: 2 min
    assert send_due_case_digests(now=EIGHT + timedelta(minutes=3)) == 1
    assert send_due_case_digests(now=EIGHT + timedelta(hours=1)) == 0

    sent = DigestSent.objects.get()
    assert (sent.status, sent.attempts) == ("sent", 2)
    assert len(smtp_server.wait_for(1)) == 1


def test_a_digest_names_no_customer_and_no_case_title(
    org: Org, people: People, smtp_server: Any
) -> None:
    with_email(people.elena)
    olga = make_customer("Olga Oro")
    case = opened(
        org.bilbao,
        "Queja de Olga Oro",
        customer=olga,
        department="billing",
        owner=people.elena,
        now=at("2026-03-02 10:00"),
    )

    assert send_due_case_digests(now=EIGHT) == 1

    [mail] = smtp_server.wait_for(1)
    text, html = parts(mail)
    for part in (mail.message["Subject"], text, html):
        assert "Olga" not in part and "Queja" not in part
    assert f"#{case.pk}" in text and org.bilbao.name in text and case.get_status_display() in text


def test_the_digest_dates_are_in_the_recipients_language(
    org: Org, people: People, smtp_server: Any, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    with_email(people.elena)
    opened(org.bilbao, department="billing", owner=people.elena, now=at("2026-03-09 10:00"))

    assert send_due_case_digests(now=at("2026-03-10 08:00")) == 1

    subject = smtp_server.wait_for(1)[0].message["Subject"]
    assert "03/10/2026" in subject  # English: month first; not the Spanish 10/03/2026


def test_the_digest_goes_out_once_a_local_day_at_its_hour_across_both_dst_changes(
    org: Org, people: People, smtp_server: Any
) -> None:
    with_email(people.elena)
    opened(org.bilbao, department="billing", owner=people.elena, now=at("2026-03-20 10:00"))
    sent_at: dict[str, list[str]] = {}

    # Every 15 minutes (in UTC) from the day before each change to the day after.
    for first in (at("2026-03-28 00:00"), at("2026-10-24 00:00")):
        tick = first
        while tick < first + timedelta(days=3):
            if send_due_case_digests(now=tick):
                local = timezone.localtime(tick)
                sent_at.setdefault(str(local.date()), []).append(local.strftime("%H:%M"))
            tick += timedelta(minutes=15)

    assert sent_at == {
        day: ["08:00"]
        for day in (
            "2026-03-28",
            "2026-03-29",  # 23 hours long
            "2026-03-30",
            "2026-10-24",
            "2026-10-25",  # 25 hours long
            "2026-10-26",
        )
    }
    assert DigestSent.objects.filter(status="sent").count() == 6
