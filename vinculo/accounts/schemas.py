"""Request and response bodies of the organisation API: units, departments and API keys."""

from datetime import datetime
from typing import Annotated, Any

from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import AfterValidator

from vinculo.accounts.models import ApiKey, Unit
from vinculo.accounts.permissions import API_KEY_SCOPES, Perm
from vinculo.lib.apiedge import actor_of


class MeOut(Schema):
    label: str
    role: str | None
    permissions: list[str]
    unit_ids: list[int] | None


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent: str | None = Field(
        None, description="Code of the parent unit; null at the root of what you may see."
    )
    depth: int = Field(description="0 for the company, 1 for its children, and so on.")

    @staticmethod
    def resolve_parent(obj: Unit, context: dict[str, Any]) -> str | None:
        # A scoped actor's own root has a parent they may not see: show none.
        if obj.parent is None or not actor_of(context["request"]).sees_unit(obj.parent_id):
            return None
        return obj.parent.code


class DepartmentOut(Schema):
    id: int
    code: str
    name: str


def _key_scope(value: Perm) -> Perm:
    if value not in API_KEY_SCOPES:
        # pydantic reports a ValueError as a 422 naming the list item, e.g. scopes[1].
        raise ValueError(gettext("An API key can never manage API keys."))
    return value


class ApiKeyIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[Annotated[Perm, AfterValidator(_key_scope)]] = Field(
        min_length=1,
        description="Permissions the key carries; any permission except apikeys.manage.",
    )
    unit: str | None = Field(
        None, description="Code of the unit whose subtree the key is limited to."
    )


class ApiKeyOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    unit: str | None
    created_by: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    is_active: bool

    @staticmethod
    def resolve_unit(obj: ApiKey) -> str | None:
        return obj.unit.code if obj.unit is not None else None

    @staticmethod
    def resolve_created_by(obj: ApiKey) -> str | None:
        return obj.created_by.get_username() if obj.created_by is not None else None


class ApiKeyCreatedOut(ApiKeyOut):
    token: str = Field(description="The secret token. It is shown here once and never again.")
