from django.urls import reverse

from vinculo.accounts.actors import subtree_ids
from vinculo.accounts.choices import Role, UnitKind
from vinculo.accounts.models import ApiKey, Membership, Unit
from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key, sync_admin_access
from vinculo.test import Org, People, client_for


def test_adding_a_unit_in_the_admin_gives_it_a_path_under_its_parent(
    org: Org, people: People
) -> None:
    response = client_for(people.alicia).post(
        reverse("admin:accounts_unit_add"),
        {
            "name": "Bilbao Sur",
            "code": "bilbao-sur",
            "kind": UnitKind.STORE,
            "parent": org.norte.pk,
        },
    )

    assert response.status_code == 302
    unit = Unit.objects.get(code="bilbao-sur")
    assert unit.path == f"{org.norte.path}{unit.pk}/"
    assert unit.depth == 2
    assert unit.pk in subtree_ids(org.norte)


def test_moving_a_unit_in_the_admin_moves_its_whole_subtree(org: Org, people: People) -> None:
    response = client_for(people.alicia).post(
        reverse("admin:accounts_unit_change", args=[org.norte.pk]),
        {"name": "Norte y Centro", "code": "norte", "kind": UnitKind.REGION, "parent": org.sur.pk},
    )

    assert response.status_code == 302
    bilbao = Unit.objects.get(pk=org.bilbao.pk)
    assert bilbao.path == f"{org.sur.path}{org.norte.pk}/{org.bilbao.pk}/"
    assert bilbao.depth == 3
    assert Unit.objects.get(pk=org.norte.pk).name == "Norte y Centro"


def test_a_unit_cannot_be_moved_under_its_own_descendant(org: Org, people: People) -> None:
    response = client_for(people.alicia).post(
        reverse("admin:accounts_unit_change", args=[org.norte.pk]),
        {"name": "Norte", "code": "norte", "kind": UnitKind.REGION, "parent": org.bilbao.pk},
    )

    assert response.status_code == 200
    assert Unit.objects.get(pk=org.norte.pk).parent_id == org.company.pk


def test_the_revoke_action_revokes_the_selected_keys(people: People) -> None:
    key, _token = create_api_key(name="CRM", scopes=[Perm.VIEW_CUSTOMERS], created_by=None)

    response = client_for(people.alicia).post(
        reverse("admin:accounts_apikey_changelist"),
        {"action": "revoke_keys", "_selected_action": [key.pk]},
    )

    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_api_keys_cannot_be_added_in_the_admin(people: People) -> None:
    response = client_for(people.alicia).get(reverse("admin:accounts_apikey_add"))

    assert response.status_code == 403
    assert not ApiKey.objects.exists()


def test_every_organisation_page_of_the_admin_opens(org: Org, people: People) -> None:
    client = client_for(people.alicia)

    for name in ("unit", "department", "apikey"):
        assert client.get(reverse(f"admin:accounts_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    page = client.get(reverse("admin:auth_user_change", args=[people.carmen.pk]))
    assert page.status_code == 200
    assert f'<option value="{Role.UNIT_MANAGER}" selected>' in page.content.decode()


def test_a_role_is_given_to_a_person_in_the_admin(org: Org, people: People) -> None:
    Membership.objects.filter(user_id=people.nadie.pk).delete()
    response = client_for(people.alicia).post(
        reverse("admin:auth_user_change", args=[people.nadie.pk]),
        {
            "username": "nadie",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "is_active": "on",
            "membership-TOTAL_FORMS": "1",
            "membership-INITIAL_FORMS": "0",
            "membership-MIN_NUM_FORMS": "0",
            "membership-MAX_NUM_FORMS": "1",
            "membership-0-role": Role.UNIT_MANAGER,
            "membership-0-unit": str(org.sur.pk),
            "membership-0-department": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(user_id=people.nadie.pk)
    assert (membership.role, membership.unit) == (Role.UNIT_MANAGER, org.sur)


def test_a_unit_manager_without_a_unit_is_refused_by_the_admin(org: Org, people: People) -> None:
    response = client_for(people.alicia).post(
        reverse("admin:auth_user_change", args=[people.nadie.pk]),
        {
            "username": "nadie",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "is_active": "on",
            "membership-TOTAL_FORMS": "1",
            "membership-INITIAL_FORMS": "0",
            "membership-MIN_NUM_FORMS": "0",
            "membership-MAX_NUM_FORMS": "1",
            "membership-0-role": Role.UNIT_MANAGER,
            "membership-0-unit": "",
            "membership-0-department": "",
        },
    )

    assert response.status_code == 200
    assert not Membership.objects.filter(user_id=people.nadie.pk).exists()


def test_only_administrators_reach_the_admin(people: People) -> None:
    response = client_for(people.bruno).get(reverse("admin:index"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_demoting_an_administrator_takes_away_the_settings_pages(people: People) -> None:
    Membership.objects.filter(user=people.alicia).update(role=Role.ANALYST)

    sync_admin_access(user=people.alicia)

    people.alicia.refresh_from_db()
    assert (people.alicia.is_staff, people.alicia.is_superuser) == (False, False)
    assert client_for(people.alicia).get("/admin/").status_code == 302
