from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vinculo.accounts.actors import actor_for_user
from vinculo.customers.choices import LifecycleStage, ValueTier
from vinculo.customers.models import Customer
from vinculo.customers.services import create_customer, merge_customers
from vinculo.journeys.models import Channel, Interaction, InteractionType
from vinculo.journeys.services import record_interaction
from vinculo.test import Org, People, add_interaction, client_for, make_customer


def url(customer: Customer | int) -> str:
    return reverse("customers:detail", args=[getattr(customer, "pk", customer)])


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def timeline(client: Client, customer: Customer, **params: str) -> list[Interaction]:
    response = client.get(url(customer), params)
    assert response.status_code == 200
    return list(response.context["page"])


def test_the_360_shows_profile_identities_consents_and_attributes(org: Org, people: People) -> None:
    customer = create_customer(
        identities={"email": "Ana@Example.com", "phone": "600 11 22 33", "tax_id": "12345678-z"},
        name="Ana Ruiz",
        lifecycle_stage=LifecycleStage.ACTIVE,
        segment="Residencial",
        plan="Fibra 600",
        value_tier=ValueTier.HIGH,
        language="eu",
        consents={"email": True, "sms": False},
        attributes={"permanencia": "2027-01"},
        home_unit_id=org.bilbao.pk,
    )

    response = english(client_for(people.elena)).get(url(customer))

    html = response.content.decode()
    for shown in (
        "Ana Ruiz",
        "Active (consolidated)",
        "Residencial",
        "Fibra 600",
        "High",
        "EU",
        "Bilbao Centro",
        "ana@example.com",
        "+34600112233",
        "12345678Z",
        "permanencia",
        "2027-01",
    ):
        assert shown in html, shown
    profile = response.context["profile"]
    consents = dict(profile.consents)
    assert consents["E-mail"] is True
    assert consents["SMS"] is False
    assert consents["WhatsApp"] is None


def test_the_360_counts_interactions_and_adds_up_transactions(org: Org, people: People) -> None:
    customer = make_customer("Ana Ruiz")
    add_interaction(
        customer,
        org.bilbao,
        when="2026-01-05 09:00",
        kind="sale",
        amount=Decimal("100.50"),
        currency="EUR",
    )
    add_interaction(
        customer,
        org.bilbao,
        when="2026-02-05 09:00",
        kind="renewal",
        amount=Decimal("49.50"),
        currency="EUR",
    )
    # A complaint is not a transaction: an amount on it is not part of the total.
    add_interaction(
        customer,
        org.sevilla,
        when="2026-03-05 09:00",
        kind="complaint",
        amount=Decimal("999"),
        currency="EUR",
    )

    response = client_for(people.bruno).get(url(customer))

    summary = response.context["profile"].summary
    assert summary.interactions == 3
    assert summary.first_at.date().isoformat() == "2026-01-05"
    assert summary.last_at.date().isoformat() == "2026-03-05"
    assert summary.totals == [("EUR", Decimal("150.00"))]
    assert "150,00 EUR" in response.content.decode()


def test_the_timeline_lists_every_interaction_newest_first(org: Org, people: People) -> None:
    customer = make_customer("Ana Ruiz")
    old = add_interaction(customer, org.bilbao, when="2025-12-01 10:00")
    new = add_interaction(customer, org.sevilla, when="2026-03-01 10:00", kind="support")
    middle = add_interaction(customer, org.santander, when="2026-01-15 10:00", channel="web")

    assert timeline(client_for(people.bruno), customer) == [new, middle, old]


def test_the_timeline_shows_channel_type_stage_unit_amount_and_attributes(
    org: Org, people: People
) -> None:
    customer = make_customer("Ana Ruiz")
    add_interaction(
        customer,
        org.bilbao,
        channel="call_centre",
        kind="renewal",
        amount=Decimal("1234.5"),
        currency="EUR",
        attributes={"agente": "Marta"},
    )

    html = client_for(people.bruno).get(url(customer)).content.decode()

    for shown in (
        "Centro de llamadas",
        "Renovación",
        "Usar",
        "Bilbao Centro",
        "1\xa0234,50 EUR",
        "agente",
        "Marta",
    ):
        assert shown in html, shown


