"""The case page names every alert rule that matched what opened the case, and says when
the resolution clock stopped because the case waits for the customer."""

from django.urls import reverse
from django.utils import timezone

from vinculo.cases.choices import Status
from vinculo.cases.models import AlertRule, Notification, RuleMatch
from vinculo.cases.rule_choices import RuleEvent
from vinculo.cases.services import set_status, take
from vinculo.cases.testing import opened
from vinculo.test import Org, People, actor_of, at, client_for


def test_the_case_page_names_every_rule_that_matched(org: Org, people: People) -> None:
    case = opened(org.bilbao, "NPS 2", trigger="response", trigger_id=9)
    for name in ("Detractores", "Enfado"):
        rule = AlertRule.objects.create(name=name, event=RuleEvent.RESPONSE)
        RuleMatch.objects.create(
            rule=rule, event=RuleEvent.RESPONSE, event_id=9, case=case, matched_at=timezone.now()
        )

    page = client_for(people.alicia).get(reverse("cases:case", args=[case.pk]))

    assert '<dd id="case-rules">Detractores, Enfado</dd>' in page.content.decode()


def test_the_case_page_shows_the_stopped_clock_while_waiting(org: Org, people: People) -> None:
    actor = actor_of(people.alicia)
    case = opened(org.bilbao, now=at("2026-03-02 10:00"))
    take(actor=actor, case=case, now=at("2026-03-02 10:30"))
    url = reverse("cases:case", args=[case.pk])
    assert 'id="sla-paused"' not in client_for(people.alicia).get(url).content.decode()

    set_status(actor=actor, case=case, status=Status.WAITING, now=at("2026-03-03 10:00"))

    html = client_for(people.alicia).get(url).content.decode()
    assert 'id="sla-paused"' in html and at("2026-03-03 10:00").isoformat() in html
    api = client_for(people.alicia).get(f"/api/v1/cases/{case.pk}")
    assert api.json()["paused_at"] is not None


def test_opening_the_case_reads_ones_own_notifications_about_it(org: Org, people: People) -> None:
    case = opened(org.bilbao)
    other = opened(org.bilbao, "Otro")
    now = timezone.now()
    mine = Notification.objects.create(recipient=people.alicia, case=case, text="A", created_at=now)
    elsewhere = Notification.objects.create(
        recipient=people.alicia, case=other, text="B", created_at=now
    )
    theirs = Notification.objects.create(
        recipient=people.bruno, case=case, text="C", created_at=now
    )

    client_for(people.alicia).get(reverse("cases:case", args=[case.pk]))

    read = set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True))
    assert read == {mine.pk}
    assert elsewhere.pk not in read and theirs.pk not in read
