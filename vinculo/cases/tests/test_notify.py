"""Telling people about cases: a case given to someone tells them once, in the app and by
e-mail (to a real SMTP server), as their preferences allow; a rule's match is e-mailed to
the managers it told; each e-mail goes out once, and a refused one is recorded, not lost;
a deferred one, one whose worker died, or one whose task never ran is sent later, once;
e-mails carry numbers and links, never a customer's name or a case's title."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import translation

from vinculo.cases.choices import EventKind, NotificationKind
from vinculo.cases.escalation import escalate_overdue
from vinculo.cases.improvements import NewImprovement, promote, update
from vinculo.cases.models import Notification, NotificationPrefs, RootCause, RuleMatch
from vinculo.cases.notify import case_event_noticed, notify
from vinculo.cases.notify_mail import MAX_ATTEMPTS, email_notification, message_id, sweep
from vinculo.cases.services import assign, take
from vinculo.cases.signals import evaluate_signals
from vinculo.cases.tasks import email_notifications_task, evaluate_alert_rules_task
from vinculo.cases.testing import opened
from vinculo.cases.tests.test_rules_eval import detractors_in
from vinculo.cases.tests.test_signals import customer as signal_customer
from vinculo.cases.tests.test_signals import seller, signal_rule
from vinculo.core.scheduler import PERIODIC_TASKS
from vinculo.metrics.testing import answer, measure_survey
from vinculo.test import Org, People, actor_of, add_interaction, at, make_customer


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


# -- never lost, never twice: claims, retries, the sweep -----------------------------------

T = at("2026-03-02 10:00")


def waiting_notice(org: Org, people: People, title: str = "Cobro doble") -> Notification:
    """A notice to Diego written at T whose after-commit e-mail task never ran."""
    with_email(people.diego)
    case = opened(org.bilbao, title, now=T)
    [pk] = notify([people.diego], kind=NotificationKind.ASSIGNED, key=title, case=case, when=T)
    return Notification.objects.get(pk=pk)


def state(row: Notification) -> tuple[str, int]:
    row.refresh_from_db()
    return row.email_status, row.email_attempts


def test_a_claim_left_by_a_dead_worker_is_sent_again_once_after_its_lease(
    org: Org, people: People, smtp_server: Any
) -> None:
    row = waiting_notice(org, people)
    # A worker claimed it at 10:00 and died before it finished.
    Notification.objects.filter(pk=row.pk).update(
        email_status="sending", email_attempts=1, email_claimed_at=T
    )

    assert sweep(now=T + timedelta(minutes=9)) == 0  # still its lease
    assert sweep(now=T + timedelta(minutes=11)) == 1
    assert sweep(now=T + timedelta(minutes=30)) == 0

    assert state(row) == ("sent", 2)
    [mail] = smtp_server.wait_for(1)
    assert mail.message["Message-ID"] == message_id(f"notice-{row.pk}", settings.DEFAULT_FROM_EMAIL)
    assert len(smtp_server.messages) == 1


def test_a_deferred_email_is_tried_again_after_its_backoff_and_sent_once(
    org: Org, people: People, smtp_server: Any
) -> None:
    row = waiting_notice(org, people)
    smtp_server.defer()

    assert email_notification(row.pk, now=T) == ""  # 451: back in the queue
    assert state(row) == ("", 1)
    smtp_server.data_reply = None
    assert sweep(now=T + timedelta(minutes=1)) == 0  # its backoff is 2 minutes
    assert email_notification(row.pk, now=T + timedelta(minutes=1)) == ""
    assert sweep(now=T + timedelta(minutes=3)) == 1
    assert sweep(now=T + timedelta(minutes=30)) == 0

    assert state(row) == ("sent", 2)
    assert len(smtp_server.wait_for(1)) == 1


def test_an_email_deferred_every_time_fails_after_five_attempts(
    org: Org, people: People, smtp_server: Any
) -> None:
    row = waiting_notice(org, people)
    smtp_server.defer()

    email_notification(row.pk, now=T)
    for hour in range(1, 8):
        sweep(now=T + timedelta(hours=hour))

    assert state(row) == ("failed", MAX_ATTEMPTS)
    assert smtp_server.messages == []


def test_a_refused_email_fails_at_once_and_is_never_tried_again(
    org: Org, people: People, smtp_server: Any
) -> None:
    row = waiting_notice(org, people)
    smtp_server.refuse("diego@telco.example")

    assert email_notification(row.pk, now=T) == "failed"
    smtp_server.refused.clear()
    assert sweep(now=T + timedelta(hours=1)) == 0

    assert state(row) == ("failed", 1)
    assert smtp_server.messages == []


def test_the_sweep_emails_notices_whose_task_never_ran_once(
    org: Org, people: People, smtp_server: Any
) -> None:
    row = waiting_notice(org, people)
    stale = waiting_notice(org, people, "Antigua")
    Notification.objects.filter(pk=stale.pk).update(created_at=T - timedelta(days=2))

    assert sweep(now=T + timedelta(seconds=30)) == 0  # its task may still be on its way
    assert sweep(now=T + timedelta(minutes=2)) == 1
    assert sweep(now=T + timedelta(minutes=3)) == 0
    assert email_notifications_task.enqueue([row.pk]).return_value == 0  # late task: nothing

    assert state(row) == ("sent", 1)
    assert state(stale) == ("", 0)  # two days old: no longer news
    assert len(smtp_server.wait_for(1)) == 1


def test_the_sweep_runs_on_every_scheduler_tick() -> None:
    assert "vinculo.cases.tasks.sweep_notification_emails_task" in PERIODIC_TASKS


# -- no personal data in e-mails -------------------------------------------------------------


def test_an_assignment_email_has_the_case_number_unit_and_due_time_but_not_its_title(
    org: Org, people: People, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with_email(people.diego)
    olga = make_customer("Olga Oro")
    case = opened(org.bilbao, "Queja de Olga Oro", customer=olga, priority="urgent", now=T)

    with django_capture_on_commit_callbacks(execute=True):
        assign(actor=actor_of(people.carmen), case=case, owner=people.diego)

    [mail] = smtp_server.wait_for(1)
    whole = f"{mail.message['Subject']}\n{body_of(mail)}"
    assert "Olga" not in whole and "Queja" not in whole
    assert Notification.objects.get().text not in whole
    assert f"#{case.pk}" in mail.message["Subject"]
    assert org.bilbao.name in body_of(mail) and "02/03/2026 11:00" in body_of(mail)
    assert f"{settings.SITE_URL}/cases/{case.pk}/" in body_of(mail)


def test_a_sales_signal_email_names_neither_the_customer_nor_their_value(
    org: Org, people: People, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    signal_rule()
    person = seller("ventas.norte", org.norte)
    with_email(person)
    olga = signal_customer("Olga Oro")
    olga.refresh_from_db()
    add_interaction(olga, org.bilbao, when="2026-03-02 10:00", kind="complaint")

    with django_capture_on_commit_callbacks(execute=True):
        evaluate_signals(now=at("2026-03-05 12:00"))

    row = Notification.objects.get()
    assert "Olga Oro" in row.text  # the app still says who
    [mail] = smtp_server.wait_for(1)
    whole = f"{mail.message['Subject']}\n{body_of(mail)}"
    assert "Olga" not in whole and olga.get_value_tier_display() not in whole
    assert f"#{row.signal_id}" in mail.message["Subject"] and org.bilbao.name in whole


# -- improvement actions ---------------------------------------------------------------------


def test_an_improvement_owner_is_emailed_and_told_again_when_given_it_back(
    org: Org, people: People, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with_email(people.carmen, people.gabriel)
    bruno = actor_of(people.bruno)
    cause = RootCause.objects.get(name="Cargo duplicado")
    data = NewImprovement(root_cause=cause, title="Revisar el cobro de Olga", owner=people.carmen)

    with django_capture_on_commit_callbacks(execute=True):
        action = promote(actor=bruno, data=data, now=T)
    with django_capture_on_commit_callbacks(execute=True):
        update(actor=bruno, action=action, owner=people.gabriel, now=T + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        update(actor=bruno, action=action, owner=people.carmen, now=T + timedelta(hours=2))

    told = [n.recipient.username for n in Notification.objects.order_by("created_at")]
    assert told == ["carmen", "gabriel", "carmen"]
    mails = smtp_server.wait_for(3)
    assert [m.rcpt_tos[0].split("@")[0] for m in mails] == told
    assert all(f"#{action.pk}" in m.message["Subject"] for m in mails)
    assert all("Olga" not in body_of(m) and "Olga" not in m.message["Subject"] for m in mails)
    assert f"{settings.SITE_URL}/cases/improvements/{action.pk}/" in body_of(mails[0])


def test_an_improvement_notice_is_in_the_owners_language(
    org: Org, people: People, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    cause = RootCause.objects.get(name="Cargo duplicado")
    data = NewImprovement(root_cause=cause, title="Revisar", owner=people.carmen)

    with translation.override("es"):
        promote(actor=actor_of(people.bruno), data=data, now=T)

    assert Notification.objects.get().text == "Improvement action for you: Revisar"


def test_notify_writes_a_rule_matchs_notice_once_per_person(org: Org, people: People) -> None:
    detractors_in(org)
    answer(measure_survey(org.company), org.bilbao, at("2026-03-02 10:00"), nps=3)
    evaluate_alert_rules_task.call()
    match = RuleMatch.objects.get()

    def told() -> list[int]:
        return notify([people.gabriel], kind=NotificationKind.RULE, match=match, when=T)

    first, again = told(), told()

    assert len(first) == 1 and again == []
    assert Notification.objects.get(pk=first[0]).match == match
