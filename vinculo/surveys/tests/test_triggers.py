"""Triggered surveys: interactions of a rule's type (recorded by any path) become invitations
sent after the rule's delay; scanning is idempotent and ignores old events."""

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.customers.services import create_customer
from vinculo.imports.engine import import_rows
from vinculo.journeys.models import Channel, Interaction, InteractionType
from vinculo.journeys.services import record_interaction, touchpoint_for
from vinculo.surveys.choices import InvitationStatus
from vinculo.surveys.models import Invitation, Survey, TriggerRule
from vinculo.surveys.scheduler import dispatch_due
from vinculo.surveys.testing import published_survey
from vinculo.surveys.triggers import create_trigger_rule, scan_triggers, update_trigger_rule
from vinculo.test import Org
from vinculo.testservers import SmtpServer


@pytest.fixture
def survey(org: Org) -> Survey:
    return published_survey(unit=org.company, slug="tras-soporte")


@pytest.fixture
def customer() -> Customer:
    return create_customer(
        identities={"email": "ana@example.com"}, consents={"email": True}, language="en"
    )


@pytest.fixture
def rule(survey: Survey) -> TriggerRule:
    return create_trigger_rule(
        survey=survey,
        name="Después de una llamada de soporte",
        interaction_type=InteractionType.objects.get(code="support"),
        interaction_channel=Channel.objects.get(code="call_centre"),
        channel="email",
        delay_hours=24,
        max_age_hours=72,
    )


def _soon() -> datetime:
    """A scan's clock a little ahead: on PostgreSQL the newest second of rows is not read yet."""
    return timezone.now() + timedelta(seconds=5)


def _record(
    customer: Customer,
    unit: Unit,
    occurred_at: datetime,
    *,
    kind: str = "support",
    channel: str = "call_centre",
    external_id: str = "call-1",
) -> Interaction:
    interaction, _created = record_interaction(
        customer=customer,
        channel=Channel.objects.get(code=channel),
        interaction_type=InteractionType.objects.get(code=kind),
        unit=unit,
        occurred_at=occurred_at,
        source="crm",
        external_id=external_id,
    )
    return interaction


def test_an_interaction_of_the_rules_type_creates_an_invitation_after_the_delay(
    org: Org, customer: Customer, rule: TriggerRule
) -> None:
    occurred = timezone.now() - timedelta(hours=1)
    call = _record(customer, org.sevilla, occurred)

    created = scan_triggers(now=occurred + timedelta(hours=1, minutes=1))

    assert created == 1
    invitation = Invitation.objects.get()
    assert invitation.trigger_id == rule.pk
    assert invitation.trigger_interaction_id == call.pk
    assert invitation.send_after == occurred + timedelta(hours=24)
    assert invitation.expires_at == occurred + timedelta(hours=24) + timedelta(days=14)
    assert (invitation.unit_id, invitation.touchpoint_id) == (org.sevilla.pk, call.touchpoint_id)
    assert (invitation.language, invitation.status) == ("en", InvitationStatus.QUEUED)
    rule.refresh_from_db()
    assert rule.last_interaction_id == call.pk


def test_scanning_twice_or_rereading_the_same_window_creates_one_invitation(
    org: Org, customer: Customer, rule: TriggerRule
) -> None:
    now = _soon()
    _record(customer, org.bilbao, now - timedelta(minutes=5))

    first = scan_triggers(now=now)
    second = scan_triggers(now=now)
    TriggerRule.objects.filter(pk=rule.pk).update(last_interaction_id=0)
    reread = scan_triggers(now=now)

    assert (first, second, reread) == (1, 0, 0)
    assert Invitation.objects.count() == 1


def test_other_types_other_channels_and_old_events_invite_nobody(
    org: Org, customer: Customer, rule: TriggerRule
) -> None:
    now = _soon()
    _record(customer, org.bilbao, now - timedelta(hours=1), kind="sale", external_id="a")
    _record(customer, org.bilbao, now - timedelta(hours=1), channel="store", external_id="b")
    _record(customer, org.bilbao, now - timedelta(hours=73), external_id="c")

    created = scan_triggers(now=now)

    assert created == 0
    assert not Invitation.objects.exists()
    rule.refresh_from_db()
    assert rule.last_interaction_id == Interaction.objects.order_by("-pk").first().pk  # type: ignore[union-attr]


