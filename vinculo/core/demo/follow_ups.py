"""The demo's follow-up surveys: the customers of the resolved demo cases got
"¿Resolvimos tu problema?" when their case was resolved, and most answered within a day or
two, so the case pages show recovered scores (the detractor's NPS before, the answer after).

Invitations are written as already sent: the demo e-mails nobody. The answers go through
the survey's real submission (on the web, where the e-mail's link leads) and the cases'
real linking pass (``follow_up.link_answers``), so the follow-ups, the case logs and the
timelines are what the product writes. Cases that already have a follow-up are skipped:
a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime

from vinculo.accounts.models import Unit
from vinculo.cases.choices import Status
from vinculo.cases.deadlines import business_calendar
from vinculo.cases.follow_up import (
    EXPIRES_AFTER_DAYS,
    SCORE_KEY,
    SOLVED_KEY,
    follow_up_survey,
    link_answers,
    mark_sent,
    reach,
)
from vinculo.cases.models import Case, FollowUp
from vinculo.surveys.choices import Collector, InvitationStatus
from vinculo.surveys.invitations import invitation_fields
from vinculo.surveys.models import Invitation
from vinculo.surveys.sending import address_of
from vinculo.surveys.submission import Respondent, submit_all

ANSWER_RATE = 0.75  # of the follow-ups sent, those answered
SOLVED_RATE = 0.8  # of the answers, those that say the problem was solved
WEB_UNIT = "canal-web"  # the demo's web channel, where survey links are answered


def load_follow_ups(rng: random.Random, now: datetime, answer_rate: float = ANSWER_RATE) -> int:
    """Sends the follow-up of each resolved demo case whose customer can be reached, and
    answers most of them (``answer_rate``); returns how many were answered."""
    cases = list(
        Case.objects.filter(
            status=Status.RESOLVED,
            customer__isnull=False,
            resolved_at__isnull=False,
            follow_up__isnull=True,
        )
        .select_related("unit", "customer")
        .order_by("resolved_at", "pk")
    )
    if not cases:
        return 0
    survey = follow_up_survey(cases[0].unit)
    assert survey.current_version is not None
    web = Unit.objects.filter(code=WEB_UNIT).first()
    hours = business_calendar()
    for case in cases:
        customer, sent = case.customer, case.resolved_at
        assert customer is not None and sent is not None
        channel, reason = reach(customer, survey, sent)
        if reason:
            continue  # nobody to reach: the demo shows the cases that were asked
        fields = invitation_fields(
            survey=survey,
            customer_language=customer.language,
            unit_id=case.unit_id,
            touchpoint_id=case.touchpoint_id,
            send_after=sent,
            expires_after_days=EXPIRES_AFTER_DAYS,
            reminder_after_days=None,
        )
        fields["status"] = InvitationStatus.SENT
        invitation = Invitation.objects.create(
            customer=customer,
            channel=channel,
            address=address_of(customer, channel),
            sent_at=sent,
            **fields,
        )
        mark_sent(follow_up=FollowUp(case=case), invitation=invitation, when=sent)
        answered = hours.add(sent, rng.randint(30, 900))
        if answered >= now or invitation.expires_at <= now or rng.random() >= answer_rate:
            continue
        solved = rng.random() < SOLVED_RATE
        score = rng.randint(7, 10) if solved else rng.randint(2, 6)
        submit_all(
            respondent=Respondent(
                survey=survey,
                version=survey.current_version,
                unit=web or case.unit,
                collector=Collector.EMAIL,
                language=invitation.language,
                customer=customer,
                invitation=invitation,
                channel_code="web",
            ),
            idempotency_key=f"demo-follow-up-{case.pk}",
            raw={SOLVED_KEY: solved, SCORE_KEY: score},
            started_at=answered,
            completed_at=answered,
        )
    return link_answers(limit=len(cases))
