"""Routing new cases to the department that can act: round robin and least loaded among
the department's agents who could work the case, its unit managers only when there is no
such agent; nobody eligible leaves it in the department's queue."""

from __future__ import annotations

from django.contrib.auth.models import User

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.choices import Role
from vinculo.accounts.models import Department, Unit
from vinculo.accounts.services import create_person
from vinculo.cases.choices import Assignment
from vinculo.cases.models import AlertRule, Case, RoundRobinCursor
from vinculo.cases.routing import eligible, pick_owner
from vinculo.cases.rule_choices import RuleEvent
from vinculo.cases.rules_services import RuleData, save_rule
from vinculo.cases.tasks import evaluate_alert_rules_task
from vinculo.cases.testing import opened
from vinculo.test import Org, People, add_interaction, client_for, make_customer


def service() -> Department:
    return Department.objects.get(code="customer_service")


def agent(username: str, unit: Unit | None = None, department: str = "customer_service") -> User:
    return create_person(
        username=username,
        password=None,
        role=Role.AGENT,
        unit=unit,
        department=Department.objects.get(code=department),
    )


def test_round_robin_goes_round_the_department_in_username_order(org: Org, people: People) -> None:
    for name in ("carla", "alba", "bea"):
        agent(name)

    picked = [pick_owner(service(), org.bilbao, Assignment.ROUND_ROBIN) for _ in range(4)]

    assert [p.username for p in picked if p] == ["alba", "bea", "carla", "alba"]
    cursor = RoundRobinCursor.objects.get()
    assert (cursor.department, cursor.unit, cursor.last_owner) == (
        service(),
        org.bilbao,
        User.objects.get(username="alba"),
    )


def test_least_loaded_picks_who_owns_fewest_open_cases_and_ties_go_round(
    org: Org, people: People
) -> None:
    alba, bea, carla = agent("alba"), agent("bea"), agent("carla")
    for owner in (alba, alba, carla):
        opened(org.bilbao, owner=owner)
    closed_for_bea = opened(org.bilbao, owner=bea)
    Case.objects.filter(pk=closed_for_bea.pk).update(status="closed")  # not open: no load

    first = pick_owner(service(), org.bilbao, Assignment.LEAST_LOADED)
    opened(org.bilbao, owner=first)
    second = pick_owner(service(), org.bilbao, Assignment.LEAST_LOADED)

    assert first == bea
    # bea and carla now own one open case each: the tie goes to the one after bea.
    assert second == carla


def test_nobody_eligible_leaves_the_case_in_the_department_queue(org: Org, people: People) -> None:
    agent("sur.agente", unit=org.sur)

    owner = pick_owner(service(), org.bilbao, Assignment.ROUND_ROBIN)
    case = opened(org.bilbao, assignment=Assignment.ROUND_ROBIN)

    assert owner is None
    assert case.owner is None and case.department == service()
    assert not RoundRobinCursor.objects.exists()


def test_no_strategy_or_no_department_assigns_nobody(org: Org, people: People) -> None:
    agent("alba")

    assert pick_owner(service(), org.bilbao, Assignment.NONE) is None
    assert pick_owner(None, org.bilbao, Assignment.ROUND_ROBIN) is None


def test_agents_of_another_department_or_unit_are_never_picked(org: Org, people: People) -> None:
    norte = agent("norte.agente", unit=org.norte)
    anywhere = agent("todas.agente")
    agent("sur.agente", unit=org.sur)
    agent("santander.agente", unit=org.santander)
    agent("ventas.agente", department="sales")  # another department
    create_person(
        username="visor", password=None, role=Role.VIEWER, department=service()
    )  # cannot work cases
    gone = agent("baja.agente")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    manager = create_person(
        username="jefa.bilbao", password=None, role=Role.UNIT_MANAGER, unit=org.bilbao
    )
    manager.membership.department = service()
    manager.membership.save(update_fields=["department"])

    found = list(eligible(service(), org.bilbao))
    picked = {pick_owner(service(), org.bilbao, Assignment.ROUND_ROBIN) for _ in range(6)}

    # The department's manager of Bilbao is left out while there are agents.
    assert found == [norte, anywhere]
    assert picked == {norte, anywhere}
    assert manager not in picked
    # diego manages Bilbao but has no department; elena is billing's.
    assert people.diego not in found and people.elena not in found


