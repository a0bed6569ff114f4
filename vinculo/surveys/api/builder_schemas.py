"""Request and response bodies of the builder API (/api/v1/surveys).

A survey's questions travel as the same ``SurveyDefinition`` document the builder page
saves (definition.py): ``GET``/``PUT /surveys/{id}/draft``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from vinculo.lib.apiedge import PageQuery
from vinculo.surveys.choices import SurveyKind, SurveyStatus
from vinculo.surveys.definition import SurveyDefinition

Language = Literal["es", "en"]
SLUG = r"^[-a-zA-Z0-9_]+$"


def _spanish() -> list[Language]:
    return ["es"]


class SurveyIn(Schema):
    name: str = Field(min_length=1, max_length=150)
    slug: str = Field(
        min_length=1, max_length=60, pattern=SLUG, description="The public link: /s/<slug>/"
    )
    kind: SurveyKind = SurveyKind.CUSTOMER
    unit: str = Field(description="Code of the unit answers land in by default.")
    touchpoint: int | None = Field(None, description="Id of the touchpoint it measures.")
    languages: list[Language] = Field(default_factory=_spanish, min_length=1)
    default_language: Language = "es"
    public_link: bool = True
    title: dict[str, str] | None = Field(None, description="Per language; default: the name.")


class SurveyPatch(Schema):
    """Settings to change; fields left out are not changed."""

    name: str | None = Field(None, min_length=1, max_length=150)
    slug: str | None = Field(None, min_length=1, max_length=60, pattern=SLUG)
    kind: SurveyKind | None = None
    unit: str | None = None
    touchpoint: int | None = Field(None, description="null or 0 removes the touchpoint.")
    languages: list[Language] | None = Field(None, min_length=1)
    default_language: Language | None = None
    public_link: bool | None = None


class SurveyOut(Schema):
    id: int
    name: str
    slug: str
    kind: SurveyKind
    status: SurveyStatus
    unit: str
    touchpoint: int | None
    languages: list[str]
    default_language: str
    public_link: bool
    public_url: str
    published_version: int | None = Field(description="Number of the live version.")
    has_draft: bool = Field(description="Unpublished changes exist.")
    responses: int = Field(description="Responses you may see, all versions.")
    created_at: datetime
    updated_at: datetime


class SurveyPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SurveyOut]


class SurveyListQuery(PageQuery):
    status: SurveyStatus | None = None


class VersionOut(Schema):
    number: int
    published_at: datetime | None
    responses: int
    definition: SurveyDefinition


class RefusedOut(Schema):
    detail: str
    code: str
