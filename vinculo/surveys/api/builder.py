"""The builder API (/api/v1/surveys): surveys, their draft, publishing, closing, versions.

Every operation needs the ``surveys.manage`` permission. The builder page calls the same
services, so a draft saved here or there is checked the same way: a 422 names the field of
the definition that is wrong, e.g. ``questions[2].options``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import ValidationError
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.permissions import Perm
from vinculo.journeys.models import Touchpoint
from vinculo.lib.apiedge import (
    ErrorOut,
    ValidationErrorOut,
    field_error,
    invalid,
    not_found,
    page,
    raise_if_any,
    require,
    unit_in_scope,
)
from vinculo.surveys import services
from vinculo.surveys.api.builder_schemas import (
    RefusedOut,
    SurveyIn,
    SurveyListQuery,
    SurveyOut,
    SurveyPage,
    SurveyPatch,
    VersionOut,
)
from vinculo.surveys.choices import SurveyStatus
from vinculo.surveys.definition import DefinitionError, SurveyDefinition
from vinculo.surveys.definition_errors import REFUSALS, describe, loc_of
from vinculo.surveys.models import Survey, SurveyVersion
from vinculo.surveys.queries import survey_list, visible_responses, working_version

router = Router(tags=["surveys"])

READ = {403: ErrorOut, 404: ErrorOut}
WRITE = {**READ, 409: RefusedOut, 422: ValidationErrorOut}


def _public_url(request: HttpRequest, survey: Survey) -> str:
    try:
        return request.build_absolute_uri(reverse("respond:survey", args=[survey.slug]))
    except NoReverseMatch:
        return request.build_absolute_uri(f"/s/{survey.slug}/")


def _out(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    """The survey as ``SurveyOut``; ``survey`` comes from ``survey_list`` (annotated)."""
    return {
        "id": survey.pk,
        "name": survey.name,
        "slug": survey.slug,
        "kind": survey.kind,
        "status": survey.status,
        "unit": survey.unit.code,
        "touchpoint": survey.touchpoint_id,
        "languages": survey.languages,
        "default_language": survey.default_language,
        "public_link": survey.public_link,
        "public_url": _public_url(request, survey),
        "published_version": survey.current_version.number if survey.current_version else None,
        "has_draft": survey.has_draft,  # type: ignore[attr-defined]
        "responses": survey.response_count,  # type: ignore[attr-defined]
        "created_at": survey.created_at,
        "updated_at": survey.updated_at,
    }


def _survey(actor: Actor, survey_id: int) -> Survey:
    survey = survey_list(actor).filter(pk=survey_id).first()
    if survey is None:
        raise not_found()
    return survey


def _refused(refused: services.SurveyRefused) -> Status[dict[str, str]]:
    return Status(
        409, {"detail": str(REFUSALS.get(refused.code, refused.code)), "code": refused.code}
    )


def _settings(
    actor: Actor, payload: SurveyIn | SurveyPatch, survey: Survey | None
) -> dict[str, Any]:
    """The settings as service arguments; a 422 naming every field that is wrong."""
    fields = payload.dict(exclude_unset=survey is not None, exclude={"title"})
    errors: list[dict[str, Any]] = []
    if fields.get("unit") is not None:
        try:
            fields["unit"] = unit_in_scope(actor, fields["unit"], ("body", "unit"))
        except ValidationError as exc:  # collected: one 422 names every wrong field
            errors.extend(exc.errors)
    if fields.get("touchpoint"):
        fields["touchpoint"] = Touchpoint.objects.filter(pk=fields["touchpoint"]).first()
        if fields["touchpoint"] is None:
            message = _("No touchpoint with this id.")
            errors.append(field_error(("body", "touchpoint"), "unknown_touchpoint", message))
    elif "touchpoint" in fields:
        fields["touchpoint"] = None
    slug = fields.get("slug")
    taken = Survey.objects.filter(slug=slug).exclude(pk=survey.pk if survey else 0)
    if slug and taken.exists():
        message = _("Another survey already uses this link name.")
        errors.append(field_error(("body", "slug"), "slug_taken", message))
    languages = fields.get("languages") or (survey.languages if survey else ["es"])
    default = fields.get("default_language") or (survey.default_language if survey else "es")
    if default not in languages:
        message = _("The default language must be one of its languages.")
        errors.append(field_error(("body", "default_language"), "not_a_language", message))
    raise_if_any(errors)
    return {
        name: value for name, value in fields.items() if value is not None or name == "touchpoint"
    }


def _version_out(actor: Actor, version: SurveyVersion) -> dict[str, Any]:
    responses = visible_responses(actor).filter(version=version).count()
    return {
        "number": version.number,
        "published_at": version.published_at,
        "responses": responses,
        "definition": services.definition_of(version),
    }


@router.get("", response={200: SurveyPage, 403: ErrorOut}, url_name="surveys")
def list_surveys(request: HttpRequest, params: Query[SurveyListQuery]) -> dict[str, Any]:
    """Every survey, by name, with its live version and the responses you may see."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    surveys = survey_list(actor)
    if params.status:
        surveys = surveys.filter(status=params.status)
    listed = page(surveys, params)
    listed["items"] = [_out(request, survey) for survey in listed["items"]]
    return listed


