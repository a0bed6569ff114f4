"""Personal data rights: a full export, and an erasure that keeps only anonymous facts."""

import json

from django.urls import reverse

from vinculo.customers.models import Customer, CustomerErasure, CustomerMerge, Identity
from vinculo.customers.privacy import erase_customer, export_customer
from vinculo.customers.queries import search_customers
from vinculo.customers.services import merge_customers
from vinculo.journeys.models import Interaction
from vinculo.surveys.corrections import correct_response
from vinculo.surveys.models import Answer, ResponseChange
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered
from vinculo.test import Org, People, actor_of, add_interaction, client_for, make_customer
from vinculo.textan.models import TextAnalysis
from vinculo.textan.services import ERASED
from vinculo.textan.tasks import analyze_texts_task


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


def test_what_a_customer_typed_into_surveys_is_exported_and_then_erased(
    org: Org, people: People
) -> None:
    ana = make_customer("Ana García", email="ana@example.com")
    survey = published_survey(unit=org.bilbao)
    response = answered(
        survey,
        org.bilbao,
        {"nps": 3, "csat": 2, "mejora": "Llamadme al 600 11 22 33, fatal"},
        customer=ana,
    )
    analyze_texts_task.call()
    correct_response(
        actor=actor_of(people.alicia),
        response_id=response.pk,
        answers={"mejora": "Soy Ana García, fatal la espera"},
        reason="typo",
    )
    analyze_texts_task.call()

    exported = export_customer(ana)["responses"]

    assert exported[0]["survey"] == "Tu visita"
    assert exported[0]["answers"] == {
        "nps": 3,
        "csat": 2,
        "mejora": "Soy Ana García, fatal la espera",
    }

    erase_customer(customer_id=ana.pk, actor=actor_of(people.alicia), reason="RGPD-44")

    answers = dict(Answer.objects.values_list("question__key", "text"))
    assert answers["mejora"] == ""
    assert Answer.objects.get(question__key="nps").number == 3  # the score stays for metrics
    change = ResponseChange.objects.get()
    assert change.before["answers"] == {"nps": 3, "csat": 2, "mejora": ""}
    analysis = TextAnalysis.objects.get(answer__question__key="mejora")
    assert analysis.sentiment in ("negative", "very_negative")  # what it said stays
    assert (analysis.evidence, analysis.text_digest) == ([], ERASED)
    analyze_texts_task.call()  # the erased text is never read again as new
    assert TextAnalysis.objects.get(pk=analysis.pk).sentiment == analysis.sentiment


def test_erasing_one_customer_leaves_what_others_typed(org: Org, people: People) -> None:
    ana, luis = (
        make_customer("Ana", phone="+34600112233"),
        make_customer("Luis", phone="+34600445566"),
    )
    survey = published_survey(unit=org.bilbao)
    answered(survey, org.bilbao, {"nps": 3, "csat": 2, "mejora": "de Ana"}, customer=ana)
    answered(survey, org.bilbao, {"nps": 4, "csat": 2, "mejora": "de Luis"}, customer=luis)
    answered(survey, org.bilbao, {"nps": 5, "csat": 2, "mejora": "anónimo"})

    erase_customer(customer_id=ana.pk, actor=actor_of(people.alicia), reason="RGPD-45")

    texts = set(Answer.objects.filter(question__key="mejora").values_list("text", flat=True))
    assert texts == {"", "de Luis", "anónimo"}
