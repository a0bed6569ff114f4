from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from vinculo.lib.ratelimit import client_ip, hit, is_limited

LOGIN_WINDOW_SECONDS = 15 * 60


class RateLimitedLoginView(LoginView):
    """Django's login, refusing an address after too many failed attempts."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        bucket = f"login:{client_ip(request)}"
        if is_limited(bucket, limit=settings.LOGIN_RATE_LIMIT, window_seconds=LOGIN_WINDOW_SECONDS):
            return render(request, "accounts/login_limited.html", status=429)
        response = super().post(request, *args, **kwargs)
        if not request.user.is_authenticated:
            hit(bucket, limit=settings.LOGIN_RATE_LIMIT, window_seconds=LOGIN_WINDOW_SECONDS)
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
