"""Improvement actions, the outer loop's changes: a root cause that keeps coming back is
promoted to an action owned by a person, who takes it from open to in progress to done
(with its outcome) or dropped.

Every change is atomic and tells a new owner in the app (a ``Notification`` of kind
``improvement``, once per action and owner). Who may change them (``cases.manage``) is
checked at the edge; the rules about owners and units are checked here and refused with
``CaseError(field, message)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor, actor_for_user
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import Perm
from vinculo.cases.choices import ImprovementStatus, NotificationKind
from vinculo.cases.deadlines import CaseError
from vinculo.cases.models import ImprovementAction, Notification, RootCause

S = ImprovementStatus
# Where an action may go from each status; done and dropped are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.IN_PROGRESS, S.DONE, S.DROPPED}),
    S.IN_PROGRESS: frozenset({S.DONE, S.DROPPED}),
    S.DONE: frozenset(),
    S.DROPPED: frozenset(),
}


@dataclass(frozen=True)
class NewImprovement:
    root_cause: RootCause
    title: str
    owner: User
    description: str = ""
    unit: Unit | None = None
    due_on: date | None = None


def improvements_for(actor: Actor) -> QuerySet[ImprovementAction]:
    """The actions the actor sees: company-wide ones, those of their units, their own."""
    if not actor.can(Perm.VIEW_CASES):
        return ImprovementAction.objects.none()
    rows = ImprovementAction.objects.select_related("root_cause__parent", "owner", "unit")
    if actor.unit_ids is not None:
        mine = Q(owner_id=actor.user_id) if actor.user_id is not None else Q(pk__in=[])
        rows = rows.filter(Q(unit__isnull=True) | Q(unit_id__in=actor.unit_ids) | mine)
    return rows


def writable_improvements(actor: Actor) -> QuerySet[ImprovementAction]:
    """The actions the actor may change: all of them for company-wide roles; those of a
    unit in scope for anyone limited to units. Company-wide actions (and a unit-limited
    person's own actions elsewhere) stay read-only for the latter."""
    if not actor.can(Perm.MANAGE_CASES):
        return ImprovementAction.objects.none()
    rows = improvements_for(actor)
    if actor.unit_ids is not None:
        rows = rows.filter(unit_id__in=actor.unit_ids)
    return rows


def may_change(actor: Actor, action: ImprovementAction) -> bool:
    """Whether ``action`` is among ``writable_improvements(actor)``, without a query."""
    if not actor.can(Perm.MANAGE_CASES):
        return False
    return actor.unit_ids is None or action.unit_id in actor.unit_ids


def improvement_list(
    actor: Actor, *, status: str = "", owner: str = ""
) -> QuerySet[ImprovementAction]:
    """The actions the actor sees, newest first; ``owner`` is a username, and one that
    owns nothing (or does not exist) gives an empty list, so names cannot be probed."""
    rows = improvements_for(actor)
    if status:
        rows = rows.filter(status=status)
    if owner:
        rows = rows.filter(owner__username=owner)
    return rows.order_by("-created_at", "-pk")


def owner_choices(actor: Actor) -> list[str]:
    """Usernames of the owners of the actions the actor sees, for the list's filter."""
    owners = improvements_for(actor).order_by().values_list("owner__username", flat=True)
    return sorted(set(owners))


def check_owner(actor: Actor, owner: User, unit: Unit | None) -> None:
    """The owner must see cases (and the action's unit); the unit must be the actor's, and
    only company-wide roles make or keep company-wide actions."""
    if unit is None and actor.unit_ids is not None:
        raise CaseError("unit", _("Choose a unit within your scope for this action."))
    if unit is not None and not actor.sees_unit(unit.pk):
        raise CaseError("unit", _("No unit with this code within your scope."))
    owner_actor = actor_for_user(owner)
    if not owner.is_active or not owner_actor.can(Perm.VIEW_CASES):
        raise CaseError("owner", _("The owner must be a person who can see cases."))
    if unit is not None and not owner_actor.sees_unit(unit.pk):
        raise CaseError("owner", _("The owner cannot see this unit's cases."))


@transaction.atomic
def promote(
    *, actor: Actor, data: NewImprovement, now: datetime | None = None
) -> ImprovementAction:
    """A root cause becomes an improvement action, open, owned by ``data.owner``."""
    if not data.title.strip():
        raise CaseError("title", _("Give the action a title."))
    check_owner(actor, data.owner, data.unit)
    when = now or timezone.now()
    action = ImprovementAction.objects.create(
        root_cause=data.root_cause,
        title=data.title.strip()[:200],
        description=data.description.strip(),
        owner=data.owner,
        unit=data.unit,
        due_on=data.due_on,
        created_by_id=actor.user_id,
        created_at=when,
    )
    _tell_owner(action, when)
    return action


@transaction.atomic
def update(
    *,
    actor: Actor,
    action: ImprovementAction,
    status: str | None = None,
    outcome: str | None = None,
    owner: User | None = None,
    due_on: date | None = None,
    now: datetime | None = None,
) -> ImprovementAction:
    """A new status (done needs an outcome), outcome, owner or due date; None keeps it."""
    when = now or timezone.now()
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if not may_change(actor, action):
        raise CaseError("unit", _("You may not change actions outside your units."))
    if outcome is not None:
        action.outcome = outcome.strip()
    if status is not None and status != action.status:
        if status not in TRANSITIONS.get(action.status, frozenset()):
            raise CaseError(
                "status",
                _("An action that is “%(current)s” cannot become “%(next)s”.")
                % {"current": action.get_status_display(), "next": S(status).label},
            )
        action.status = status
        if status in (S.DONE, S.DROPPED):
            action.done_at = when
    if action.status == S.DONE and not action.outcome:
        raise CaseError("outcome", _("Say what the action achieved before marking it done."))
    new_owner = owner is not None and owner.pk != action.owner_id
    if owner is not None and new_owner:
        check_owner(actor, owner, action.unit)
        action.owner = owner
    if due_on is not None:
        action.due_on = due_on
    action.save()
    if new_owner:
        _tell_owner(action, when)
    return action


def _tell_owner(action: ImprovementAction, when: datetime) -> None:
    """Tells the owner in the app and by e-mail (``notify.notify``), in their language.
    An owner given the action back is told again: their later notices' keys carry the
    time they were given it."""
    from vinculo.cases.notify import notify

    key = f"improvement-{action.pk}-owner-{action.owner_id}"
    if Notification.objects.filter(recipient_id=action.owner_id, key=key).exists():
        key = f"{key}-{int(when.timestamp() * 1_000_000)}"
    title = action.title
    notify(
        [action.owner],
        kind=NotificationKind.IMPROVEMENT,
        key=key,
        text=lambda: _("Improvement action for you: %(title)s") % {"title": title},
        when=when,
    )