def test_interactions_before_the_rule_existed_or_while_it_was_paused_are_ignored(
    org: Org, customer: Customer, survey: Survey
) -> None:
    now = _soon()
    _record(customer, org.bilbao, now - timedelta(minutes=30), external_id="before")
    rule = create_trigger_rule(
        survey=survey,
        name="Soporte",
        interaction_type=InteractionType.objects.get(code="support"),
        channel="email",
    )
    update_trigger_rule(rule=rule, active=False)
    _record(customer, org.bilbao, now - timedelta(minutes=20), external_id="paused")
    assert scan_triggers(now=now) == 0
    update_trigger_rule(rule=rule, active=True)
    _record(customer, org.bilbao, now - timedelta(minutes=10), external_id="after")

    assert scan_triggers(now=now) == 1
    assert Invitation.objects.get().trigger_interaction.external_id == "after"  # type: ignore[union-attr]


def test_interactions_from_an_import_trigger_like_any_other(
    org: Org, customer: Customer, rule: TriggerRule
) -> None:
    occurred = timezone.localtime() - timedelta(hours=2)
    import_rows(
        kind="interactions",
        header=["external_id", "email", "occurred_at", "channel", "interaction_type", "unit"],
        rows=[
            [
                "T1",
                "ana@example.com",
                f"{occurred:%Y-%m-%d %H:%M}",
                "call_centre",
                "support",
                "sur",
            ],
            [
                "T2",
                "luis@example.com",
                f"{occurred:%Y-%m-%d %H:%M}",
                "call_centre",
                "support",
                "sur",
            ],
            ["T3", "ana@example.com", f"{occurred:%Y-%m-%d %H:%M}", "web", "sale", "sur"],
        ],
        mode="all_or_nothing",
        source="crm",
    )

    assert scan_triggers(now=_soon()) == 2
    invited = Invitation.objects.values_list("trigger_interaction__external_id", flat=True)
    assert sorted(invited) == ["T1", "T2"]


def test_a_scan_reads_a_bounded_window_and_the_next_one_continues(
    org: Org, customer: Customer, rule: TriggerRule
) -> None:
    now = _soon()
    for i in range(5):
        _record(customer, org.bilbao, now - timedelta(minutes=i + 1), external_id=f"c{i}")

    passes = [scan_triggers(now=now, batch=2) for _ in range(4)]

    assert passes == [2, 2, 1, 0]
    assert Invitation.objects.count() == 5


def test_a_triggered_invitation_is_sent_once_its_delay_has_passed(
    org: Org,
    customer: Customer,
    rule: TriggerRule,
    smtp_server: SmtpServer,
) -> None:
    occurred = timezone.now() - timedelta(minutes=10)
    _record(customer, org.bilbao, occurred)
    scan_triggers(now=occurred + timedelta(minutes=11))

    early = dispatch_due(now=occurred + timedelta(hours=23, minutes=59))
    assert (early.attempted, len(smtp_server.messages)) == (0, 0)
    on_time = dispatch_due(now=occurred + timedelta(hours=24))
    again = dispatch_due(now=occurred + timedelta(hours=25))

    assert (on_time.attempted, again.attempted) == (1, 0)
    assert [mail.rcpt_tos for mail in smtp_server.messages] == [["ana@example.com"]]
    assert Invitation.objects.get().status == InvitationStatus.SENT


def test_rules_of_a_closed_survey_do_not_scan(
    org: Org, customer: Customer, rule: TriggerRule, survey: Survey
) -> None:
    Survey.objects.filter(pk=survey.pk).update(status="closed")
    _record(customer, org.bilbao, timezone.now())

    assert scan_triggers(now=_soon()) == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite makes ids visible in order: no interaction can commit behind the watermark",
)
def test_an_interaction_committed_late_with_a_lower_id_is_not_skipped(
    org: Org, customer: Customer, rule: TriggerRule
) -> None:
    touchpoint_for(  # created up front: the two writers must not wait for each other on it
        channel=Channel.objects.get(code="call_centre"),
        interaction_type=InteractionType.objects.get(code="support"),
    )
    inserted, release = threading.Event(), threading.Event()

    def long_import() -> None:
        try:
            with transaction.atomic():
                _record(customer, org.bilbao, timezone.now(), external_id="slow")
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    importer = threading.Thread(target=long_import)
    importer.start()
    assert inserted.wait(10)
    _record(customer, org.bilbao, timezone.now(), external_id="fast")  # a higher id, committed

    while_open = scan_triggers(now=_soon())
    release.set()
    importer.join(10)
    after = scan_triggers(now=_soon())

    assert (while_open, after) == (0, 2)
    invited = Invitation.objects.values_list("trigger_interaction__external_id", flat=True)
    assert sorted(invited) == ["fast", "slow"]
