"""Helpers every API router shares at the edge: the actor, permission checks, field errors
and limit/offset pages.

Errors that our own code finds in a request (an unknown unit code, an invalid e-mail) are
raised as ninja's ``ValidationError`` so they reach the client in the same 422 shape as the
schema errors pydantic finds: ``{"detail": [{"type", "loc", "msg", "field"}]}``.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import Perm

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50

M = TypeVar("M", bound=Model)
S = TypeVar("S", bound=Schema)
Loc = Sequence[str | int]


def actor_of(request: HttpRequest) -> Actor:
    """The actor the auth classes put on the request (an API key or the signed-in person)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def require(request: HttpRequest, perm: Perm) -> Actor:
    """The request's actor if it holds ``perm``; a 403 otherwise."""
    actor = actor_of(request)
    if not actor.can(perm):
        raise HttpError(403, _("You do not have permission to do this."))
    return actor


def require_any_role(request: HttpRequest) -> Actor:
    """The actor if it holds any permission at all (people without a role hold none)."""
    actor = actor_of(request)
    if not actor.perms:
        raise HttpError(403, _("You do not have permission to do this."))
    return actor


def not_found() -> HttpError:
    # The same answer for "does not exist" and "outside your scope": existence never leaks.
    return HttpError(404, _("Not found."))


def clean_loc(loc: Loc) -> list[str | int]:
    """ninja puts the handler's argument name in body locations; clients never see it.

    Handlers name their body argument ``payload``, so ``("body", "payload", "name")`` is
    given as ``("body", "name")``, the way our own errors give it.
    """
    parts = list(loc)
    if parts[:2] == ["body", "payload"]:
        del parts[1]
    return parts


def field_path(loc: Loc) -> str:
    """``("body", "identities", 1, "value")`` -> ``identities[1].value``."""
    parts = clean_loc(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    text = ""
    for part in parts:
        if part == "[key]":  # pydantic's marker for a bad dict key: the key is named already
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def field_error(loc: Loc, code: str, message: str) -> dict[str, Any]:
    return {"type": code, "loc": list(loc), "msg": message, "field": field_path(loc)}


def invalid(loc: Loc, code: str, message: str) -> ValidationError:
    """A 422 naming one field; ``loc`` is as pydantic would give it, e.g. ``("body", "unit")``."""
    return ValidationError([field_error(loc, code, message)])


def unit_in_scope(actor: Actor, code: str, loc: Loc) -> Unit:
    """The unit with this code if the actor may act in it; a 422 naming ``loc`` otherwise.

    Unknown codes and codes outside the actor's subtree get the same answer.
    """
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not actor.sees_unit(unit.pk):
        raise invalid(loc, "unknown_unit", _("No unit with this code within your scope."))
    return unit


def raise_if_any(errors: list[dict[str, Any]]) -> None:
    if errors:
        raise ValidationError(errors)


def on_validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    """ninja's 422, with a ``field`` path added to every error for clients and people."""
    errors = [
        {
            **error,
            "loc": clean_loc(error.get("loc", ())),
            "field": error.get("field") or field_path(error.get("loc", ())),
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=422)


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    type: str
    loc: list[str | int]
    msg: str
    field: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


class PageQuery(Schema):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0)


def extended(out: Schema, schema: type[S], **extra: Any) -> S:
    """``out`` with more fields, as ``schema`` (a subclass of its class).

    Built without a second validation: the resolvers of output schemas read ORM objects
    and would not understand the plain values ``out`` already holds.
    """
    return schema.model_construct(**dict(out), **extra)


def page(rows: QuerySet[M], query: PageQuery) -> dict[str, Any]:
    """One page of ``rows`` with the total count, for a ``*Page`` output schema."""
    return {
        "count": rows.count(),
        "limit": query.limit,
        "offset": query.offset,
        "items": list(rows[query.offset : query.offset + query.limit]),
    }
