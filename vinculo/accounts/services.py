"""Writes for the organisation: units, departments, memberships and API keys."""

import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from vinculo.accounts.choices import Role
from vinculo.accounts.models import ApiKey, Department, Membership, Unit
from vinculo.accounts.permissions import API_KEY_SCOPES


@transaction.atomic
def create_unit(*, name: str, code: str, kind: str, parent: Unit | None = None) -> Unit:
    """Adds a unit under ``parent`` (a root when None), with its path from the root."""
    unit = Unit.objects.create(name=name, code=code, kind=kind, parent=parent, path="")
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def move_unit(*, unit: Unit, new_parent: Unit | None) -> Unit:
    """Re-parents a unit and rewrites the path of its whole subtree in one UPDATE."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ValueError("A unit cannot move under itself or its own descendants.")
    old_path = unit.path
    new_path = f"{new_parent.path if new_parent else '/'}{unit.pk}/"
    depth_shift = (new_parent.depth + 1 if new_parent else 0) - unit.depth
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_shift,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    # The metrics' per-unit roll-ups add each unit into its ancestors: the old ones must
    # lose it and the new ones gain it (a task; it reads the whole daily roll-up).
    from vinculo.metrics.tasks import refresh_cube_task

    transaction.on_commit(lambda: refresh_cube_task.enqueue())
    return unit


def create_department(*, name: str, code: str) -> Department:
    """Adds a department (marketing, billing...) people and interaction types can belong to."""
    return Department.objects.create(name=name, code=code)


@transaction.atomic
def create_person(
    *,
    username: str,
    password: str | None,
    role: str,
    unit: Unit | None = None,
    department: Department | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Creates a user with their role. Administrators also get Django admin access."""
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    if role == Role.ADMIN:
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    Membership.objects.create(user=user, role=role, unit=unit, department=department)
    return user


def sync_admin_access(*, user: User) -> User:
    """Django admin access follows the role: administrators in, everyone else out.

    Called after a role changes (the admin's person page does), so demoting an
    administrator also takes away the settings pages, which show every unit's data.
    """
    membership = Membership.objects.filter(user=user).first()
    is_admin = membership is not None and membership.role == Role.ADMIN
    if membership is not None and (user.is_staff, user.is_superuser) != (is_admin, is_admin):
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def _hash_secret(secret: str) -> str:
    # The secret is 32 random bytes, so a fast hash is safe: there is nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_key(
    *, name: str, scopes: list[str], created_by: User | None, unit: Unit | None = None
) -> tuple[ApiKey, str]:
    """Creates a key and returns it with its token; the token is never retrievable again."""
    unknown = set(scopes) - {p.value for p in API_KEY_SCOPES}
    if unknown:
        raise ValueError(f"Unknown scopes: {', '.join(sorted(unknown))}")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        hashed_secret=_hash_secret(secret),
        scopes=sorted(scopes),
        unit=unit,
        created_by=created_by,
    )
    return key, f"vk_{prefix}_{secret}"


def authenticate_api_key(token: str) -> ApiKey | None:
    """The active key matching a token, or None. Records when the key was last used."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "vk":
        return None
    key = ApiKey.objects.select_related("unit").filter(prefix=parts[1]).first()
    if key is None or key.revoked_at is not None:
        return None
    if not secrets.compare_digest(key.hashed_secret, _hash_secret(parts[2])):
        return None
    now = timezone.now()
    # Written at most once a minute per key, so busy integrations don't write on every call.
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def revoke_api_key(*, key: ApiKey) -> ApiKey:
    """Revokes a key at once; revoking a revoked key changes nothing."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at", "updated_at"])
    return key