@router.post("", response={201: SurveyOut, **WRITE}, url_name="survey_create")
def create_survey(request: HttpRequest, payload: SurveyIn) -> Status[dict[str, Any]]:
    """A new survey in draft (version 1, no questions yet): then ``PUT`` its draft."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    fields = _settings(actor, payload, None)
    survey = services.create_survey(actor=actor, title=payload.title, **fields)
    return Status(201, _out(request, _survey(actor, survey.pk)))


@router.get("/{int:survey_id}", response={200: SurveyOut, **READ}, url_name="survey")
def get_survey(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    actor = require(request, Perm.MANAGE_SURVEYS)
    return _out(request, _survey(actor, survey_id))


@router.patch("/{int:survey_id}", response={200: SurveyOut, **WRITE}, url_name="survey_update")
def update_survey(request: HttpRequest, survey_id: int, payload: SurveyPatch) -> dict[str, Any]:
    """Changes settings. Adding a language leaves the draft to translate before publishing."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    survey = _survey(actor, survey_id)
    fields = _settings(actor, payload, survey)
    if fields:
        services.update_survey(survey=survey, **fields)
    return _out(request, _survey(actor, survey_id))


@router.get(
    "/{int:survey_id}/draft", response={200: SurveyDefinition, **READ}, url_name="survey_draft"
)
def get_draft(request: HttpRequest, survey_id: int) -> SurveyDefinition:
    """The draft's questions and texts; the live version's when no change is pending."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    version = working_version(_survey(actor, survey_id))
    return services.definition_of(version) if version else SurveyDefinition(title={})


@router.put(
    "/{int:survey_id}/draft",
    response={200: SurveyDefinition, **WRITE},
    url_name="survey_draft_save",
)
def save_draft(request: HttpRequest, survey_id: int, payload: SurveyDefinition) -> Any:
    """Replaces the draft whole (a live survey gets a new draft; answers never change).
    A 422 names the first wrong field as a path, e.g. ``questions[2].options``."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    survey = _survey(actor, survey_id)
    try:
        draft = services.save_draft(survey=survey, definition=payload)
    except DefinitionError as error:
        raise invalid(("body", *loc_of(error)), "invalid_definition", describe(error)) from None
    except services.SurveyRefused as refused:
        return _refused(refused)
    return services.definition_of(draft)


@router.post(
    "/{int:survey_id}/publish", response={200: VersionOut, **WRITE}, url_name="survey_publish"
)
def publish(request: HttpRequest, survey_id: int) -> Any:
    """Makes the draft the live version; 409 when there is nothing to publish."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    survey = _survey(actor, survey_id)
    try:
        version = services.publish(survey=survey)
    except services.SurveyRefused as refused:
        return _refused(refused)
    return _version_out(actor, version)


def _set_status(request: HttpRequest, survey_id: int, status: str) -> Any:
    actor = require(request, Perm.MANAGE_SURVEYS)
    survey = _survey(actor, survey_id)
    try:
        services.set_status(survey=survey, status=status)
    except services.SurveyRefused as refused:
        return _refused(refused)
    return _out(request, _survey(actor, survey_id))


@router.post("/{int:survey_id}/close", response={200: SurveyOut, **WRITE}, url_name="survey_close")
def close(request: HttpRequest, survey_id: int) -> Any:
    """Stops the survey's links and invitations from taking answers."""
    return _set_status(request, survey_id, SurveyStatus.CLOSED)


@router.post(
    "/{int:survey_id}/reopen", response={200: SurveyOut, **WRITE}, url_name="survey_reopen"
)
def reopen(request: HttpRequest, survey_id: int) -> Any:
    """Takes answers again (the survey must have been published)."""
    return _set_status(request, survey_id, SurveyStatus.LIVE)


@router.get(
    "/{int:survey_id}/versions/{int:number}",
    response={200: VersionOut, **READ},
    url_name="survey_version",
)
def get_version(request: HttpRequest, survey_id: int, number: int) -> dict[str, Any]:
    """A published version, as its answers were given."""
    actor = require(request, Perm.MANAGE_SURVEYS)
    survey = _survey(actor, survey_id)
    version = survey.versions.filter(number=number, published_at__isnull=False).first()
    if version is None:
        raise not_found()
    return _version_out(actor, version)