def test_the_timeline_filters_by_channel(org: Org, people: People) -> None:
    customer = make_customer("Ana Ruiz")
    add_interaction(customer, org.bilbao, channel="store")
    on_web = add_interaction(customer, org.bilbao, channel="web", when="2026-03-02 10:00")

    assert timeline(client_for(people.bruno), customer, channel="web") == [on_web]


def test_the_timeline_filters_by_interaction_type(org: Org, people: People) -> None:
    customer = make_customer("Ana Ruiz")
    add_interaction(customer, org.bilbao, kind="sale")
    complaint = add_interaction(customer, org.bilbao, kind="complaint", when="2026-03-02 10:00")

    assert timeline(client_for(people.bruno), customer, interaction_type="complaint") == [complaint]


def test_the_timeline_filters_by_period_including_both_ends(org: Org, people: People) -> None:
    customer = make_customer("Ana Ruiz")
    add_interaction(customer, org.bilbao, when="2026-01-31 23:59")
    first_day = add_interaction(customer, org.bilbao, when="2026-02-01 00:00")
    last_day = add_interaction(customer, org.bilbao, when="2026-02-28 23:59")
    add_interaction(customer, org.bilbao, when="2026-03-01 00:00")

    shown = timeline(client_for(people.bruno), customer, since="2026-02-01", until="2026-02-28")

    assert shown == [last_day, first_day]


def test_a_period_ending_before_it_starts_is_reported_on_the_until_field(
    org: Org, people: People
) -> None:
    customer = make_customer("Ana Ruiz")
    before = add_interaction(customer, org.bilbao, when="2026-01-15 10:00")
    after = add_interaction(customer, org.bilbao, when="2026-04-15 10:00")

    response = english(client_for(people.bruno)).get(
        url(customer), {"since": "2026-03-01", "until": "2026-02-01"}
    )

    assert "Until: “Until” must be on or after “Since”." in response.content.decode()
    shown = timeline(client_for(people.bruno), customer, since="2026-03-01", until="2026-02-01")
    assert shown == [after, before]  # a contradictory period filters by neither date


def test_the_timeline_shows_50_interactions_a_page(org: Org, people: People) -> None:
    customer = make_customer("Ana Ruiz")
    for day in range(1, 61):
        add_interaction(customer, org.bilbao, when="2026-01-01 00:00", external_id=f"e{day}")
    client = client_for(people.bruno)

    assert len(timeline(client, customer)) == 50
    assert len(timeline(client, customer, page="2")) == 10


def test_timeline_pages_keep_the_filters(org: Org, people: People) -> None:
    customer = make_customer("Ana Ruiz")
    for n in range(55):
        add_interaction(customer, org.bilbao, channel="web", external_id=f"w{n}")

    response = client_for(people.bruno).get(url(customer), {"channel": "web"})

    assert "?channel=web&amp;page=2" in response.content.decode()


