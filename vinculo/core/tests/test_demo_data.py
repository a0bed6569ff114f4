"""The demo_data command: a believable telecom whose corridors agree with its customers."""

import random
import re
from collections import defaultdict
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from vinculo.accounts.actors import actor_for_user
from vinculo.accounts.choices import Role, UnitKind
from vinculo.accounts.models import Membership, Unit
from vinculo.cases.models import AlertRule, Case
from vinculo.cases.queries import cases_for
from vinculo.cases.services import TIMELINE_SOURCE as CASES
from vinculo.core.demo.corridors import HOURS, CorridorMaker, Event
from vinculo.core.demo.feedback import ITEMS
from vinculo.core.demo.org import PEOPLE, Store
from vinculo.core.demo.profiles import ProfileMaker
from vinculo.core.demo.signals import SOURCE as SIGNALS
from vinculo.core.demo.surveys import draw
from vinculo.customers.choices import ConsentChannel, IdentityKind, LifecycleStage
from vinculo.customers.identities import normalize_email, normalize_phone
from vinculo.customers.models import Customer, Identity
from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.services import TIMELINE_SOURCE as FEEDBACK
from vinculo.journeys.models import Interaction
from vinculo.surveys.models import Answer, Response
from vinculo.textan.models import TextAnalysis

CUSTOMERS = 200


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output(db: None) -> str:
    return run_demo("--customers", str(CUSTOMERS), "--seed", "7")


def corridors() -> dict[int, list[tuple[str, str, datetime]]]:
    """(interaction type, journey stage, time) of every customer's interactions, in order;
    not what customers wrote unasked (reviews, complaints: their own timing and channel)
    nor the demo cases' follow-ups."""
    by_customer: dict[int, list[tuple[str, str, datetime]]] = defaultdict(list)
    company_events = Interaction.objects.exclude(source__in=(FEEDBACK, CASES))
    rows = company_events.order_by("occurred_at", "id").values_list(
        "customer_id",
        "touchpoint__interaction_type__code",
        "touchpoint__stage__code",
        "occurred_at",
    )
    for customer_id, kind, stage, occurred_at in rows:
        by_customer[customer_id].append((kind, stage, occurred_at))
    return by_customer


def test_demo_creates_the_requested_customers_with_about_ten_interactions_each(
    demo_output: str,
) -> None:
    interactions = Interaction.objects.count()

    assert Customer.objects.count() == CUSTOMERS
    assert 8 * CUSTOMERS <= interactions <= 12 * CUSTOMERS
    assert f"{CUSTOMERS:,} customers" in demo_output
    assert f"{interactions:,} interactions" in demo_output
    assert set(Customer.objects.values_list("lifecycle_stage", flat=True)) == set(LifecycleStage)


def test_demo_company_has_three_regions_of_ten_stores_and_remote_channels(
    demo_output: str,
) -> None:
    company = Unit.objects.get(kind=UnitKind.COMPANY)
    regions = Unit.objects.filter(kind=UnitKind.REGION, parent=company)
    remote = Unit.objects.filter(
        kind__in=[UnitKind.CONTACT_CENTRE, UnitKind.DIGITAL], parent=company
    )

    assert sorted(regions.values_list("name", flat=True)) == ["Centro", "Norte", "Sur"]
    for region in regions:
        assert Unit.objects.filter(kind=UnitKind.STORE, parent=region).count() == 10
    assert remote.count() == 3
    assert Unit.objects.count() == 37
    assert not Customer.objects.exclude(home_unit__kind=UnitKind.STORE).exists()


