"""Request and response bodies of the cases API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from vinculo.cases.choices import ContactChannel, ContactOutcome, Priority, Status
from vinculo.cases.models import Case, CaseEvent, FollowUp
from vinculo.lib.apiedge import PageQuery

MAX_TEXT = 20_000


class CaseFilters(Schema):
    status: str = Field("", description="Empty: the open ones; 'any': every status; or one status.")
    priority: Priority | None = None
    owner: str = Field("", max_length=150, description="'mine', 'none' (unassigned) or a username.")
    department: str | None = Field(None, max_length=60, description="A department code.")
    unit: str | None = Field(None, max_length=40, description="A unit code: its subtree.")
    overdue: bool = False
    q: str = Field("", max_length=200, description="Words the title contains.")


class CaseListQuery(PageQuery, CaseFilters):
    pass


class CaseIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    unit: str = Field(min_length=1, max_length=40, description="Unit code, within your scope.")
    department: str | None = Field(None, max_length=60, description="Department code.")
    priority: Priority = Priority.NORMAL
    description: str = Field("", max_length=MAX_TEXT)
    customer_id: int | None = None


class CaseOut(Schema):
    id: int
    title: str
    description: str
    status: str
    priority: str
    unit: str = Field(alias="unit.code")
    department: str | None
    owner: str | None
    customer_id: int | None
    trigger: str
    trigger_id: int | None
    root_cause: int | None = Field(alias="root_cause_id")
    resolution: str
    opened_at: datetime
    first_response_due: datetime
    first_response_at: datetime | None
    resolution_due: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    escalated_at: datetime | None
    paused_at: datetime | None = None  # waiting for the customer: the resolution clock stopped
    reopened: int
    overdue: bool = Field(alias="is_overdue")

    @staticmethod
    def resolve_department(case: Case) -> str | None:
        return case.department.code if case.department_id and case.department else None

    @staticmethod
    def resolve_owner(case: Case) -> str | None:
        return case.owner.get_username() if case.owner_id and case.owner else None


class CaseEventOut(Schema):
    kind: str
    by: str = Field(alias="actor_label")
    at: datetime = Field(alias="created_at")
    text: str
    data: dict[str, Any]
    contact_channel: str
    contact_outcome: str

    @staticmethod
    def resolve_data(event: CaseEvent) -> dict[str, Any]:
        return dict(event.data)


class FollowUpOut(Schema):
    status: str = Field(description="sent, answered or not_sent.")
    reason: str = Field(description="Why it was not sent (a short English text).")
    score: int | None = Field(description="The customer's 0-10 answer after the case.")
    solved: bool | None = Field(description="Whether the customer says it was solved.")
    sent_at: datetime | None
    answered_at: datetime | None
    response_id: int | None


class CaseDetailOut(CaseOut):
    events: list[CaseEventOut]
    follow_up: FollowUpOut | None = None

    @staticmethod
    def resolve_events(case: Case) -> list[CaseEvent]:
        return list(case.events.order_by("created_at", "id"))

    @staticmethod
    def resolve_follow_up(case: Case) -> FollowUp | None:
        return FollowUp.objects.filter(case=case).first()


class CasePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CaseOut]


class AssignIn(Schema):
    owner: str = Field(min_length=1, max_length=150, description="The username.")


class StatusIn(Schema):
    status: Status


class PriorityIn(Schema):
    priority: Priority


class TextIn(Schema):
    text: str = Field(max_length=MAX_TEXT)


class ContactIn(Schema):
    channel: ContactChannel
    outcome: ContactOutcome
    text: str = Field("", max_length=MAX_TEXT)


class ResolveIn(Schema):
    root_cause: int | None = Field(None, description="A root cause id (GET /cases/root-causes).")
    resolution: str = Field("", max_length=MAX_TEXT)
    follow_up: bool = Field(False, description="Send the customer the follow-up survey.")


class ReopenIn(Schema):
    reason: str = Field(max_length=MAX_TEXT)


class RootCauseOut(Schema):
    id: int
    name: str
    parent: int | None = Field(alias="parent_id")
    path: str
