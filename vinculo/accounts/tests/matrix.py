"""The permission matrix's vocabulary: what a row is and the world the rows are called in.

Shared by the rows (matrix_core.py, matrix_survey_pages.py, matrix_survey_api.py) and by
the test that calls them (test_permission_matrix.py); kept apart so that neither imports
the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix_survey_world import SurveyWorld
from vinculo.test import Org, People

PUBLIC = "public"  # no sign-in needed
SIGNED_IN = "signed_in"  # any signed-in person, even with no role
ANY_ROLE = "any_role"  # any person with a role

A = "/api/v1"


@dataclass
class World:
    org: Org
    people: People
    sofia_id: int
    bea_id: int
    sofia_interaction_id: int
    job_id: int
    key_id: int
    surveys: SurveyWorld
    feedback_id: int = 0  # Sofía's review of Sevilla
    case_id: int = 0  # Sofía's customer-service case in Sevilla


@dataclass(frozen=True)
class Endpoint:
    """One page or operation: how to call it, what it needs, how it relates to Sofía."""

    name: str  # URL name (pages) or "METHOD /api/v1/path" (API)
    method: str
    url: Callable[[World], str]
    needs: Perm | str
    about_sofia: bool = False  # the call names Sofía: outsiders must get 404 and no data
    lists: bool = False  # the answer is a list: outsiders must not find Sofía in it
    data: Callable[[World], dict[str, Any]] | None = None
    json: bool = True
    company_wide: bool = False
    ok: tuple[int, ...] = (200, 201, 202, 204, 302, 308)
    extra_ok: tuple[int, ...] = field(default=())
    # What people who may not see Sofía get: 404, or a 4xx that names no data of hers.
    outsider: tuple[int, ...] = (404,)
    # People who see Sofía but not this record of hers, and are outsiders for this row
    # (Elena, a billing agent, does not see a customer-service case).
    hidden_from: frozenset[str] = frozenset()


def ids(w: World) -> dict[str, Any]:
    """Names the survey rows use for the world's objects, in paths and query strings."""
    s = w.surveys
    return {
        "survey": s.survey_id,
        "slug": s.slug,
        "response": s.response_id,
        "draft": s.draft_distribution_id,
        "campaign": s.distribution_id,
        "invitation": s.invitation_id,
        "token": s.invitation_token,
        "rule": s.rule_id,
        "kiosk": s.kiosk_token,
        "qr": s.unit_token,
        "sofia": w.sofia_id,
        "company": w.org.company.pk,
        "sevilla": w.org.sevilla.pk,
        "feedback": w.feedback_id,
        "case": w.case_id,
    }
