"""At most once: a crash between claim and send, duplicated tasks and concurrent senders."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from vinculo.accounts.actors import SYSTEM
from vinculo.surveys.choices import DistributionStatus, InvitationStatus
from vinculo.surveys.invitations import (
    create_distribution,
    create_distribution_invitations,
    invite_customer,
)
from vinculo.surveys.models import Distribution, Invitation
from vinculo.surveys.scheduler import dispatch_due
from vinculo.surveys.sending import INTERRUPTED, claim, send_invitation
from vinculo.surveys.tasks import send_invitation_task
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.distribution_helpers import bulk_customers
from vinculo.test import Org
from vinculo.testservers import SmtpServer


def test_an_invitation_left_sending_by_a_crash_is_failed_later_and_never_sent(
    org: Org, smtp_server: SmtpServer
) -> None:
    survey = published_survey(unit=org.bilbao)
    (customer,) = bulk_customers(1, unit=org.bilbao)
    invitation = invite_customer(survey=survey, customer=customer, channel="email")
    now = timezone.now()
    assert claim(invitation.pk, now)  # ... and the worker dies here

    soon = dispatch_due(now=now + timedelta(minutes=14))
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.SENDING
    later = dispatch_due(now=now + timedelta(minutes=16))
    dispatch_due(now=now + timedelta(days=1))

    assert (soon.recovered, later.recovered) == (0, 1)
    stuck = Invitation.objects.get(pk=invitation.pk)
    assert (stuck.status, stuck.failure_reason) == (InvitationStatus.FAILED, INTERRUPTED)
    assert smtp_server.messages == []


def test_a_duplicated_task_sends_one_email(org: Org, smtp_server: SmtpServer) -> None:
    survey = published_survey(unit=org.bilbao)
    (customer,) = bulk_customers(1, unit=org.bilbao)
    invitation = invite_customer(survey=survey, customer=customer, channel="email")

    results = [send_invitation_task.enqueue(invitation.pk).return_value for _ in range(3)]

    assert results == ["sent", "sent", "sent"]
    assert len(smtp_server.messages) == 1


def test_an_invitation_not_yet_due_is_not_claimed(org: Org, smtp_server: SmtpServer) -> None:
    survey = published_survey(unit=org.bilbao)
    (customer,) = bulk_customers(1, unit=org.bilbao)
    invitation = invite_customer(survey=survey, customer=customer, channel="email")
    Invitation.objects.filter(pk=invitation.pk).update(
        send_after=timezone.now() + timedelta(hours=1)
    )

    assert send_invitation(invitation.pk) == InvitationStatus.QUEUED
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one write transaction at a time: there is no race to test",
)
def test_concurrent_senders_of_one_invitation_and_of_two_surveys_send_one_email_each_customer(
    org: Org, smtp_server: SmtpServer
) -> None:
    first = published_survey(unit=org.bilbao, slug="una")
    second = published_survey(unit=org.bilbao, slug="otra")
    bulk_customers(10, unit=org.bilbao)
    for survey in (first, second):  # two campaigns, prepared but not sent
        campaign = create_distribution(
            actor=SYSTEM, survey=survey, name="c", channel="email", audience={"unit": org.bilbao.pk}
        )
        Distribution.objects.filter(pk=campaign.pk).update(status=DistributionStatus.SCHEDULED)
        create_distribution_invitations(distribution_id=campaign.pk)
    ids = list(Invitation.objects.order_by("customer_id", "pk").values_list("pk", flat=True))
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run(invitation_ids: list[int]) -> None:
        try:
            barrier.wait(5)
            for invitation_id in invitation_ids:
                send_invitation(invitation_id)
        except BaseException as exc:  # reported below, with the thread's own traceback
            errors.append(exc)
        finally:
            connection.close()

    # Two threads go through every invitation in order, two in reverse order.
    threads = [
        threading.Thread(target=run, args=(order,)) for order in (ids, ids, ids[::-1], ids[::-1])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    received = [mail.rcpt_tos[0] for mail in smtp_server.messages]
    assert sorted(received) == sorted(f"cliente{i}@example.com" for i in range(10))
    statuses = list(Invitation.objects.values_list("status", "failure_reason"))
    assert statuses.count((InvitationStatus.SENT, "")) == 10
    assert all(
        status == InvitationStatus.SUPPRESSED and reason.startswith("invited 0 days ago")
        for status, reason in statuses
        if status != InvitationStatus.SENT
    )
