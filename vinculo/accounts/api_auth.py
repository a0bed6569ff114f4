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

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a session cookie there is nobody to impersonate, so no CSRF check: an
        # integration sending a bad API key gets 401, not a confusing "CSRF check Failed".
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            request.actor = actor_for_user(request.user)  # type: ignore[attr-defined]
            return request.user
        return None