def test_htmx_filtering_returns_only_the_timeline(org: Org, people: People) -> None:
    customer = make_customer("Ana Ruiz")
    add_interaction(customer, org.bilbao, channel="web")

    response = client_for(people.bruno).get(
        url(customer), {"channel": "web"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "<html" not in html
    assert 'class="timeline"' in html
    assert "HX-Request" in response["Vary"]


def test_dates_are_shown_in_the_active_language_and_local_time(org: Org, people: People) -> None:
    customer = make_customer("Ana Ruiz")
    record_interaction(
        customer=customer,
        channel=Channel.objects.get(code="web"),
        interaction_type=InteractionType.objects.get(code="sale"),
        unit=org.bilbao,
        # 23:30 UTC on the last day of February is 00:30 on 1 March in Madrid.
        occurred_at=datetime(2026, 2, 28, 23, 30, tzinfo=UTC),
        source="test",
        external_id="late-night",
    )

    spanish = client_for(people.bruno).get(url(customer)).content.decode()
    english_html = english(client_for(people.bruno)).get(url(customer)).content.decode()

    assert "1 de marzo de 2026 a las 00:30" in spanish
    assert "March 1, 2026, 12:30 a.m." in english_html


def _queries_for_detail(client: Client, customer: Customer) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(customer)).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_timeline(org: Org, people: People) -> None:
    customer = make_customer("Ana Ruiz", email="ana@example.com")
    channels = ["store", "web", "app", "call_centre", "email"]
    kinds = ["sale", "support", "complaint", "billing", "renewal"]
    units = [org.bilbao, org.santander, org.sevilla]

    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            add_interaction(
                customer,
                units[n % 3],
                channel=channels[n % 5],
                kind=kinds[(n // 5) % 5],
                external_id=f"q{n}",
                attributes={"n": n},
            )

    add(0, 3)
    few = _queries_for_detail(client_for(people.carmen), customer)
    add(3, 27)
    many = _queries_for_detail(client_for(people.carmen), customer)

    assert few == many
    assert many <= 16


def test_a_merged_customer_id_redirects_to_the_survivor(org: Org, people: People) -> None:
    survivor = make_customer("Ana Ruiz", email="ana@example.com")
    merged = make_customer("A. Ruiz", phone="600112233")
    merge_customers(
        survivor_id=survivor.pk, merged_id=merged.pk, actor=actor_for_user(people.bruno)
    )
    client = english(client_for(people.elena))

    response = client.get(url(merged))

    assert response.status_code == 302
    assert response["Location"] == url(survivor)
    followed = client.get(response["Location"]).content.decode()
    assert "This customer was merged into Ana Ruiz." in followed


def test_the_merge_history_is_shown_on_the_survivor(org: Org, people: People) -> None:
    survivor = make_customer("Ana Ruiz", email="ana@example.com")
    merged = make_customer("A. Ruiz", phone="600112233")
    add_interaction(merged, org.bilbao)
    merge_customers(
        survivor_id=survivor.pk,
        merged_id=merged.pk,
        actor=actor_for_user(people.bruno),
        reason="Mismo DNI",
    )

    response = english(client_for(people.elena)).get(url(survivor))

    html = response.content.decode()
    assert (
        f"A. Ruiz (#{merged.pk}) merged in by bruno: 1 identities and 1 interactions moved." in html
    )
    assert "Mismo DNI" in html


def test_unit_manager_gets_not_found_for_a_customer_served_only_in_another_region(
    org: Org, people: People
) -> None:
    customer = make_customer("Ana Ruiz")
    add_interaction(customer, org.sevilla, when="2026-01-10 10:00")
    add_interaction(customer, org.sur, when="2026-02-10 10:00")

    assert client_for(people.carmen).get(url(customer)).status_code == 404
    assert client_for(people.diego).get(url(customer)).status_code == 404
    assert client_for(people.gabriel).get(url(customer)).status_code == 200


def test_unit_manager_opens_a_customer_with_one_interaction_in_their_subtree_and_sees_it_all(
    org: Org, people: People
) -> None:
    customer = make_customer("Ana Ruiz")
    add_interaction(customer, org.sevilla, when="2026-01-10 10:00")
    add_interaction(customer, org.bilbao, when="2026-02-10 10:00")

    assert len(timeline(client_for(people.diego), customer)) == 2


def test_a_merged_id_does_not_reveal_a_survivor_the_person_may_not_see(
    org: Org, people: People
) -> None:
    survivor = make_customer("Ana Ruiz")
    add_interaction(survivor, org.sevilla)
    merged = make_customer("A. Ruiz")
    merge_customers(
        survivor_id=survivor.pk, merged_id=merged.pk, actor=actor_for_user(people.bruno)
    )

    assert client_for(people.carmen).get(url(merged)).status_code == 404


def test_an_unknown_customer_is_not_found(people: People) -> None:
    assert client_for(people.bruno).get(url(999_999)).status_code == 404


def test_someone_without_a_role_is_forbidden(people: People) -> None:
    customer = make_customer("Ana Ruiz")

    assert client_for(people.nadie).get(url(customer)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(db: None) -> None:
    customer = make_customer("Ana Ruiz")

    response = Client().get(url(customer))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