def test_every_customer_has_one_customer_number_and_identities_are_normalised(
    demo_output: str,
) -> None:
    numbers = Identity.objects.filter(kind=IdentityKind.CUSTOMER_NUMBER)
    phones = Identity.objects.filter(kind=IdentityKind.PHONE).values_list("value", flat=True)
    emails = Identity.objects.filter(kind=IdentityKind.EMAIL).values_list("value", flat=True)

    assert numbers.count() == CUSTOMERS
    assert numbers.values("customer_id").distinct().count() == CUSTOMERS
    assert all(re.fullmatch(r"CLI-\d{6}", n) for n in numbers.values_list("value", flat=True))
    assert len(phones) > CUSTOMERS * 0.7
    assert len(emails) > CUSTOMERS * 0.7
    assert all(normalize_phone(phone) == phone for phone in phones)
    assert all(re.fullmatch(r"\+34[67]\d{8}", phone) for phone in phones)
    assert all(normalize_email(email) == email for email in emails)
    assert Identity.objects.filter(kind=IdentityKind.CRM_ID).exists()
    assert Identity.objects.filter(kind=IdentityKind.LOYALTY_CARD).exists()


def test_customers_have_a_spanish_profile(demo_output: str) -> None:
    customers = Customer.objects.all()

    assert set(customers.values_list("segment", flat=True)) <= {
        "Residencial",
        "Empresas",
        "Autónomos",
    }
    assert set(customers.values_list("language", flat=True)) <= {"es", "en", "ca", "eu", "gl"}
    assert customers.filter(language="es").count() > CUSTOMERS * 0.8
    for customer in customers:
        assert set(customer.consents) == {channel.value for channel in ConsentChannel}
        has_plan = customer.lifecycle_stage != LifecycleStage.PROSPECT
        assert bool(customer.plan) == has_plan
        assert bool(customer.value_tier) == has_plan


def test_interactions_happen_in_the_unit_that_serves_their_channel(demo_output: str) -> None:
    # A case's follow-ups are in the case's unit, whichever channel the agent used.
    rows = Interaction.objects.exclude(source__in=(FEEDBACK, CASES)).values_list(
        "touchpoint__channel__code", "unit__kind", "unit__code", "unit_id", "customer__home_unit_id"
    )

    for channel, kind, code, unit_id, home_unit_id in rows:
        if channel in ("store", "field"):
            assert unit_id == home_unit_id
        elif channel in ("call_centre", "chat", "whatsapp"):
            assert kind == UnitKind.CONTACT_CENTRE
        else:
            assert (channel, kind, code) in {
                ("web", UnitKind.DIGITAL, "canal-web"),
                ("app", UnitKind.DIGITAL, "canal-app"),
            }


def test_interactions_happen_within_their_channels_hours_in_madrid_time(
    demo_output: str,
) -> None:
    # Customers write reviews and e-mails at any hour: only the company's events keep hours.
    rows = Interaction.objects.exclude(source=FEEDBACK).values_list(
        "touchpoint__channel__code", "occurred_at"
    )

    for channel, occurred_at in rows:
        first, last = HOURS[channel]
        # An activation follows its sale by minutes, so it may spill into the next hour.
        spill = 0 if channel == "field" else 1
        assert first <= timezone.localtime(occurred_at).hour <= last + spill


def test_interactions_lie_in_the_last_two_years_with_amounts_on_transactions_only(
    demo_output: str,
) -> None:
    now = timezone.now()
    interactions = Interaction.objects.all()

    assert not interactions.filter(occurred_at__gt=now).exists()
    assert not interactions.filter(occurred_at__lt=now - timedelta(days=732)).exists()
    sources = ["demo", "surveys", FEEDBACK, CASES, SIGNALS]
    assert not interactions.exclude(source__in=sources).exists()
    assert not interactions.filter(
        amount__isnull=False, touchpoint__interaction_type__is_transaction=False
    ).exists()
    assert not interactions.filter(amount__isnull=False).exclude(currency="EUR").exists()
    assert not interactions.filter(
        touchpoint__interaction_type__code__in=["sale", "payment"], amount__isnull=True
    ).exists()
    first = Identity.objects.get(kind=IdentityKind.CUSTOMER_NUMBER, value="CLI-000001")
    ids = Interaction.objects.filter(customer_id=first.customer_id, source="demo").order_by(
        "occurred_at", "id"
    )
    expected = [f"CLI-000001-{n:03d}" for n in range(1, ids.count() + 1)]
    assert list(ids.values_list("external_id", flat=True)) == expected


