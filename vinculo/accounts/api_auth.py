"""Authentication for the API: API keys (integrations) and the browser session (UI)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from vinculo.accounts.actors import actor_for_api_key, actor_for_user
from vinculo.accounts.services import authenticate_api_key


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = authenticate_api_key(token)
        if key is None:
            return None
        request.actor = actor_for_api_key(key)  # type: ignore[attr-defined]
        return key


class SessionAuth(APIKeyCookie):
    """The signed-in user's session; ninja checks the CSRF token on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            request.actor = actor_for_user(request.user)  # type: ignore[attr-defined]
            return request.user
        return None
