"""Merging two customers: everything moves, nothing is lost or doubled, all is audited."""

import pytest

from vinculo.accounts.actors import SYSTEM
from vinculo.customers.models import Customer, CustomerMerge, Identity
from vinculo.customers.services import MergeRefused, merge_customers
from vinculo.journeys.models import Interaction
from vinculo.surveys.invitations import (
    create_distribution,
    create_distribution_invitations,
    invite_customer,
    send_distribution,
)
from vinculo.surveys.testing import published_survey
from vinculo.test import Org, People, actor_of, add_interaction, make_customer


def test_after_a_merge_every_identity_and_interaction_of_both_is_on_the_survivor(
    org: Org, people: People
) -> None:
    ana = make_customer("Ana García", email="ana@example.com", customer_number="CLI-1")
    dup = make_customer("", phone="+34600112233", loyalty_card="TF-9")
    for when in ("2026-01-01 10:00", "2026-02-01 10:00"):
        add_interaction(ana, org.bilbao, when=when)
    for when in ("2026-03-01 10:00", "2026-04-01 10:00", "2026-05-01 10:00"):
        add_interaction(dup, org.sevilla, when=when, channel="call_centre", kind="support")
    identities_before = set(Identity.objects.values_list("kind", "value"))
    interactions_before = set(Interaction.objects.values_list("id", flat=True))

    merge = merge_customers(
        survivor_id=ana.pk, merged_id=dup.pk, actor=actor_of(people.bruno), reason="same phone"
    )

    assert set(ana.identities.values_list("kind", "value")) == identities_before
    assert set(ana.interactions.values_list("id", flat=True)) == interactions_before
    assert Identity.objects.count() == 4 and Interaction.objects.count() == 5
    assert not Identity.objects.filter(customer=dup).exists()
    dup.refresh_from_db()
    assert dup.merged_into_id == ana.pk
    assert (merge.identities_moved, merge.interactions_moved) == (2, 3)
    assert merge.actor_label == "bruno" and merge.reason == "same phone"
    assert {i["kind"] for i in merge.snapshot["identities"]} == {"phone", "loyalty_card"}


def test_the_survivor_keeps_its_profile_and_takes_the_blanks_from_the_merged(
    org: Org, people: People
) -> None:
    ana = make_customer("Ana García", email="ana@example.com")
    Customer.objects.filter(pk=ana.pk).update(consents={"email": True})
    dup = make_customer("Ana G.", phone="+34600112233")
    Customer.objects.filter(pk=dup.pk).update(
        plan="Fibra 1Gb", consents={"email": False, "sms": True}, home_unit=org.bilbao
    )

    merge_customers(survivor_id=ana.pk, merged_id=dup.pk, actor=actor_of(people.bruno))

    ana.refresh_from_db()
    assert ana.name == "Ana García"
    assert ana.plan == "Fibra 1Gb"
    assert ana.home_unit_id == org.bilbao.pk
    assert ana.consents == {"email": True, "sms": True}


def test_merging_into_a_customer_that_absorbed_others_collapses_the_chain(
    org: Org, people: People
) -> None:
    a = make_customer("A", customer_number="1")
    b = make_customer("B", customer_number="2")
    c = make_customer("C", customer_number="3")
    merge_customers(survivor_id=b.pk, merged_id=a.pk, actor=actor_of(people.bruno))

    merge_customers(survivor_id=c.pk, merged_id=b.pk, actor=actor_of(people.bruno))

    assert set(Customer.objects.filter(merged_into=c).values_list("pk", flat=True)) == {a.pk, b.pk}
    assert c.identities.count() == 3
    assert CustomerMerge.objects.count() == 2


@pytest.mark.parametrize("case", ["same", "merged_survivor", "merged_merged", "missing"])
def test_impossible_merges_are_refused_and_change_nothing(
    org: Org, people: People, case: str
) -> None:
    a = make_customer("A", customer_number="1")
    b = make_customer("B", customer_number="2")
    gone = make_customer("Gone", customer_number="3")
    merge_customers(survivor_id=a.pk, merged_id=gone.pk, actor=actor_of(people.bruno))
    pairs = {
        "same": (a.pk, a.pk),
        "merged_survivor": (gone.pk, b.pk),
        "merged_merged": (b.pk, gone.pk),
        "missing": (a.pk, 999_999),
    }
    survivor_id, merged_id = pairs[case]

    with pytest.raises(MergeRefused):
        merge_customers(survivor_id=survivor_id, merged_id=merged_id, actor=actor_of(people.bruno))

    assert CustomerMerge.objects.count() == 1
    b.refresh_from_db()
    assert b.identities.count() == 1 and b.merged_into_id is None


def test_both_invited_by_one_campaign_the_merge_keeps_the_survivors_invitation(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.bilbao)
    ana = make_customer("Ana García", email="ana@example.com")
    dup = make_customer("Ana G.", phone="+34600112233")
    campaign = create_distribution(
        actor=SYSTEM,
        survey=survey,
        name="Todos",
        channel="email",
        audience={"customer_ids": [ana.pk, dup.pk]},
    )
    send_distribution(distribution=campaign)
    create_distribution_invitations(distribution_id=campaign.pk)
    single = invite_customer(survey=survey, customer=dup, channel="sms")

    merge_customers(survivor_id=ana.pk, merged_id=dup.pk, actor=actor_of(people.bruno))

    # One invitation per customer and campaign: the merged one's stays with its record.
    assert campaign.invitations.get(customer=ana).customer_id == ana.pk
    assert campaign.invitations.filter(customer=dup).count() == 1
    single.refresh_from_db()
    assert single.customer_id == ana.pk
