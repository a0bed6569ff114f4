"""The case pages: the list with its filters and bulk actions, a case's page worked end to
end through its forms, opening a case by hand, and who may see and do what."""

from typing import Any

from vinculo.accounts.actors import SYSTEM
from vinculo.cases.choices import EventKind, Priority, Status
from vinculo.cases.models import Case, CaseEvent, RootCause
from vinculo.cases.services import resolve, take
from vinculo.cases.testing import opened
from vinculo.test import Org, People, actor_of, at, client_for, make_customer


def test_the_list_shows_the_open_cases_newest_first_and_filters_them(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    opened(org.bilbao, "Cobro doble", now=at("2026-03-02 10:00"))
    opened(org.santander, "Router roto", priority=Priority.HIGH)
    done = opened(org.bilbao, "Ya resuelto")
    resolve(actor=SYSTEM, case=done, root_cause=RootCause.objects.first(), resolution="Hecho")
    client = client_for(people.bruno)
    for number in range(5):
        opened(org.sevilla, f"Relleno {number}", department="billing")

    with django_assert_max_num_queries(12):  # 8 cases listed: no query per row
        page = client.get("/cases/").content.decode()
    high = client.get("/cases/", {"priority": "high"}).content.decode()
    every = client.get("/cases/", {"status": "any", "q": "resuelto"}).content.decode()
    late = client.get("/cases/", {"overdue": "on"}).content.decode()
    norte = client.get("/cases/", {"unit": org.santander.pk}).content.decode()

    assert page.index("Router roto") < page.index("Cobro doble")
    assert "Ya resuelto" not in page
    assert "Router roto" in high and "Cobro doble" not in high
    assert "Ya resuelto" in every and "Router roto" not in every
    assert "Cobro doble" in late and "Router roto" not in late
    assert 'class="overdue"' in late
    assert "Router roto" in norte and "Cobro doble" not in norte


def test_the_owner_filter_finds_mine_and_the_unassigned(org: Org, people: People) -> None:
    mine = opened(org.bilbao, "El mío")
    opened(org.bilbao, "Sin dueño")
    take(actor=actor_of(people.bruno), case=mine)
    client = client_for(people.bruno)

    own = client.get("/cases/", {"owner": "mine"}).content.decode()
    nobody = client.get("/cases/", {"owner": "none"}).content.decode()
    by_id = client.get("/cases/", {"owner": str(people.bruno.pk)}).content.decode()

    assert "El mío" in own and "Sin dueño" not in own
    assert "Sin dueño" in nobody and "El mío" not in nobody
    assert "El mío" in by_id and "Sin dueño" not in by_id


def test_people_see_only_their_units_and_agents_only_their_department(
    org: Org, people: People
) -> None:
    opened(org.sevilla, "Caso de Sevilla")
    opened(org.bilbao, "Factura de Bilbao", department="billing")

    carmen = client_for(people.carmen).get("/cases/").content.decode()  # Norte
    elena = client_for(people.elena).get("/cases/").content.decode()  # billing agent

    assert "Factura de Bilbao" in carmen and "Caso de Sevilla" not in carmen
    assert "Factura de Bilbao" in elena and "Caso de Sevilla" not in elena


def test_a_case_out_of_sight_is_not_found_and_working_needs_the_permission(
    org: Org, people: People
) -> None:
    sevilla = opened(org.sevilla, "Caso de Sevilla")
    bilbao = opened(org.bilbao, "Caso de Bilbao")

    assert client_for(people.carmen).get(f"/cases/{sevilla.pk}/").status_code == 404
    assert client_for(people.carmen).post(f"/cases/{sevilla.pk}/take/").status_code == 404
    viewer_page = client_for(people.fernando).get(f"/cases/{bilbao.pk}/")
    assert viewer_page.status_code == 200
    assert "/take/" not in viewer_page.content.decode()  # no forms for who cannot work it
    assert client_for(people.fernando).post(f"/cases/{bilbao.pk}/take/").status_code == 403
    assert client_for(people.nadie).get("/cases/").status_code == 403
    assert Case.objects.get(pk=bilbao.pk).owner is None


def test_a_bulk_action_changes_each_case_and_names_the_one_it_could_not(
    org: Org, people: People
) -> None:
    first = opened(org.bilbao, "Uno")
    second = opened(org.bilbao, "Dos")
    closed = opened(org.bilbao, "Cerrado")
    resolve(actor=SYSTEM, case=closed, root_cause=RootCause.objects.first(), resolution="Ok")
    hidden = opened(org.sevilla, "De Sevilla")
    client = client_for(people.diego)  # manages Bilbao

    response = client.post(
        "/cases/bulk/",
        {
            "action": "status",
            "status": "waiting",
            "cases": [first.pk, closed.pk, second.pk, hidden.pk],
            "back": "/cases/?priority=normal",
        },
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain[0][0] == "/cases/?priority=normal"
    statuses = dict(Case.objects.values_list("pk", "status"))
    assert statuses[first.pk] == statuses[second.pk] == Status.WAITING
    assert statuses[closed.pk] == Status.RESOLVED  # refused, untouched
    assert statuses[hidden.pk] == Status.NEW
    assert f"#{closed.pk}:" in page and f"#{hidden.pk}:" in page
    assert f"#{first.pk}:" not in page
    assert not CaseEvent.objects.filter(case=closed, kind=EventKind.STATUS, data__to="waiting")


def test_bulk_take_assign_and_priority_go_through_the_services(org: Org, people: People) -> None:
    case = opened(org.bilbao, "Uno", department="billing")
    client = client_for(people.bruno)

    client.post("/cases/bulk/", {"action": "take", "cases": [case.pk]})
    client.post("/cases/bulk/", {"action": "priority", "priority": "high", "cases": [case.pk]})
    client.post("/cases/bulk/", {"action": "assign", "owner": people.elena.pk, "cases": [case.pk]})
    missing = client.post("/cases/bulk/", {"action": "assign", "cases": [case.pk]}, follow=True)

    case.refresh_from_db()
    assert (case.status, case.priority, case.owner) == ("in_progress", "high", people.elena)
    assert "errorlist" not in missing.content.decode()
    assert 'class="error"' in missing.content.decode()


def test_a_case_is_taken_called_resolved_and_reopened_through_its_page(
    org: Org, people: People
) -> None:
    ana = make_customer("Ana Bilbao", phone="+34600112233")
    case = opened(org.bilbao, "Cobro doble", customer=ana, department="billing")
    cause = RootCause.objects.get(name="Cargo duplicado")
    client = client_for(people.elena)
    url = f"/cases/{case.pk}/"

    took = client.post(f"{url}take/")
    client.post(f"{url}contact/", {"channel": "call", "outcome": "reached", "text": "Hablado"})
    client.post(f"{url}note/", {"text": "Nota interna"})
    client.post(f"{url}action/", {"text": "Abono de 20 €"})
    refused = client.post(f"{url}resolve/", {"root_cause": "", "resolution": "Abonado"})
    client.post(f"{url}resolve/", {"root_cause": cause.pk, "resolution": "Abonado"})
    page = client.get(url).content.decode()

    assert took.status_code == 302 and took["Location"] == f"{url}#log"
    assert refused.status_code == 200
    assert 'id="resolve_root_cause_error"' in refused.content.decode()
    case.refresh_from_db()
    assert (case.status, case.owner, case.root_cause) == ("resolved", people.elena, cause)
    assert "Hablado" in page and "Nota interna" in page and "Abono de 20 €" in page
    assert "Facturación &gt; Cargo duplicado" in page
    assert f'href="/customers/{ana.pk}/"' in page
    reopened = client.post(f"{url}reopen/", {"reason": "Sigue cobrando"})
    case.refresh_from_db()
    assert reopened.status_code == 302 and case.status == Status.REOPENED


def test_a_refused_change_is_named_next_to_its_field(org: Org, people: People) -> None:
    case = opened(org.bilbao, "Cobro doble", department="billing")
    client = client_for(people.bruno)
    client.post(f"/cases/{case.pk}/status/", {"status": "waiting"})

    again = client.post(f"/cases/{case.pk}/status/", {"status": "waiting"})
    note = client.post(f"/cases/{case.pk}/note/", {"text": ""})
    assign = client.post(f"/cases/{case.pk}/assign/", {"owner": people.gabriel.pk})

    assert 'id="status_status_error"' in again.content.decode()
    assert 'id="note_text_error"' in note.content.decode()
    assert 'id="assign_owner_error"' in assign.content.decode()  # Sur: not a worker of this case


def test_the_case_page_escapes_what_customers_wrote(org: Org, people: People) -> None:
    ana = make_customer("<b>Ana</b>", phone="+34600112299")
    case = opened(org.bilbao, "<script>alert(1)</script>", customer=ana, description="<i>x</i>")
    client = client_for(people.bruno)
    client.post(f"/cases/{case.pk}/note/", {"text": "<img src=x onerror=alert(2)>"})

    page = client.get(f"/cases/{case.pk}/").content.decode()
    listed = client.get("/cases/").content.decode()

    for html in (page, listed):
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
        assert "<b>Ana</b>" not in html
    assert "<img src=x" not in page and "<i>x</i>" not in page


def test_a_case_is_opened_by_hand_in_a_unit_of_ones_scope(org: Org, people: People) -> None:
    sofia = make_customer("Sofía", phone="+34600000001")
    opened(org.sevilla, "Sofía en Sevilla", customer=sofia)
    client = client_for(people.diego)  # Bilbao
    form = {"title": "Queja en tienda", "unit": org.bilbao.pk, "priority": "normal"}

    outside = client.post("/cases/new/", {**form, "unit": org.sevilla.pk})
    stranger = client.post("/cases/new/", {**form, "customer_id": sofia.pk})
    made = client.post("/cases/new/", form)

    assert outside.status_code == 200 and "errorlist" in outside.content.decode()
    assert "Queja en tienda" not in Case.objects.values_list("title", flat=True)[1:]
    assert stranger.status_code == 200
    case = Case.objects.get(title="Queja en tienda")
    assert made["Location"] == f"/cases/{case.pk}/"
    assert case.created_by_label == "diego" and case.unit == org.bilbao


def test_the_filters_refresh_only_the_results_for_htmx(org: Org, people: People) -> None:
    opened(org.bilbao, "Cobro doble")

    partial = client_for(people.bruno).get("/cases/", {"q": "cobro"}, HTTP_HX_REQUEST="true")

    html = partial.content.decode()
    assert "Cobro doble" in html and "<html" not in html
    assert partial["Vary"].count("HX-Request") == 1