def manager_of(username: str, unit: Unit) -> User:
    manager = create_person(username=username, password=None, role=Role.UNIT_MANAGER, unit=unit)
    manager.membership.department = service()
    manager.membership.save(update_fields=["department"])
    return manager


def test_cases_go_to_the_departments_agents_and_never_to_its_unit_managers(
    org: Org, people: People
) -> None:
    manager_of("jefa.bilbao", org.bilbao)
    alba = agent("alba", unit=org.bilbao)

    picked = {pick_owner(service(), org.bilbao, strategy) for strategy in Assignment.values * 3}

    assert picked == {alba, None}  # None: the empty strategy assigns nobody


def test_unit_managers_take_the_cases_when_no_agent_is_eligible(org: Org, people: People) -> None:
    manager = manager_of("jefa.bilbao", org.bilbao)
    agent("sur.agente", unit=org.sur)  # not of Bilbao
    agent("ventas.agente", department="sales")  # not of the department

    owner = pick_owner(service(), org.bilbao, Assignment.ROUND_ROBIN)
    case = opened(org.bilbao, assignment=Assignment.LEAST_LOADED)

    assert owner == manager
    assert case.owner == manager


def test_a_rule_with_an_assignment_opens_cases_with_owners(org: Org, people: People) -> None:
    alba, bea = agent("alba"), agent("bea")
    save_rule(
        actor=SYSTEM,
        data=RuleData(
            name="Reclamaciones",
            event=RuleEvent.INTERACTION,
            conditions=[{"field": "interaction_type", "op": "eq", "value": "complaint"}],
            department=service(),
            assignment=Assignment.ROUND_ROBIN,
        ),
    )
    for name in ("Luis", "Marta", "Nuria"):
        customer = make_customer(name)
        add_interaction(customer, org.bilbao, when="2026-03-02 10:00", kind="complaint")

    evaluate_alert_rules_task.call()

    owners = list(Case.objects.order_by("pk").values_list("owner__username", flat=True))
    assert owners == ["alba", "bea", "alba"]
    assert all(c.events.filter(kind="assigned").exists() for c in Case.objects.all())
    assert {alba, bea} == {c.owner for c in Case.objects.all()}


def test_a_more_urgent_rule_without_assignment_keeps_the_other_rules_routing(
    org: Org, people: People
) -> None:
    alba = agent("alba")
    for name, priority, assignment in (
        ("Urgente", "urgent", Assignment.NONE),
        ("Por turnos", "normal", Assignment.ROUND_ROBIN),
    ):
        save_rule(
            actor=SYSTEM,
            data=RuleData(
                name=name,
                event=RuleEvent.INTERACTION,
                conditions=[{"field": "interaction_type", "op": "eq", "value": "complaint"}],
                department=service(),
                priority=priority,
                assignment=assignment,
            ),
        )
    add_interaction(make_customer("Luis"), org.bilbao, when="2026-03-02 10:00", kind="complaint")

    evaluate_alert_rules_task.call()

    case = Case.objects.get()
    assert (case.priority, case.owner) == ("urgent", alba)


def test_the_rules_page_and_api_take_the_assignment_and_show_whole_numbers(
    org: Org, people: People
) -> None:
    bruno = client_for(people.bruno)
    form = {
        "name": "Detractores",
        "event": "response",
        "action": "case",
        "priority": "high",
        "department": service().pk,
        "assignment": "least_loaded",
        "title": "{rule}: {unit}",
        "active": "on",
        "cond_0_field": "nps",
        "cond_0_op": "lte",
        "cond_0_value": "2",
    }

    created = bruno.post("/cases/rules/new/", form)
    rule = AlertRule.objects.get()
    listed = bruno.get("/cases/rules/").content.decode()
    edit = bruno.get(f"/cases/rules/{rule.pk}/").content.decode()
    read = bruno.get(f"/api/v1/alert-rules/{rule.pk}").json()
    replaced = bruno.put(
        f"/api/v1/alert-rules/{rule.pk}",
        {**read, "assignment": "round_robin", "department": "customer_service"},
        content_type="application/json",
    )

    assert created.status_code == 302 and rule.assignment == Assignment.LEAST_LOADED
    assert rule.conditions[0]["value"] == 2.0  # stored as a number, shown as written
    assert "NPS (0-10)" in listed and " 2</td>" in listed and "2.0" not in listed
    assert 'value="2"' in edit
    assert read["assignment"] == "least_loaded" and read["conditions"][0]["value"] == 2
    assert replaced.json()["assignment"] == "round_robin"
