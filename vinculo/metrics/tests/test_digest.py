"""The weekly digest: each unit manager's figures by e-mail, through the task framework,
to a real SMTP server; once a week, whatever runs twice; retried after a failure."""

from datetime import datetime, timedelta

from django.core.management import call_command
from django.utils import timezone

from vinculo.metrics.digest import due_week, send_due_digests
from vinculo.metrics.models import DigestDelivery
from vinculo.metrics.tasks import send_digests_task
from vinculo.metrics.testing import answer, folded
from vinculo.metrics.tests.world import build_world
from vinculo.test import at

# Monday 13 April 2026 at 09:00 in Madrid: the digest of 6 to 12 April is due.
MONDAY = at("2026-04-13 09:00")


def give_email(people):
    for person in (people.carmen, people.diego, people.gabriel):
        person.email = f"{person.username}@telco.example"
        person.date_joined = at("2026-01-01 09:00")  # long before the weeks reported
        person.save()


def test_the_digest_is_due_from_monday_at_eight_for_the_week_before():
    assert due_week(at("2026-04-13 07:59")) is None
    assert str(due_week(at("2026-04-13 08:00"))) == "2026-04-06"
    assert str(due_week(at("2026-04-16 18:00"))) == "2026-04-06"


def test_each_unit_manager_gets_their_units_figures_once(org, people, smtp_server):
    build_world(org)
    give_email(people)

    first = send_due_digests(now=MONDAY)
    second = send_due_digests(now=MONDAY)

    assert (first, second) == (3, 0)
    mails = {m.rcpt_tos[0]: m.message for m in smtp_server.wait_for(3)}
    carmen = mails["carmen@telco.example"]
    assert "Norte" in carmen["Subject"] and "06/04 a 12/04/2026" in carmen["Subject"]
    text = carmen.get_body(("plain",))
    html = carmen.get_body(("html",))
    assert text is not None and html is not None
    body = text.get_content()
    # Norte's week, 6 to 12 April: 23 of Bilbao's April answers, too few to show. Its 90
    # days: Bilbao's 40 of March and those 23 (10 promoters, 13 detractors), and
    # Santander's 10 promoters: n 73, 40 promoters, 23 detractors, NPS 23.3 (2.3 to 42.5).
    assert "NPS: muestra insuficiente, n = 23" in body
    assert "NPS: +23 (IC 95 % 2 a 42), n = 73" in body
    assert "Sevilla" not in body
    assert "http://127.0.0.1:8000/metrics/?" in body
    assert "Norte" in html.get_content()
    assert DigestDelivery.objects.filter(status="sent").count() == 3


def test_a_refused_message_is_retried_on_a_later_tick(org, people, smtp_server):
    build_world(org)
    give_email(people)
    smtp_server.defer()

    assert send_due_digests(now=MONDAY) == 0
    assert DigestDelivery.objects.filter(status="failed", attempts=1).count() == 3

    smtp_server.data_reply = None
    assert send_due_digests(now=MONDAY) == 3


def test_the_task_goes_through_the_task_framework(org, people, smtp_server, settings):
    world = build_world(org)
    a_week_ago = timezone.now() - timedelta(days=7)  # in the week the digest reports
    for unit in (org.bilbao, org.sevilla):
        answer(world.survey, unit, a_week_ago, nps=9)
    folded()
    give_email(people)
    settings.METRICS_DIGEST_HOUR = 0
    settings.METRICS_DIGEST_WEEKDAY = datetime.now().weekday()

    result = send_digests_task.enqueue()

    assert result.return_value == 3
    assert len(smtp_server.wait_for(3)) == 3
    call_command("run_scheduler", "--once", stdout=None)  # a tick later: nothing new
    assert len(smtp_server.messages) == 3


def test_no_digest_goes_out_about_nothing(org, people, smtp_server):
    build_world(org)  # answers of March and April only
    give_email(people)

    sent = send_due_digests(now=at("2026-09-07 09:00"))  # no answer in the last 90 days

    assert sent == 0 and smtp_server.messages == []
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {"skipped"}


def test_a_newcomers_first_digest_is_of_their_first_whole_week(org, people, smtp_server):
    build_world(org)
    give_email(people)
    people.gabriel.date_joined = at("2026-04-08 09:00")  # in the middle of the week reported
    people.gabriel.save()

    assert send_due_digests(now=MONDAY) == 2

    assert sorted(m.rcpt_tos[0] for m in smtp_server.wait_for(2)) == [
        "carmen@telco.example",
        "diego@telco.example",
    ]
