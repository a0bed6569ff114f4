"""The actor: who is acting (a person or an API key), what they may do and where.

Every view and API handler receives an actor; queries use ``actor.unit_ids`` to scope
data, services record ``actor.label`` in audit trails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vinculo.accounts.choices import Role
from vinculo.accounts.models import ApiKey, Unit
from vinculo.accounts.permissions import ROLE_PERMS, Perm

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    api_key_id: int | None
    role: str | None
    perms: frozenset[Perm]
    unit_ids: frozenset[int] | None  # None means the whole company
    label: str
    department_id: int | None = None  # an agent's department: they work its cases only

    def can(self, perm: Perm) -> bool:
        return perm in self.perms

    @property
    def is_company_wide(self) -> bool:
        return self.unit_ids is None

    def sees_unit(self, unit_id: int | None) -> bool:
        return self.unit_ids is None or (unit_id is not None and unit_id in self.unit_ids)


def subtree_ids(unit: Unit) -> frozenset[int]:
    return frozenset(Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))


NOBODY = Actor(None, None, None, frozenset(), frozenset(), "anonymous")
# Vínculo itself acting (background tasks, public survey links): company-wide, no person.
SYSTEM = Actor(None, None, Role.ADMIN, ROLE_PERMS[Role.ADMIN], None, "system")


def actor_for_user(user: AbstractBaseUser | AnonymousUser) -> Actor:
    """The actor for a signed-in person; people with no role get no permission at all."""
    if not user.is_authenticated:
        return NOBODY
    membership = getattr(user, "membership", None)
    label = user.get_username()
    if membership is None:
        if getattr(user, "is_superuser", False):
            return Actor(user.pk, None, Role.ADMIN, ROLE_PERMS[Role.ADMIN], None, label)
        return Actor(user.pk, None, None, frozenset(), frozenset(), label)
    unit = membership.unit
    unit_ids = subtree_ids(unit) if unit is not None else None
    return Actor(
        user.pk,
        None,
        membership.role,
        ROLE_PERMS[membership.role],
        unit_ids,
        label,
        membership.department_id,
    )


def actor_for_api_key(key: ApiKey) -> Actor:
    perms = frozenset(Perm(scope) for scope in key.scopes if scope in Perm._value2member_map_)
    unit_ids = subtree_ids(key.unit) if key.unit is not None else None
    return Actor(None, key.pk, None, perms, unit_ids, f"api-key:{key.prefix}")
