"""The matrix rows of notifications: the pages under /cases/notifications/ and
/api/v1/notifications. Every signed-in person has them, each for their own notifications
only; the world has none of anybody's, so marking a given one read is "not found" for
everyone (someone else's is the same 404). An API key belongs to no person: it has none.
"""

from __future__ import annotations

from vinculo.accounts.tests.matrix import SIGNED_IN, A, Endpoint
from vinculo.accounts.tests.matrix_survey_api import op
from vinculo.accounts.tests.matrix_survey_pages import get, post

N = f"{A}/notifications"
NOBODYS = 999_999  # a notification id nobody has

PAGES: list[Endpoint] = [
    get("cases:notifications", SIGNED_IN, lists=True),
    post("cases:notifications_read_all", SIGNED_IN, form=lambda w: {}),
    post(
        "cases:notification_read",
        SIGNED_IN,
        str(NOBODYS),
        form=lambda w: {},
        ok=(404,),
    ),
    get("cases:notifications_settings", SIGNED_IN),
    post(
        "cases:notifications_settings",
        SIGNED_IN,
        form=lambda w: {"email_alerts": "on", "daily_digest": "on"},
    ),
]

API: list[Endpoint] = [
    op("get", N, SIGNED_IN, lists=True),
    op("post", f"{N}/read-all", SIGNED_IN),
    op("post", f"{N}/{{notification_id}}/read", SIGNED_IN, f"{N}/{NOBODYS}/read", ok=(404,)),
]
