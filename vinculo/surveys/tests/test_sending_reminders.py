"""Reminders: one, after N days, only to customers who have not started answering."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from vinculo.customers.services import update_customer
from vinculo.surveys.choices import Collector, InvitationStatus
from vinculo.surveys.models import Invitation, Survey
from vinculo.surveys.respondents import mark_opened
from vinculo.surveys.scheduler import dispatch_due
from vinculo.surveys.submission import Respondent, submit_all
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.distribution_helpers import bulk_customers, start_campaign
from vinculo.test import Org
from vinculo.testservers import SmtpServer


def _answer(survey: Survey, invitation: Invitation) -> None:
    who = Respondent(
        survey=survey,
        version=survey.current_version,  # type: ignore[arg-type]
        unit=invitation.unit,
        collector=Collector.EMAIL,
        language="es",
        customer=invitation.customer,
        invitation=invitation,
    )
    submit_all(respondent=who, idempotency_key="k", raw={"nps": 9, "csat": 5})


def _subjects(smtp_server: SmtpServer) -> list[tuple[str, str]]:
    return [(m.rcpt_tos[0], str(m.message["Subject"])) for m in smtp_server.messages]


def test_non_responders_get_one_reminder_after_n_days_and_never_a_second(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    survey = published_survey(unit=org.bilbao)
    silent, opener, answerer = bulk_customers(3, unit=org.bilbao)
    distribution = start_campaign(
        django_capture_on_commit_callbacks,
        survey,
        audience={"unit": org.bilbao.pk},
        reminder_after_days=3,
    )
    invitations = {i.customer_id: i for i in distribution.invitations.all()}
    mark_opened(invitation=invitations[opener.pk])
    _answer(survey, invitations[answerer.pk])
    sent_at = invitations[silent.pk].sent_at
    assert sent_at is not None
    smtp_server.messages.clear()

    too_soon = dispatch_due(now=sent_at + timedelta(days=2, hours=23))
    due = dispatch_due(now=sent_at + timedelta(days=3, minutes=1))
    later = dispatch_due(now=sent_at + timedelta(days=10))

    assert (too_soon.reminders, due.reminders, later.reminders) == (0, 2, 0)
    assert sorted(_subjects(smtp_server)) == [
        ("cliente0@example.com", "Recordatorio: Tu visita"),
        ("cliente1@example.com", "Recordatorio: Tu visita"),
    ]
    reminded = Invitation.objects.filter(reminders_sent=1)
    assert set(reminded.values_list("customer_id", flat=True)) == {silent.pk, opener.pk}
    assert Invitation.objects.get(customer=answerer).status == InvitationStatus.COMPLETED


def test_a_customer_who_opted_out_after_the_invitation_gets_no_reminder(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    survey = published_survey(unit=org.bilbao)
    (customer,) = bulk_customers(1, unit=org.bilbao)
    start_campaign(
        django_capture_on_commit_callbacks,
        survey,
        audience={"unit": org.bilbao.pk},
        reminder_after_days=2,
    )
    update_customer(customer=customer, consents={"surveys": False})

    summary = dispatch_due(now=timezone.now() + timedelta(days=3))

    assert summary.reminders == 0
    assert len(smtp_server.messages) == 1  # the invitation only
    assert Invitation.objects.get().reminders_sent == 1  # its one chance is used


def test_no_reminder_once_the_link_has_expired_or_without_a_reminder_delay(
    org: Org, smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any
) -> None:
    survey = published_survey(unit=org.bilbao)
    bulk_customers(1, unit=org.bilbao, prefix="caduca")
    bulk_customers(1, unit=org.santander, prefix="sin")
    start_campaign(
        django_capture_on_commit_callbacks,
        survey,
        audience={"unit": org.bilbao.pk},
        reminder_after_days=5,
        expires_after_days=4,
    )
    start_campaign(django_capture_on_commit_callbacks, survey, audience={"unit": org.santander.pk})

    summary = dispatch_due(now=timezone.now() + timedelta(days=6))

    assert summary.reminders == 0
    assert len(smtp_server.messages) == 2
