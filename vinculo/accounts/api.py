"""The organisation API: who am I, the unit tree, departments and API keys.

API keys are managed from a signed-in session only: no key can carry ``apikeys.manage``
(see ``permissions.API_KEY_SCOPES``), so a leaked key can never mint or revoke keys.
"""

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from vinculo.accounts.models import ApiKey, Department, Unit
from vinculo.accounts.permissions import Perm
from vinculo.accounts.queries import api_keys
from vinculo.accounts.schemas import (
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    DepartmentOut,
    MeOut,
    UnitOut,
)
from vinculo.accounts.services import create_api_key, revoke_api_key
from vinculo.lib.apiedge import (
    ErrorOut,
    ValidationErrorOut,
    actor_of,
    extended,
    not_found,
    require,
    require_any_role,
    unit_in_scope,
)

router = Router(tags=["organisation"])


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    actor = actor_of(request)
    return MeOut(
        label=actor.label,
        role=actor.role,
        permissions=sorted(actor.perms),
        unit_ids=None if actor.unit_ids is None else sorted(actor.unit_ids),
    )


@router.get("/units", response={200: list[UnitOut], 403: ErrorOut})
def list_units(request: HttpRequest) -> list[Unit]:
    """The unit tree in path order (parents before children); scoped actors get their subtree."""
    actor = require_any_role(request)
    units = Unit.objects.select_related("parent").order_by("path")
    if actor.unit_ids is not None:
        units = units.filter(pk__in=sorted(actor.unit_ids))
    return list(units)


@router.get("/departments", response={200: list[DepartmentOut], 403: ErrorOut})
def list_departments(request: HttpRequest) -> list[Department]:
    require_any_role(request)
    return list(Department.objects.order_by("name"))


@router.get("/api-keys", response={200: list[ApiKeyOut], 403: ErrorOut})
def list_api_keys(request: HttpRequest) -> list[ApiKey]:
    """Every key, active ones first, newest first. Tokens are never shown again."""
    require(request, Perm.MANAGE_API_KEYS)
    return list(api_keys())


@router.post(
    "/api-keys",
    response={201: ApiKeyCreatedOut, 403: ErrorOut, 422: ValidationErrorOut},
)
def create_key(request: HttpRequest, payload: ApiKeyIn) -> Status[ApiKeyCreatedOut]:
    """Creates a key. The response holds the token: store it, it is never shown again."""
    actor = require(request, Perm.MANAGE_API_KEYS)
    unit = unit_in_scope(actor, payload.unit, ("body", "unit")) if payload.unit else None
    key, token = create_api_key(
        name=payload.name,
        scopes=sorted({scope.value for scope in payload.scopes}),
        created_by=request.user,  # type: ignore[arg-type]
        unit=unit,
    )
    return Status(201, extended(ApiKeyOut.from_orm(key), ApiKeyCreatedOut, token=token))


@router.post(
    "/api-keys/{int:key_id}/revoke", response={200: ApiKeyOut, 403: ErrorOut, 404: ErrorOut}
)
def revoke_key(request: HttpRequest, key_id: int) -> ApiKey:
    """Revokes a key at once; revoking a revoked key changes nothing."""
    require(request, Perm.MANAGE_API_KEYS)
    key = ApiKey.objects.select_related("unit", "created_by").filter(pk=key_id).first()
    if key is None:
        raise not_found()
    return revoke_api_key(key=key)
