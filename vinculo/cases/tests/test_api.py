"""The cases API: list with filters, open by hand, read one with its log, work it; a
refusal is a 422 naming its field, a case out of scope a 404, no permission a 403."""

from typing import Any

from vinculo.cases.choices import Priority
from vinculo.cases.models import Case, RootCause
from vinculo.cases.testing import opened
from vinculo.test import Org, People, at, client_for, make_customer

A = "/api/v1/cases"


def _post(client: Any, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def test_the_list_filters_and_pages_the_cases_in_scope(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    opened(org.bilbao, "Cobro doble", department="billing", now=at("2026-03-02 10:00"))
    opened(org.santander, "Router roto", priority=Priority.HIGH)
    opened(org.sevilla, "De Sevilla")
    client = client_for(people.carmen)  # Norte

    with django_assert_max_num_queries(8):  # however many rows: no query per case
        everything = client.get(f"{A}?limit=50").json()
    listed = client.get(f"{A}?limit=1").json()
    billing = client.get(f"{A}?department=billing").json()
    late = client.get(f"{A}?overdue=true").json()
    bad = client.get(f"{A}?unit=sevilla-nervion")

    assert len(everything["items"]) == 2
    assert listed["count"] == 2 and [c["title"] for c in listed["items"]] == ["Router roto"]
    assert [c["title"] for c in billing["items"]] == ["Cobro doble"]
    assert [c["title"] for c in late["items"]] == ["Cobro doble"]
    assert late["items"][0]["overdue"] is True
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "unit"


def test_a_case_is_opened_taken_called_and_resolved_through_the_api(
    org: Org, people: People
) -> None:
    ana = make_customer("Ana", phone="+34600112233")
    client = client_for(people.elena)  # billing agent
    cause = RootCause.objects.get(name="Cargo duplicado")

    made = _post(
        client,
        A,
        {
            "title": "Cobro doble",
            "unit": "bilbao-centro",
            "department": "billing",
            "customer_id": ana.pk,
        },
    )
    case_id = made.json()["id"]
    _post(client, f"{A}/{case_id}/take")
    _post(client, f"{A}/{case_id}/contacts", {"channel": "call", "outcome": "reached"})
    _post(client, f"{A}/{case_id}/notes", {"text": "Privado"})
    _post(client, f"{A}/{case_id}/actions", {"text": "Abono"})
    _post(client, f"{A}/{case_id}/priority", {"priority": "high"})
    missing = _post(client, f"{A}/{case_id}/resolve", {"resolution": "Abonado"})
    done = _post(client, f"{A}/{case_id}/resolve", {"root_cause": cause.pk, "resolution": "Ok"})
    again = _post(client, f"{A}/{case_id}/status", {"status": "waiting"})
    reopened = _post(client, f"{A}/{case_id}/reopen", {"reason": "Sigue mal"})
    read = client.get(f"{A}/{case_id}").json()

    assert made.status_code == 201 and made.json()["customer_id"] == ana.pk
    assert missing.status_code == 422 and missing.json()["detail"][0]["field"] == "root_cause"
    assert done.json()["status"] == "resolved" and done.json()["root_cause"] == cause.pk
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == "status"
    assert reopened.json()["status"] == "reopened"
    kinds = [e["kind"] for e in read["events"]]
    assert kinds[0] == "opened" and "contact" in kinds and "note" in kinds
    assert read["owner"] == "elena" and read["priority"] == "high"


def test_assigning_to_someone_who_cannot_work_the_case_names_the_owner(
    org: Org, people: People
) -> None:
    case = opened(org.bilbao, "Queja")  # customer service
    client = client_for(people.bruno)

    elena = _post(client, f"{A}/{case.pk}/assign", {"owner": "elena"})  # billing
    nobody = _post(client, f"{A}/{case.pk}/assign", {"owner": "nadie-existe"})
    diego = _post(client, f"{A}/{case.pk}/assign", {"owner": "diego"})

    assert elena.status_code == 422 and elena.json()["detail"][0]["field"] == "owner"
    assert nobody.status_code == 422 and nobody.json()["detail"][0]["field"] == "owner"
    assert diego.status_code == 200 and diego.json()["owner"] == "diego"


def test_out_of_scope_is_not_found_and_no_permission_is_forbidden(org: Org, people: People) -> None:
    case = opened(org.sevilla, "De Sevilla")

    assert client_for(people.carmen).get(f"{A}/{case.pk}").status_code == 404
    assert _post(client_for(people.carmen), f"{A}/{case.pk}/take").status_code == 404
    assert _post(client_for(people.fernando), f"{A}/{case.pk}/take").status_code == 403
    assert client_for(people.nadie).get(A).status_code == 403
    assert Case.objects.get(pk=case.pk).owner is None


def test_root_causes_are_listed_with_their_path(people: People) -> None:
    causes = client_for(people.fernando).get(f"{A}/root-causes").json()

    paths = [c["path"] for c in causes]
    assert "Facturación > Cargo duplicado" in paths and "Facturación" in paths
    child = next(c for c in causes if c["path"] == "Facturación > Cargo duplicado")
    assert child["name"] == "Cargo duplicado" and child["parent"] is not None
