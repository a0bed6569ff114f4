from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["accounts"])


class MeOut(Schema):
    label: str
    role: str | None
    permissions: list[str]
    unit_ids: list[int] | None


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    actor = request.actor  # type: ignore[attr-defined]
    return MeOut(
        label=actor.label,
        role=actor.role,
        permissions=sorted(actor.perms),
        unit_ids=None if actor.unit_ids is None else sorted(actor.unit_ids),
    )
