"""Telling people about cases: a case given to someone tells them once, in the app and by
e-mail (to a real SMTP server), as their preferences allow; a rule's match is e-mailed to
the managers it told; each e-mail goes out once, and a refused one is recorded, not lost."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User

from vinculo.cases.choices import EventKind, NotificationKind
from vinculo.cases.models import Notification, NotificationPrefs
from vinculo.cases.notify import case_event_noticed
from vinculo.cases.services import assign, escalate_overdue, take
from vinculo.cases.tasks import email_notifications_task, evaluate_alert_rules_task
from vinculo.cases.testing import opened
from vinculo.cases.tests.test_rules_eval import detractors_in
from vinculo.metrics.testing import answer, measure_survey
from vinculo.test import Org, People, actor_of, at


def with_email(*people: User) -> None:
    for person in people:
        person.email = f"{person.username}@telco.example"
        person.save(update_fields=["email"])


def body_of(mail: Any) -> str:
    text: str = mail.message.get_body(("plain",)).get_content()
    return text


def test_a_case_given_to_someone_tells_them_once_in_the_app_and_by_email(
    org: Org, people: People, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with_email(people.diego)
    case = opened(org.bilbao, "Cobro doble")

    with django_capture_on_commit_callbacks(execute=True):
        assign(actor=actor_of(people.carmen), case=case, owner=people.diego)
    with django_capture_on_commit_callbacks(execute=True):
        case_event_noticed(case.events.get(kind=EventKind.ASSIGNED))  # heard twice

    row = Notification.objects.get()
    assert (row.recipient, row.kind, row.case) == (people.diego, NotificationKind.ASSIGNED, case)
    assert row.read_at is None and row.email_status == "sent" and row.emailed_at is not None
    [mail] = smtp_server.wait_for(1)
    assert mail.rcpt_tos == ["diego@telco.example"]
    assert f"{settings.SITE_URL}/cases/{case.pk}/" in body_of(mail)
    assert f"#{case.pk}" in mail.message["Subject"]


def test_a_case_routed_by_the_system_tells_its_new_owner(
    org: Org, people: People, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with_email(people.elena)

    with django_capture_on_commit_callbacks(execute=True):
        case = opened(org.bilbao, "Factura", department="billing", owner=people.elena)

    assert Notification.objects.get().recipient == people.elena
    assert smtp_server.wait_for(1)[0].rcpt_tos == ["elena@telco.example"]
    assert f"/cases/{case.pk}/" in body_of(smtp_server.messages[0])


def test_taking_a_case_oneself_tells_nobody(
    org: Org, people: People, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with_email(people.diego)
    case = opened(org.bilbao)

    with django_capture_on_commit_callbacks(execute=True):
        take(actor=actor_of(people.diego), case=case)

    assert not Notification.objects.exists()
    assert smtp_server.messages == []


def test_someone_who_turned_emails_off_is_told_in_the_app_only(
    org: Org, people: People, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with_email(people.diego)
    NotificationPrefs.objects.create(user=people.diego, email_alerts=False)
    case = opened(org.bilbao)

    with django_capture_on_commit_callbacks(execute=True):
        assign(actor=actor_of(people.carmen), case=case, owner=people.diego)

    row = Notification.objects.get(recipient=people.diego)
    assert (row.email_status, row.emailed_at) == ("skipped", None)
    assert smtp_server.messages == []


def test_someone_without_an_address_is_told_in_the_app_only(
    org: Org, people: People, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = opened(org.bilbao)

    with django_capture_on_commit_callbacks(execute=True):
        assign(actor=actor_of(people.carmen), case=case, owner=people.diego)

    assert Notification.objects.get().email_status == "skipped"
    assert smtp_server.messages == []


def test_a_rule_match_is_emailed_to_each_manager_it_told(
    org: Org, people: People, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with_email(people.carmen, people.diego, people.gabriel)
    detractors_in(org)
    survey = measure_survey(org.company)
    answer(survey, org.bilbao, at("2026-03-02 10:00"), nps=3)

    with django_capture_on_commit_callbacks(execute=True):
        evaluate_alert_rules_task.call()

    rows = Notification.objects.filter(kind=NotificationKind.RULE)
    assert sorted(r.recipient.username for r in rows) == ["carmen", "diego"]
    assert {r.email_status for r in rows} == {"sent"}
    mails = smtp_server.wait_for(2)
    assert sorted(m.rcpt_tos[0] for m in mails) == ["carmen@telco.example", "diego@telco.example"]
    case_id = rows[0].case_id
    assert all(f"{settings.SITE_URL}/cases/{case_id}/" in body_of(m) for m in mails)


def test_running_the_email_task_twice_sends_once(
    org: Org, people: People, smtp_server: Any
) -> None:
    with_email(people.diego)
    case = opened(org.bilbao)
    assign(actor=actor_of(people.carmen), case=case, owner=people.diego)
    case_event_noticed(case.events.get(kind=EventKind.ASSIGNED))  # its e-mail waits for commit
    row = Notification.objects.get()

    first = email_notifications_task.enqueue([row.pk])
    second = email_notifications_task.enqueue([row.pk])

    assert (first.return_value, second.return_value) == (1, 0)
    assert len(smtp_server.wait_for(1)) == 1
    row.refresh_from_db()
    assert row.email_status == "sent"


def test_a_refused_email_is_recorded_as_failed_and_the_others_still_go(
    org: Org, people: People, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with_email(people.carmen, people.diego)
    smtp_server.refuse("diego@telco.example")
    case = opened(org.bilbao, priority="urgent", now=at("2026-03-02 10:00"))

    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue(now=at("2026-03-02 12:00"))

    rows = {n.recipient.username: n for n in Notification.objects.filter(case=case)}
    assert rows["diego"].email_status == "failed" and rows["diego"].read_at is None
    assert rows["carmen"].email_status == "sent"
    assert [m.rcpt_tos for m in smtp_server.wait_for(1)] == [["carmen@telco.example"]]
    # Running the task again sends nothing more; the in-app rows stay, unread.
    assert email_notifications_task.enqueue([n.pk for n in rows.values()]).return_value == 0
    assert Notification.objects.filter(case=case, read_at__isnull=True).count() == 2
