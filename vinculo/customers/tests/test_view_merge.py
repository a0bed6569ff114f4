from django.conf import settings
from django.test import Client
from django.urls import reverse

from vinculo.accounts.actors import actor_for_user
from vinculo.customers.models import Customer, CustomerMerge, Identity
from vinculo.customers.services import merge_customers
from vinculo.journeys.models import Interaction
from vinculo.test import Org, People, add_interaction, client_for, make_customer


def url(customer: Customer) -> str:
    return reverse("customers:merge", args=[customer.pk])


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_searching_an_identity_lists_the_duplicate_but_not_the_survivor(people: People) -> None:
    survivor = make_customer("Ana Ruiz", email="ana@example.com")
    duplicate = make_customer("A. Ruiz", phone="+34600112233")

    response = client_for(people.bruno).get(url(survivor), {"q": "600 11 22 33"})

    assert response.context["candidates"] == [duplicate]


def test_a_customer_id_finds_the_duplicate_too(people: People) -> None:
    survivor = make_customer("Ana Ruiz")
    duplicate = make_customer("Zoe Ortega")

    response = client_for(people.bruno).get(url(survivor), {"q": f"#{duplicate.pk}"})

    assert response.context["candidates"] == [duplicate]


def test_choosing_a_duplicate_shows_both_profiles_side_by_side(org: Org, people: People) -> None:
    survivor = make_customer("Ana Ruiz", email="ana@example.com")
    duplicate = make_customer("A. Ruiz", phone="+34600112233")
    add_interaction(duplicate, org.bilbao)

    response = client_for(people.bruno).get(url(survivor), {"merged": str(duplicate.pk)})

    html = response.content.decode()
    assert response.context["candidate"].customer == duplicate
    assert "ana@example.com" in html
    assert "+34600112233" in html
    assert 'name="reason"' in html
    assert f'name="merged_id" value="{duplicate.pk}"' in html


def test_merging_moves_identities_and_interactions_and_says_how_many(
    org: Org, people: People
) -> None:
    survivor = make_customer("Ana Ruiz", email="ana@example.com")
    duplicate = make_customer("A. Ruiz", phone="+34600112233", customer_number="C-1")
    for n in range(3):
        add_interaction(duplicate, org.bilbao, external_id=f"d{n}")
    client = english(client_for(people.bruno))

    response = client.post(url(survivor), {"merged_id": duplicate.pk, "reason": "Mismo teléfono"})

    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[survivor.pk])
    assert Identity.objects.filter(customer=survivor).count() == 3
    assert Interaction.objects.filter(customer=survivor).count() == 3
    assert Customer.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
    merge = CustomerMerge.objects.get(merged=duplicate)
    assert (merge.reason, merge.actor_label) == ("Mismo teléfono", "bruno")
    page = client.get(response["Location"]).content.decode()
    assert "2 identities and 3 interactions moved to this customer." in page


def test_a_customer_cannot_be_merged_into_itself(people: People) -> None:
    survivor = make_customer("Ana Ruiz")

    response = english(client_for(people.bruno)).post(
        url(survivor), {"merged_id": survivor.pk, "reason": "x"}
    )

    assert response.status_code == 200
    assert (
        "Customer to merge: a customer cannot be merged into itself." in response.content.decode()
    )
    assert not CustomerMerge.objects.exists()


def test_a_customer_already_merged_away_cannot_be_merged_again(people: People) -> None:
    survivor = make_customer("Ana Ruiz")
    other = make_customer("Otra Ana")
    duplicate = make_customer("A. Ruiz")
    merge_customers(
        survivor_id=other.pk, merged_id=duplicate.pk, actor=actor_for_user(people.bruno)
    )

    response = english(client_for(people.bruno)).post(
        url(survivor), {"merged_id": duplicate.pk, "reason": "x"}
    )

    assert response.status_code == 200
    assert "Customer to merge: there is no such customer" in response.content.decode()
    assert CustomerMerge.objects.count() == 1


def test_a_merge_needs_a_reason(people: People) -> None:
    survivor = make_customer("Ana Ruiz")
    duplicate = make_customer("A. Ruiz")

    response = english(client_for(people.bruno)).post(
        url(survivor) + f"?merged={duplicate.pk}", {"merged_id": duplicate.pk, "reason": ""}
    )

    assert response.status_code == 200
    assert "Reason for the merge: This field is required." in response.content.decode()
    assert not CustomerMerge.objects.exists()


def test_a_merged_away_survivor_has_no_merge_page(people: People) -> None:
    survivor = make_customer("Ana Ruiz")
    gone = make_customer("A. Ruiz")
    merge_customers(survivor_id=survivor.pk, merged_id=gone.pk, actor=actor_for_user(people.bruno))

    assert client_for(people.bruno).get(url(gone)).status_code == 404


def test_people_who_may_not_merge_are_forbidden(people: People) -> None:
    survivor = make_customer("Ana Ruiz")
    duplicate = make_customer("A. Ruiz")

    for person in (people.carmen, people.elena, people.fernando, people.nadie):
        client = client_for(person)
        assert client.get(url(survivor)).status_code == 403
        posted = client.post(url(survivor), {"merged_id": duplicate.pk, "reason": "x"})
        assert posted.status_code == 403
    assert not CustomerMerge.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(db: None) -> None:
    survivor = make_customer("Ana Ruiz")

    response = Client().get(url(survivor))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
