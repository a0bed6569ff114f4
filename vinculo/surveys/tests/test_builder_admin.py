"""The surveys' settings pages in Django admin (vinculo/surveys/admin.py)."""

from django.urls import reverse

from vinculo.surveys.models import ContactPolicy, Survey
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import live_version
from vinculo.test import Org, People, client_for


def test_the_survey_pages_of_the_admin_open(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    client = client_for(people.alicia)

    for name in ("survey", "distribution", "triggerrule", "invitation", "contactpolicy"):
        assert client.get(reverse(f"admin:surveys_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:surveys_survey_change", args=[survey.pk])).status_code == 200
    filtered = client.get(reverse("admin:surveys_invitation_changelist"), {"status__exact": "sent"})
    assert filtered.status_code == 200


def test_a_surveys_name_is_changed_through_the_service_and_nothing_else(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)

    client_for(people.alicia).post(
        reverse("admin:surveys_survey_change", args=[survey.pk]),
        {
            "name": "Tu visita (tiendas)",
            "public_link": "on",
            "versions-TOTAL_FORMS": "1",
            "versions-INITIAL_FORMS": "1",
            "versions-MIN_NUM_FORMS": "0",
            "versions-MAX_NUM_FORMS": "1000",
            "versions-0-id": str(live_version(survey).pk),
            "versions-0-survey": str(survey.pk),
        },
    )

    survey.refresh_from_db()
    assert (survey.name, survey.public_link, survey.slug) == (
        "Tu visita (tiendas)",
        True,
        "tu-visita",
    )


def test_the_contact_policy_is_edited_but_never_added_twice_or_deleted(people: People) -> None:
    policy = ContactPolicy.objects.get()
    client = client_for(people.alicia)

    client.post(
        reverse("admin:surveys_contactpolicy_change", args=[policy.pk]), {"fatigue_days": "45"}
    )

    assert ContactPolicy.objects.get().fatigue_days == 45
    assert client.get(reverse("admin:surveys_contactpolicy_add")).status_code == 403
    delete = reverse("admin:surveys_contactpolicy_delete", args=[policy.pk])
    assert client.get(delete).status_code == 403


def test_surveys_cannot_be_added_or_deleted_in_the_admin(org: Org, people: People) -> None:
    survey = published_survey(unit=org.bilbao)
    client = client_for(people.alicia)

    assert client.get(reverse("admin:surveys_survey_add")).status_code == 403
    assert client.get(reverse("admin:surveys_survey_delete", args=[survey.pk])).status_code == 403
    assert client.get(reverse("admin:surveys_invitation_add")).status_code == 403
    assert Survey.objects.count() == 1