def test_lifecycle_stages_agree_with_corridors(demo_output: str) -> None:
    now = timezone.now()
    stages = dict(Customer.objects.values_list("id", "lifecycle_stage"))

    for customer_id, corridor in corridors().items():
        stage = stages[customer_id]
        corridor = [event for event in corridor if event[0] != "survey_response"]
        kinds = [kind for kind, _stage, _at in corridor]
        recent = {kind for kind, _stage, at in corridor if at > now - timedelta(days=62)}
        if stage == LifecycleStage.PROSPECT:
            assert {journey_stage for _kind, journey_stage, _at in corridor} == {"discover"}
            continue
        assert "sale" in kinds
        if stage in (LifecycleStage.CHURNED, LifecycleStage.WON_BACK):
            last_cancellation = len(kinds) - 1 - kinds[::-1].index("cancellation")
            after = set(kinds[last_cancellation + 1 :])
            if stage == LifecycleStage.CHURNED:
                assert after <= {"billing", "payment"}
            else:
                assert "sale" in after
            continue
        assert "cancellation" not in kinds
        if stage == LifecycleStage.ONBOARDING:
            first_sale = next(at for kind, _stage, at in corridor if kind == "sale")
            assert first_sale > now - timedelta(days=47)
        elif stage == LifecycleStage.ACTIVE:
            quiet = {kind for kind, _s, at in corridor if at > now - timedelta(days=88)}
            assert not quiet & {"complaint", "collections", "retention"}
        else:
            assert recent & {"complaint", "collections"}
            if stage == LifecycleStage.LEAVING:
                assert "retention" in recent


def test_running_again_creates_nothing(demo_output: str) -> None:
    counts = (Customer.objects.count(), Identity.objects.count(), Interaction.objects.count())

    skipped = run_demo("--customers", str(CUSTOMERS), "--if-empty")
    again = run_demo("--customers", str(CUSTOMERS), "--seed", "7")

    assert "demo data not loaded" in skipped
    assert f"{CUSTOMERS:,} customers existed already" in again
    assert "0 customers, 0 identities, 0 interactions" in again
    assert "password unchanged" in again
    assert Unit.objects.count() == 37
    assert counts == (
        Customer.objects.count(),
        Identity.objects.count(),
        Interaction.objects.count(),
    )


def test_a_larger_second_run_adds_only_the_missing_customers(demo_output: str) -> None:
    output = run_demo("--customers", str(CUSTOMERS + 20))

    assert Customer.objects.count() == CUSTOMERS + 20
    assert "20 customers" in output
    assert Identity.objects.filter(value="CLI-000220").exists()


def test_output_shows_every_demo_person_and_a_password_that_signs_in(demo_output: str) -> None:
    match = re.search(r"password for the people created now: (\S+)", demo_output)

    assert match is not None
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert set(roles.values()) == {Role.ANALYST, Role.UNIT_MANAGER, Role.AGENT, Role.VIEWER}
    assert "admin" not in roles
    departments = dict(
        Membership.objects.filter(role=Role.AGENT).values_list("user__username", "department__code")
    )
    assert departments == {
        "javier.romero": "billing",
        "ana.vidal": "customer_service",
        "diego.marin": "sales",
    }
    for username, *_rest in PEOPLE:
        assert username in demo_output
        assert authenticate(username=username, password=match.group(1)) is not None


def test_a_seed_reproduces_the_same_customers_and_corridors() -> None:
    stores = [Store(unit_id=1, name="Bilbao Abando", region="Norte", size=1, languages={})]

    def draw(seed: int) -> list[tuple[str, str, int, str]]:
        rng = random.Random(seed)
        profiles = ProfileMaker(rng, stores, {})
        maker = CorridorMaker(rng, timezone.localdate(), timezone.get_current_timezone(), 10)
        drawn = []
        for index in range(1, 51):
            profile = profiles.make(index)
            events = maker.make(profile)
            drawn.append((profile.name, profile.stage, len(events), events[-1].at.isoformat()))
        return drawn

    assert draw(3) == draw(3)
    assert draw(3) != draw(4)


