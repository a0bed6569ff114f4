from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vinculo.journeys.models import Journey
from vinculo.test import Org, People, add_interaction, client_for, make_customer

CHANGELIST = reverse("admin:journeys_interaction_changelist")


def test_the_catalogue_pages_of_the_admin_open(people: People) -> None:
    client = client_for(people.alicia)

    for name in ("channel", "journey", "interactiontype", "touchpoint", "interaction"):
        assert client.get(reverse(f"admin:journeys_{name}_changelist")).status_code == 200
    journey = Journey.objects.get(code="lifecycle")
    page = client.get(reverse("admin:journeys_journey_change", args=[journey.pk]))
    assert "Pedir ayuda" in page.content.decode()


def test_an_interaction_opens_read_only(org: Org, people: People) -> None:
    interaction = add_interaction(make_customer("Ana Ruiz"), org.bilbao)
    client = client_for(people.alicia)

    page = client.get(reverse("admin:journeys_interaction_change", args=[interaction.pk]))

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:journeys_interaction_add")).status_code == 403


def _queries_to_list(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    return len(queries)


def test_the_interaction_list_does_not_query_per_row(org: Org, people: People) -> None:
    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            customer = make_customer(f"Cliente {n}")
            add_interaction(customer, [org.bilbao, org.sevilla][n % 2], external_id=f"a{n}")

    add(0, 3)
    few = _queries_to_list(client_for(people.alicia))
    add(3, 27)
    many = _queries_to_list(client_for(people.alicia))

    assert few == many
