"""Trigger rule pages: list, create for a survey, edit, pause and activate."""

from typing import Any

from django.urls import reverse

from vinculo.journeys.models import Channel, InteractionType
from vinculo.surveys.models import TriggerRule
from vinculo.surveys.testing import published_survey
from vinculo.surveys.triggers import create_trigger_rule
from vinculo.test import Org, People, client_for


def _form(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Tras una reclamación",
        "interaction_type": InteractionType.objects.get(code="complaint").pk,
        "interaction_channel": Channel.objects.get(code="call_centre").pk,
        "channel": "sms",
        "delay_hours": "2",
        "max_age_hours": "48",
        "reminder_after_days": "",
        "expires_after_days": "7",
        **changes,
    }


def test_a_rule_is_created_for_a_survey_and_listed(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    client = client_for(people.bruno)

    created = client.post(reverse("surveys:trigger_create", args=[survey.pk]), _form())
    listing = client.get(reverse("surveys:triggers")).content.decode()

    assert created.status_code == 302
    rule = TriggerRule.objects.get()
    assert (rule.survey_id, rule.channel, rule.delay_hours, rule.active) == (
        survey.pk,
        "sms",
        2,
        True,
    )
    assert "Tras una reclamación" in listing


def test_a_rule_is_edited_paused_and_activated_again(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    rule = create_trigger_rule(
        survey=survey,
        name="Soporte",
        interaction_type=InteractionType.objects.get(code="support"),
        channel="email",
    )
    client = client_for(people.alicia)

    client.post(reverse("surveys:trigger_edit", args=[rule.pk]), _form(name="Soporte (SMS)"))
    client.post(reverse("surveys:trigger_toggle", args=[rule.pk]))
    rule.refresh_from_db()
    assert (rule.name, rule.active) == ("Soporte (SMS)", False)
    client.post(reverse("surveys:trigger_toggle", args=[rule.pk]))
    rule.refresh_from_db()
    assert rule.active


def test_an_invalid_rule_names_the_field(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)

    response = client_for(people.bruno).post(
        reverse("surveys:trigger_create", args=[survey.pk]), _form(delay_hours="-1")
    )

    assert response.status_code == 400
    assert 'id="id_delay_hours"' in response.content.decode()
    assert "errorlist" in response.content.decode()
    assert not TriggerRule.objects.exists()


def test_people_without_the_permission_cannot_create_or_toggle_rules(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)
    rule = create_trigger_rule(
        survey=survey,
        name="Soporte",
        interaction_type=InteractionType.objects.get(code="support"),
        channel="email",
    )
    client = client_for(people.diego)

    assert (
        client.post(reverse("surveys:trigger_create", args=[survey.pk]), _form()).status_code == 403
    )
    assert client.post(reverse("surveys:trigger_toggle", args=[rule.pk])).status_code == 403
    assert TriggerRule.objects.get().active


def test_the_rule_list_takes_a_fixed_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    survey = published_survey(unit=org.bilbao)
    for i in range(10):
        create_trigger_rule(
            survey=survey,
            name=f"Regla {i}",
            interaction_type=InteractionType.objects.get(code="support"),
            interaction_channel=Channel.objects.get(code="web"),
            channel="email",
        )
    client = client_for(people.bruno)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("surveys:triggers"))

    assert response.content.decode().count("Regla ") == 10
