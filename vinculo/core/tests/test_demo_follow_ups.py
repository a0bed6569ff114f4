"""The demo's follow-up surveys: resolved cases were asked "¿Resolvimos tu problema?", the
answers came back through the real survey and linking pass, and the case pages show the
recovered score; a second run adds nothing."""

import random
from datetime import timedelta

from django.utils import timezone

from vinculo.accounts.actors import SYSTEM
from vinculo.cases.choices import FollowUpStatus, Trigger
from vinculo.cases.follow_up import score_before
from vinculo.cases.models import FollowUp, RootCause
from vinculo.cases.services import resolve
from vinculo.cases.testing import opened
from vinculo.core.demo.corridors import HOURS
from vinculo.core.demo.follow_ups import load_follow_ups
from vinculo.customers.services import create_customer
from vinculo.journeys.models import Interaction
from vinculo.surveys.choices import Collector, InvitationStatus
from vinculo.surveys.submission import Respondent, submit_all
from vinculo.surveys.testing import live_version, published_survey
from vinculo.test import Org


def resolved_detractor_cases(org: Org, count: int) -> None:
    """Detractors' cases resolved three days ago, at 10:00 local time (business hours)."""
    survey = published_survey(unit=org.bilbao)
    cause = RootCause.objects.filter(parent__isnull=False).first()
    when = timezone.localtime() - timedelta(days=3)
    when = when.replace(hour=10, minute=0)
    for number in range(count):
        customer = create_customer(
            identities={"email": f"cliente{number}@example.com"},
            name=f"Cliente {number}",
            consents={"email": number != 0},  # the first cannot be reached
            language="es",
        )
        respondent = Respondent(
            survey=survey,
            version=live_version(survey),
            unit=org.bilbao,
            collector=Collector.LINK,
            language="es",
            customer=customer,
        )
        response = submit_all(
            respondent=respondent, idempotency_key=f"d{number}", raw={"nps": 2, "csat": 1}
        ).response
        case = opened(
            org.bilbao, customer=customer, trigger=Trigger.RESPONSE, trigger_id=response.pk
        )
        resolve(actor=SYSTEM, case=case, root_cause=cause, resolution="Ok", now=when)


def test_resolved_demo_cases_have_answered_follow_ups_with_recovered_scores(org: Org) -> None:
    resolved_detractor_cases(org, 4)

    answered = load_follow_ups(random.Random(7), timezone.now(), answer_rate=1.0)

    follow_ups = FollowUp.objects.select_related("case", "response", "invitation")
    assert answered == follow_ups.count() == 3  # the first customer cannot be reached
    for follow_up in follow_ups:
        assert follow_up.status == FollowUpStatus.ANSWERED
        assert follow_up.invitation.status == InvitationStatus.COMPLETED  # type: ignore[union-attr]
        assert follow_up.score is not None and follow_up.solved is not None
        assert follow_up.score >= 7 if follow_up.solved else follow_up.score <= 6
        assert score_before(follow_up.case) == 2  # before → after on the case page
        assert follow_up.sent_at == follow_up.case.resolved_at
        assert follow_up.answered_at > follow_up.sent_at  # type: ignore[operator]
    rows = Interaction.objects.filter(touchpoint__interaction_type__code="case_follow_up")
    assert rows.count() == 3
    # Answered on the web, within its hours, like every other demo interaction.
    first, last = HOURS["web"]
    for row in rows:
        assert row.touchpoint.channel.code == "web"
        assert first <= timezone.localtime(row.occurred_at).hour <= last


def test_loading_the_follow_ups_again_adds_nothing(org: Org) -> None:
    resolved_detractor_cases(org, 2)
    load_follow_ups(random.Random(7), timezone.now(), answer_rate=1.0)

    again = load_follow_ups(random.Random(7), timezone.now(), answer_rate=1.0)

    assert again == 0 and FollowUp.objects.count() == 1
