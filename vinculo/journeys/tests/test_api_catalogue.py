"""GET /api/v1/interactions/channels, /types, /stages and /touchpoints."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from vinculo.accounts.services import create_api_key
from vinculo.journeys.models import Channel, InteractionType, Journey, JourneyStage
from vinculo.journeys.services import touchpoint_for
from vinculo.test import Org, People, client_for

URL = "/api/v1/interactions"


def key_client() -> Client:
    _key, token = create_api_key(name="pos", scopes=["interactions.add"], created_by=None)
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_channels_list_codes_and_names(db: None) -> None:
    response = key_client().get(f"{URL}/channels")

    assert response.status_code == 200
    assert {"code": "store", "name": "Tienda"} in response.json()


def test_types_give_their_default_stage_and_department(db: None) -> None:
    response = key_client().get(f"{URL}/types")

    billing = next(row for row in response.json() if row["code"] == "billing")
    assert billing == {
        "code": "billing",
        "name": "Facturación",
        "is_transaction": False,
        "default_stage": "pay",
        "department": "billing",
    }


def test_stages_come_in_journey_order(db: None) -> None:
    response = key_client().get(f"{URL}/stages")

    assert [row["code"] for row in response.json()] == [
        "discover",
        "buy",
        "start",
        "use",
        "pay",
        "get_help",
        "leave",
    ]
    assert response.json()[0]["journey"] == "lifecycle"


def test_touchpoints_list_the_ones_in_use(db: None) -> None:
    touchpoint_for(
        channel=Channel.objects.get(code="web"),
        interaction_type=InteractionType.objects.get(code="sale"),
    )

    response = key_client().get(f"{URL}/touchpoints")

    [row] = response.json()
    assert (row["channel"], row["type"], row["stage"]) == ("web", "sale", "buy")


def test_people_without_a_role_cannot_read_the_catalogue(org: Org, people: People) -> None:
    response = client_for(people.nadie).get(f"{URL}/channels")

    assert response.status_code == 403


def grow_catalogue(count: int) -> None:
    """More channels, types, stages and touchpoints (there are no catalogue services yet)."""
    journey = Journey.objects.create(code="extra", name="Extra")
    for n in range(count):
        channel = Channel.objects.create(code=f"channel-{n}", name=f"Canal {n}")
        stage = JourneyStage.objects.create(
            journey=journey, code=f"stage-{n}", name=f"Etapa {n}", position=n + 1
        )
        kind = InteractionType.objects.create(
            code=f"type-{n}", name=f"Tipo {n}", default_stage=stage, department=None
        )
        touchpoint_for(channel=channel, interaction_type=kind)


@pytest.mark.parametrize("path", ["channels", "types", "stages", "touchpoints"])
def test_catalogue_lists_take_as_many_queries_for_many_rows_as_for_few(
    db: None, path: str, django_assert_max_num_queries: Any
) -> None:
    client = key_client()
    touchpoint_for(
        channel=Channel.objects.get(code="web"),
        interaction_type=InteractionType.objects.get(code="sale"),
    )
    with CaptureQueriesContext(connection) as few:
        client.get(f"{URL}/{path}")
    grow_catalogue(20)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{URL}/{path}")

    assert response.status_code == 200
    assert len(response.json()) > 20
