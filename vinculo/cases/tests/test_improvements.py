"""Improvement actions: promoting a root cause, moving an action through its statuses,
telling its owner, who sees which, and the pages and API that do the same."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vinculo.accounts import middleware
from vinculo.accounts.actors import SYSTEM, Actor
from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key
from vinculo.cases.choices import ImprovementStatus, NotificationKind
from vinculo.cases.deadlines import CaseError
from vinculo.cases.improvements import NewImprovement, improvements_for, promote, update
from vinculo.cases.improvements_forms import ImprovementFilterForm
from vinculo.cases.models import ImprovementAction, Notification, RootCause
from vinculo.cases.services import resolve
from vinculo.cases.testing import opened
from vinculo.test import Org, People, actor_of, at, client_for

API = "/api/v1/improvements"


@pytest.fixture
def cause(db: None) -> RootCause:
    return RootCause.objects.get(name="Cargo duplicado")


def _promote(people: People, cause: RootCause, **extra) -> ImprovementAction:
    data = NewImprovement(
        **{"root_cause": cause, "title": "Revisar el cobro", "owner": people.carmen, **extra}
    )
    return promote(actor=actor_of(people.bruno), data=data, now=at("2026-03-02 10:00"))


def test_promoting_a_root_cause_opens_an_action_and_tells_its_owner(org: Org, people, cause):
    action = _promote(people, cause, unit=org.norte, due_on=date(2026, 4, 30))

    assert (action.status, action.owner, action.unit, action.created_by) == (
        ImprovementStatus.OPEN,
        people.carmen,
        org.norte,
        people.bruno,
    )
    notice = Notification.objects.get(recipient=people.carmen)
    assert notice.kind == NotificationKind.IMPROVEMENT
    assert notice.key == f"improvement-{action.pk}-owner-{people.carmen.pk}"


def test_the_owner_must_see_cases_and_the_actions_unit(org: Org, people, cause):
    with pytest.raises(CaseError) as nobody:
        _promote(people, cause, owner=people.nadie)
    with pytest.raises(CaseError) as elsewhere:
        _promote(people, cause, owner=people.diego, unit=org.sevilla)

    assert (nobody.value.field, elsewhere.value.field) == ("owner", "owner")
    assert not ImprovementAction.objects.exists()
    assert not Notification.objects.exists()


def test_an_action_goes_open_in_progress_done_and_done_needs_an_outcome(org, people, cause):
    bruno = actor_of(people.bruno)
    action = _promote(people, cause)

    update(actor=bruno, action=action, status=ImprovementStatus.IN_PROGRESS)
    with pytest.raises(CaseError) as no_outcome:
        update(actor=bruno, action=action, status=ImprovementStatus.DONE)
    done = update(
        actor=bruno,
        action=action,
        status=ImprovementStatus.DONE,
        outcome="Cobros duplicados -80 %",
        now=at("2026-04-01 09:00"),
    )
    with pytest.raises(CaseError) as final:
        update(actor=bruno, action=action, status=ImprovementStatus.IN_PROGRESS)

    assert no_outcome.value.field == "outcome"
    assert (done.status, done.done_at, done.outcome) == (
        ImprovementStatus.DONE,
        at("2026-04-01 09:00"),
        "Cobros duplicados -80 %",
    )
    assert final.value.field == "status"


def test_a_new_owner_is_told_once(org, people, cause):
    bruno = actor_of(people.bruno)
    action = _promote(people, cause)

    update(actor=bruno, action=action, owner=people.gabriel)
    update(actor=bruno, action=action, owner=people.gabriel)

    assert Notification.objects.filter(recipient=people.gabriel).count() == 1
    assert ImprovementAction.objects.get(pk=action.pk).owner == people.gabriel


def test_people_see_company_wide_actions_those_of_their_units_and_their_own(org, people, cause):
    company = _promote(people, cause, title="Empresa", owner=people.bruno)
    norte = _promote(people, cause, title="Norte", owner=people.bruno, unit=org.norte)
    sur = _promote(people, cause, title="Sur", owner=people.gabriel, unit=org.sur)

    def seen(person):
        return {a.title for a in improvements_for(actor_of(person))}

    assert seen(people.carmen) == {company.title, norte.title}
    assert seen(people.gabriel) == {company.title, sur.title}
    assert seen(people.bruno) == {"Empresa", "Norte", "Sur"}
    assert seen(people.nadie) == set()


# -- pages ---------------------------------------------------------------------------------


def test_an_analyst_promotes_a_root_cause_from_the_page(org, people, cause):
    client = client_for(people.bruno)

    form = client.get(f"/cases/improvements/new/?root_cause={cause.pk}")
    response = client.post(
        "/cases/improvements/new/",
        {"root_cause": cause.pk, "title": "Revisar", "owner": people.carmen.pk, "unit": "norte"},
    )

    assert form.status_code == 200
    assert f'<option value="{cause.pk}" selected>' in form.content.decode()
    action = ImprovementAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/improvements/{action.pk}/"
    assert (action.title, action.owner, action.unit) == ("Revisar", people.carmen, org.norte)


def test_the_page_names_the_fields_it_refuses(org, people, cause):
    client = client_for(people.bruno)

    missing = client.post("/cases/improvements/new/", {"root_cause": cause.pk, "title": ""})
    refused = client.post(
        "/cases/improvements/new/",
        {"root_cause": cause.pk, "title": "X", "owner": people.diego.pk, "unit": "sevilla-nervion"},
    )

    for response in (missing, refused):
        assert response.status_code == 200
    assert 'data-error-for="title"' in missing.content.decode()
    assert 'data-error-for="owner"' in missing.content.decode()
    assert 'data-error-for="owner"' in refused.content.decode()
    assert not ImprovementAction.objects.exists()


def test_an_actions_page_moves_it_on_and_asks_for_the_outcome(org, people, cause):
    action = _promote(people, cause)
    client = client_for(people.bruno)
    url = f"/cases/improvements/{action.pk}/"

    refused = client.post(url, {"status": "done", "owner": people.carmen.pk})
    done = client.post(url, {"status": "done", "owner": people.carmen.pk, "outcome": "Hecho"})

    assert 'data-error-for="outcome"' in refused.content.decode()
    assert done.status_code == 302
    assert ImprovementAction.objects.get(pk=action.pk).status == ImprovementStatus.DONE


def test_without_manage_cases_one_reads_actions_but_cannot_change_them(org, people, cause):
    action = _promote(people, cause, unit=org.norte)
    carmen = client_for(people.carmen)
    diego = client_for(people.diego)

    assert carmen.get("/cases/improvements/").status_code == 200
    assert carmen.get(f"/cases/improvements/{action.pk}/").status_code == 200
    assert carmen.post(f"/cases/improvements/{action.pk}/", {"status": "done"}).status_code == 403
    assert carmen.get("/cases/improvements/new/").status_code == 403
    assert client_for(people.gabriel).get(f"/cases/improvements/{action.pk}/").status_code == 404
    # Bilbao's manager sees his subtree's actions, not the region's above it.
    assert diego.get(f"/cases/improvements/{action.pk}/").status_code == 404


def test_the_list_filters_by_status_and_counts_the_causes_cases(org, people, cause):
    recently = timezone.now() - timedelta(days=2)  # inside the default 90 days
    case = opened(org.bilbao, now=recently - timedelta(hours=2))
    resolve(actor=SYSTEM, case=case, root_cause=cause, resolution="Ok", now=recently)
    kept = _promote(people, cause)
    dropped = _promote(people, cause, title="Otra")
    update(actor=actor_of(people.bruno), action=dropped, status=ImprovementStatus.DROPPED)
    client = client_for(people.carmen)

    every = client.get("/cases/improvements/").content.decode()
    open_only = client.get("/cases/improvements/", {"status": "open"}).content.decode()

    march = client.get("/cases/improvements/", {"since": "2026-03-01", "until": "2026-03-31"})
    assert every.count('data-testid="improvement-row"') == 2
    assert f'data-id="{kept.pk}" data-status="open" data-cases="0"' in march.content.decode()
    assert f'data-id="{kept.pk}" data-status="open" data-cases="1"' in open_only
    assert f'data-id="{dropped.pk}"' not in open_only


# -- API ------------------------------------------------------------------------------------


def test_the_api_creates_reads_lists_and_changes_actions(org, people, cause):
    client = client_for(people.bruno)
    body = {"root_cause": cause.pk, "title": "Revisar", "owner": "carmen", "unit": "norte"}

    created = client.post(API, body, content_type="application/json")
    action_id = created.json()["id"]
    listed = client.get(API, {"status": "open"})
    changed = client.patch(
        f"{API}/{action_id}", {"status": "in_progress"}, content_type="application/json"
    )
    read = client.get(f"{API}/{action_id}")

    assert created.status_code == 201
    assert created.json()["root_cause_path"] == "Facturación > Cargo duplicado"
    assert [item["id"] for item in listed.json()["items"]] == [action_id]
    assert changed.status_code == 200
    assert (read.json()["status"], read.json()["owner"], read.json()["unit"]) == (
        "in_progress",
        "carmen",
        "norte",
    )


def test_the_api_names_the_fields_it_refuses_and_needs_manage_cases(org, people, cause):
    client = client_for(people.bruno)
    action = _promote(people, cause)

    unknown = client.post(
        API,
        {"root_cause": cause.pk, "title": "X", "owner": "nobody"},
        content_type="application/json",
    )
    no_outcome = client.patch(
        f"{API}/{action.pk}", {"status": "done"}, content_type="application/json"
    )
    carmen = client_for(people.carmen).post(
        API,
        {"root_cause": cause.pk, "title": "X", "owner": "carmen"},
        content_type="application/json",
    )

    assert (unknown.status_code, unknown.json()["detail"][0]["field"]) == (422, "owner")
    assert (no_outcome.status_code, no_outcome.json()["detail"][0]["field"]) == (422, "outcome")
    assert carmen.status_code == 403


def test_the_list_page_and_api_cost_the_same_queries_for_more_actions(org, people, cause):
    client = client_for(people.bruno)
    _promote(people, cause, unit=org.norte)

    def cost(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = (cost("/cases/improvements/"), cost(API))
    for title in ("Dos", "Tres", "Cuatro"):
        other = RootCause.objects.get(name="Avería")
        _promote(people, other, title=title, owner=people.gabriel, unit=org.sur)

    assert (cost("/cases/improvements/"), cost(API)) == few


# -- scope: people and keys limited to units ----------------------------------------------


def _bilbao_key(org: Org, people: People) -> Client:
    _key, token = create_api_key(
        name="bilbao-pos",
        scopes=[p.value for p in Perm if p is not Perm.MANAGE_API_KEYS],
        created_by=people.alicia,
        unit=org.bilbao,
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _managing(actor: Actor) -> Actor:
    # No role both manages cases and is limited to units today; a unit manager given
    # cases.manage is what the rules must hold for all the same.
    return replace(actor, perms=actor.perms | {Perm.MANAGE_CASES})


def test_a_key_limited_to_bilbao_makes_actions_only_in_its_units(org, people, cause):
    key = _bilbao_key(org, people)
    body = {"root_cause": cause.pk, "title": "X", "owner": "diego"}

    company_wide = key.post(API, body, content_type="application/json")
    elsewhere = key.post(API, {**body, "unit": "norte"}, content_type="application/json")
    bilbao = key.post(API, {**body, "unit": "bilbao-centro"}, content_type="application/json")

    assert (company_wide.status_code, company_wide.json()["detail"][0]["field"]) == (422, "unit")
    assert (elsewhere.status_code, elsewhere.json()["detail"][0]["field"]) == (422, "unit")
    assert bilbao.status_code == 201
    assert list(ImprovementAction.objects.values_list("unit__code", flat=True)) == ["bilbao-centro"]


def test_a_key_limited_to_bilbao_reads_company_wide_actions_but_cannot_change_them(
    org, people, cause
):
    key = _bilbao_key(org, people)
    company = _promote(people, cause, owner=people.bruno)
    sevilla = _promote(people, cause, owner=people.gabriel, unit=org.sevilla)
    bilbao = _promote(people, cause, owner=people.diego, unit=org.bilbao)
    change = {"status": "in_progress"}

    read = key.get(f"{API}/{company.pk}")
    refused = key.patch(f"{API}/{company.pk}", change, content_type="application/json")
    hidden = key.patch(f"{API}/{sevilla.pk}", change, content_type="application/json")
    own = key.patch(f"{API}/{bilbao.pk}", change, content_type="application/json")

    assert (read.status_code, refused.status_code, hidden.status_code) == (200, 403, 404)
    assert own.status_code == 200
    assert ImprovementAction.objects.get(pk=company.pk).status == ImprovementStatus.OPEN


def test_a_unit_manager_keeps_to_their_units_on_the_pages_and_in_the_service(
    org, people, cause, monkeypatch
):
    monkeypatch.setattr(middleware, "actor_for_user", lambda user: _managing(actor_of(user)))
    carmen = _managing(actor_of(people.carmen))
    client = client_for(people.carmen)
    company = _promote(people, cause, owner=people.bruno)
    url = f"/cases/improvements/{company.pk}/"
    form = {"root_cause": cause.pk, "title": "X", "owner": people.carmen.pk}

    no_unit = client.post("/cases/improvements/new/", form)
    in_norte = client.post("/cases/improvements/new/", {**form, "unit": "bilbao-centro"})
    page = client.get(url)
    refused = client.post(url, {"status": "done", "outcome": "x", "owner": people.bruno.pk})
    with pytest.raises(CaseError) as service:
        update(actor=carmen, action=company, status=ImprovementStatus.DROPPED)
    with pytest.raises(CaseError) as wide:
        promote(actor=carmen, data=NewImprovement(cause, "Y", people.carmen))

    assert 'data-error-for="unit"' in no_unit.content.decode()
    assert in_norte.status_code == 302
    assert (page.status_code, 'name="outcome"' in page.content.decode()) == (200, False)
    assert refused.status_code == 403
    assert (service.value.field, wide.value.field) == ("unit", "unit")
    assert ImprovementAction.objects.get(pk=company.pk).status == ImprovementStatus.OPEN
    assert ImprovementAction.objects.filter(unit__isnull=False).count() == 1


# -- owner filter ---------------------------------------------------------------------------


def test_filtering_by_an_unknown_owner_gives_an_empty_list_not_an_error(org, people, cause):
    _promote(people, cause)
    client = client_for(people.bruno)

    unknown = client.get(API, {"owner": "nobody"})
    real_but_none = client.get(API, {"owner": "alicia"})
    carmen = client.get(API, {"owner": "carmen"})

    assert (unknown.status_code, unknown.json()["count"]) == (200, 0)
    assert (real_but_none.status_code, real_but_none.json()["count"]) == (200, 0)
    assert (carmen.status_code, carmen.json()["count"]) == (200, 1)


def test_the_owner_filter_lists_only_owners_of_actions_one_sees(org, people, cause):
    _promote(people, cause, owner=people.carmen, unit=org.norte)
    _promote(people, cause, owner=people.gabriel, unit=org.sur)

    def owners(person):
        form = ImprovementFilterForm(actor=actor_of(person))
        field: Any = form.fields["owner"]
        return [value for value, _label in field.choices]

    assert owners(people.gabriel) == ["", "gabriel"]
    assert owners(people.bruno) == ["", "carmen", "gabriel"]
    page = client_for(people.gabriel).get("/cases/improvements/").content.decode()
    assert "carmen" not in page


# -- pagination -----------------------------------------------------------------------------


def test_the_list_page_goes_on_past_its_first_page_and_says_how_many(org, people, cause):
    for number in range(51):
        _promote(people, cause, title=f"Acción {number}")
    client = client_for(people.bruno)

    first = client.get("/cases/improvements/").content.decode()
    second = client.get("/cases/improvements/", {"page": 2}).content.decode()

    assert first.count('data-testid="improvement-row"') == 50
    assert second.count('data-testid="improvement-row"') == 1
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert "51" in first.split('data-testid="improvement-count"')[1].split("</p>")[0]