def test_demo_survey_answers_reach_the_timeline(demo_output: str) -> None:
    responses = Response.objects.filter(survey__slug="visita-tienda", status="complete")

    assert responses.count() > 20
    assert not Answer.objects.filter(question__key="nps", number__isnull=True).exists()
    timeline = Interaction.objects.filter(record_kind="survey_response")
    store_rows = timeline.filter(
        record_id__in=Response.objects.filter(survey__slug="visita-tienda")
    )
    assert set(store_rows.values_list("record_id", flat=True)) == set(
        responses.values_list("id", flat=True)
    )
    # Every other survey row is a customer's answer to the follow-up after their case.
    others = set(timeline.values_list("record_id", flat=True)) - set(
        responses.values_list("id", flat=True)
    )
    assert others == set(
        Response.objects.filter(case_follow_up__isnull=False).values_list("id", flat=True)
    )


def test_demo_scores_follow_the_lifecycle_stage() -> None:
    rng = random.Random(3)
    visit = Event(timezone.now() - timedelta(days=3), "store", "sale", None, {})

    def detractor_share(stage: str) -> float:
        scores = [draw(rng, stage, "es", visit, timezone.now()) for _ in range(5000)]
        nps = [answer[1]["nps"] for answer in scores if answer is not None]
        return sum(score <= 6 for score in nps) / len(nps)

    assert detractor_share(LifecycleStage.AT_RISK) > detractor_share(LifecycleStage.ACTIVE) + 0.3


def test_demo_feedback_is_analysed_and_some_is_on_its_customers_timelines(
    demo_output: str,
) -> None:
    items = FeedbackItem.objects.all()
    known = items.filter(customer__isnull=False)

    assert items.count() == ITEMS and f"{ITEMS:,} feedback items" in demo_output
    assert 0 < known.count() < items.count()
    assert Interaction.objects.filter(record_kind="feedback_item").count() == known.count()
    assert TextAnalysis.objects.filter(feedback__isnull=False).count() == items.count()
    # The stores that serve worse draw more unhappy feedback.
    worse = items.filter(unit__name="Vigo Príncipe", analysis__score__lt=0).count() / max(
        1, items.filter(unit__name="Vigo Príncipe").count()
    )
    better = items.filter(unit__name="Madrid Chamberí", analysis__score__lt=0).count() / max(
        1, items.filter(unit__name="Madrid Chamberí").count()
    )
    assert worse > better


def test_recent_detractors_are_cases_some_worked_and_on_their_timelines(
    demo_output: str,
) -> None:
    cases = Case.objects.all()

    assert cases.exists() and f"{cases.count():,} cases" in demo_output
    assert set(cases.values_list("trigger", flat=True)) == {"response"}
    scores = Answer.objects.filter(
        response_id__in=cases.values("trigger_id"), question__key="nps"
    ).values_list("number", flat=True)
    assert len(scores) == cases.count() and max(n or 0 for n in scores) <= 6
    assert cases.filter(status="new").exists()  # the newest wait for someone
    ana = actor_for_user(User.objects.get(username="ana.vidal"))
    assert cases_for(ana).filter(status="new").exists()  # customer service: hers to take
    worked = cases.exclude(status="new")
    assert all(c.events.filter(kind="assigned").exists() for c in worked)
    assert all(c.root_cause_id is not None for c in cases.filter(status="resolved"))
    known = cases.filter(customer__isnull=False).count()
    assert Interaction.objects.filter(record_kind="case").count() >= known
    assert AlertRule.objects.count() == 2
    again = run_demo("--customers", str(CUSTOMERS), "--seed", "7")
    assert AlertRule.objects.count() == 2 and "0 cases" in again
