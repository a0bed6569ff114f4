"""The contact policy page: the days between two invitations of one customer."""

from django.urls import reverse

from vinculo.surveys.models import ContactPolicy
from vinculo.test import Org, People, client_for


def test_the_fatigue_days_are_shown_and_saved(org: Org, people: People) -> None:
    client = client_for(people.alicia)
    url = reverse("surveys:contact_policy")

    shown = client.get(url).content.decode()
    saved = client.post(url, {"fatigue_days": "45"})

    assert 'value="30"' in shown
    assert saved.status_code == 302
    assert ContactPolicy.objects.get(pk=1).fatigue_days == 45


def test_a_negative_number_of_days_is_refused(org: Org, people: People) -> None:
    response = client_for(people.bruno).post(
        reverse("surveys:contact_policy"), {"fatigue_days": "-3"}
    )

    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert ContactPolicy.objects.get(pk=1).fatigue_days == 30


def test_unit_managers_cannot_change_the_policy(org: Org, people: People) -> None:
    response = client_for(people.carmen).post(
        reverse("surveys:contact_policy"), {"fatigue_days": "1"}
    )

    assert response.status_code == 403
    assert ContactPolicy.objects.get(pk=1).fatigue_days == 30
