from vinculo.accounts.actors import subtree_ids
from vinculo.accounts.choices import UnitKind
from vinculo.accounts.models import Unit
from vinculo.accounts.services import create_unit, move_unit
from vinculo.test import Org


def test_unit_path_lists_ancestors_from_the_root(org: Org) -> None:
    assert org.bilbao.path == f"/{org.company.pk}/{org.norte.pk}/{org.bilbao.pk}/"
    assert org.bilbao.depth == 2


def test_subtree_of_a_region_holds_its_stores_and_nothing_else(org: Org) -> None:
    assert subtree_ids(org.norte) == {org.norte.pk, org.bilbao.pk, org.santander.pk}


def test_moving_a_unit_rewrites_the_paths_of_its_whole_subtree(org: Org) -> None:
    team = create_unit(name="Equipo A", code="equipo-a", kind=UnitKind.TEAM, parent=org.bilbao)

    move_unit(unit=org.bilbao, new_parent=org.sur)

    team.refresh_from_db()
    assert team.path == f"/{org.company.pk}/{org.sur.pk}/{org.bilbao.pk}/{team.pk}/"
    assert team.depth == 3
    assert subtree_ids(org.sur) == {org.sur.pk, org.sevilla.pk, org.bilbao.pk, team.pk}
    assert Unit.objects.get(pk=org.bilbao.pk).parent_id == org.sur.pk


def test_a_unit_cannot_move_under_its_own_descendant(org: Org) -> None:
    try:
        move_unit(unit=org.norte, new_parent=org.bilbao)
    except ValueError:
        pass
    else:
        raise AssertionError("moving a unit under its descendant must be refused")
    assert Unit.objects.get(pk=org.norte.pk).parent_id == org.company.pk
