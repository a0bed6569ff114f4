from typing import Any

from django.http import HttpRequest

from vinculo.accounts.choices import Role
from vinculo.accounts.permissions import Perm


def actor(request: HttpRequest) -> dict[str, Any]:
    """Exposes the actor and the permission names to templates (``{% if can.imports_run %}``)."""
    current = getattr(request, "actor", None)
    if current is None:
        return {}
    role_label = Role(current.role).label if current.role else ""
    return {
        "actor": current,
        "role_label": role_label,
        "can": {perm.name.lower(): current.can(perm) for perm in Perm},
    }
