from django.urls import reverse

from vinculo.accounts.actors import actor_for_user
from vinculo.customers.choices import LifecycleStage
from vinculo.customers.models import Customer
from vinculo.customers.services import merge_customers
from vinculo.test import People, client_for, make_customer


def test_the_customer_pages_of_the_admin_open(people: People) -> None:
    survivor = make_customer("Ana Ruiz", email="ana@example.com")
    merged = make_customer("A. Ruiz", phone="600112233")
    merge = merge_customers(
        survivor_id=survivor.pk, merged_id=merged.pk, actor=actor_for_user(people.bruno)
    )
    client = client_for(people.alicia)

    assert client.get(reverse("admin:customers_customer_changelist")).status_code == 200
    found = client.get(reverse("admin:customers_customer_changelist"), {"q": "ana@example.com"})
    assert list(found.context["cl"].result_list) == [survivor]
    assert (
        client.get(reverse("admin:customers_customer_change", args=[survivor.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:customers_customermerge_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:customers_customermerge_change", args=[merge.pk])).status_code
        == 200
    )


def test_editing_a_profile_in_the_admin_goes_through_the_service(people: People) -> None:
    customer = make_customer("Ana Ruiz", email="ana@example.com")

    response = client_for(people.alicia).post(
        reverse("admin:customers_customer_change", args=[customer.pk]),
        {
            "name": "Ana Ruiz Gil",
            "lifecycle_stage": LifecycleStage.AT_RISK,
            "segment": "Residencial",
            "plan": "",
            "value_tier": "",
            "language": "es",
            "identities-TOTAL_FORMS": "1",
            "identities-INITIAL_FORMS": "1",
            "identities-MIN_NUM_FORMS": "0",
            "identities-MAX_NUM_FORMS": "1000",
            "identities-0-id": str(customer.identities.get().pk),
            "identities-0-customer": str(customer.pk),
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    customer.refresh_from_db()
    assert (customer.name, customer.lifecycle_stage) == ("Ana Ruiz Gil", LifecycleStage.AT_RISK)
    assert customer.identities.get().value == "ana@example.com"


def test_customers_cannot_be_added_or_deleted_in_the_admin(people: People) -> None:
    customer = make_customer("Ana Ruiz")
    client = client_for(people.alicia)

    assert client.get(reverse("admin:customers_customer_add")).status_code == 403
    assert (
        client.post(reverse("admin:customers_customer_delete", args=[customer.pk])).status_code
        == 403
    )
    assert Customer.objects.filter(pk=customer.pk).exists()
