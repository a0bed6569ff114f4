"""Read side of the organisation: API keys as the settings pages list them."""

from django.db.models import F, QuerySet

from vinculo.accounts.models import ApiKey


def api_keys() -> QuerySet[ApiKey]:
    """Every key, active ones first, newest first within each group."""
    return ApiKey.objects.select_related("unit", "created_by").order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-id"
    )
