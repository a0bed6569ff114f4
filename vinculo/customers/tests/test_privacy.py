"""Personal data rights: a full export, and an erasure that keeps only anonymous facts."""

import json

from django.urls import reverse

from vinculo.customers.models import Customer, CustomerErasure, CustomerMerge, Identity
from vinculo.customers.privacy import erase_customer, export_customer
from vinculo.customers.queries import search_customers
from vinculo.customers.services import merge_customers
from vinculo.journeys.models import Interaction
from vinculo.test import Org, People, actor_of, add_interaction, client_for, make_customer


def _ana_with_history(org: Org, people: People) -> Customer:
    ana = make_customer("Ana García", email="ana@example.com", phone="+34600112233")
    add_interaction(ana, org.bilbao, attributes={"note": "llamó enfadada"})
    add_interaction(ana, org.sevilla, when="2026-04-01 12:00", amount=59.9, currency="EUR")
    old = make_customer("Ana G.", customer_number="CLI-7")
    merge_customers(survivor_id=ana.pk, merged_id=old.pk, actor=actor_of(people.bruno))
    return ana


def test_the_export_holds_every_identity_interaction_and_merge(org: Org, people: People) -> None:
    ana = _ana_with_history(org, people)

    data = export_customer(ana)

    assert data["customer"]["name"] == "Ana García"
    assert len(data["customer"]["former_ids"]) == 1
    assert {(i["kind"], i["value"]) for i in data["identities"]} == {
        ("email", "ana@example.com"),
        ("phone", "+34600112233"),
        ("customer_number", "CLI-7"),
    }
    assert [i["unit"] for i in data["interactions"]] == ["bilbao-centro", "sevilla-nervion"]
    assert data["interactions"][0]["attributes"] == {"note": "llamó enfadada"}
    assert data["interactions"][1]["amount"] == "59.90"
    assert len(data["merges"]) == 1
    json.dumps(data)  # plain JSON all the way down


def test_erasure_removes_what_identifies_the_person_and_keeps_anonymous_facts(
    org: Org, people: People
) -> None:
    ana = _ana_with_history(org, people)

    erasure = erase_customer(customer_id=ana.pk, actor=actor_of(people.alicia), reason="RGPD-42")

    ana.refresh_from_db()
    assert (ana.name, ana.consents, ana.attributes) == ("", {}, {})
    assert ana.erased_at is not None
    assert Identity.objects.count() == 0
    assert Interaction.objects.filter(customer=ana).count() == 2
    assert list(Interaction.objects.values_list("attributes", flat=True)) == [{}, {}]
    assert CustomerMerge.objects.get().snapshot == {"erased": True}
    assert not Customer.objects.exclude(name="").exists()
    assert (erasure.identities_deleted, erasure.interactions_scrubbed) == (3, 1)
    assert not search_customers(actor_of(people.bruno), "600 11 22 33").exists()


def test_erasure_replaces_keys_made_from_the_rows_content(org: Org, people: People) -> None:
    ana = make_customer("Ana", phone="+34600112233")
    add_interaction(ana, org.bilbao, external_id="nk:" + "a" * 40)
    add_interaction(ana, org.bilbao, when="2026-05-01 10:00", external_id="TICKET-9")

    erase_customer(customer_id=ana.pk, actor=actor_of(people.alicia), reason="RGPD-43")

    keys = set(Interaction.objects.values_list("external_id", flat=True))
    assert "TICKET-9" in keys
    assert not any(key.startswith("nk:") for key in keys)
    assert any(key.startswith("erased:") for key in keys)


def test_only_administrators_erase_and_the_page_confirms_first(org: Org, people: People) -> None:
    ana = _ana_with_history(org, people)
    url = reverse("customers:erase", args=[ana.pk])

    refused = client_for(people.bruno).post(url, {"reason": "x" * 5, "confirm": "1"})
    unconfirmed = client_for(people.alicia).post(url, {"reason": "RGPD-42"})

    assert refused.status_code == 403
    assert unconfirmed.status_code == 302
    assert not CustomerErasure.objects.exists()

    done = client_for(people.alicia).post(url, {"reason": "RGPD-42", "confirm": "1"})

    assert done.status_code == 302
    assert CustomerErasure.objects.get().actor_label == "alicia"


def test_the_api_exports_and_erases_with_the_right_permissions(org: Org, people: People) -> None:
    ana = _ana_with_history(org, people)
    analyst, admin = client_for(people.bruno), client_for(people.alicia)

    exported = analyst.get(f"/api/v1/customers/{ana.pk}/export")
    not_allowed = analyst.post(
        f"/api/v1/customers/{ana.pk}/erase", {"reason": "RGPD-42"}, content_type="application/json"
    )
    erased = admin.post(
        f"/api/v1/customers/{ana.pk}/erase", {"reason": "RGPD-42"}, content_type="application/json"
    )

    assert exported.status_code == 200
    assert exported.json()["customer"]["name"] == "Ana García"
    assert not_allowed.status_code == 403
    assert erased.status_code == 200
    assert erased.json()["identities_deleted"] == 3
