from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.forms import ApiKeyForm, scope_labels
from vinculo.accounts.models import ApiKey
from vinculo.accounts.permissions import Perm
from vinculo.accounts.queries import api_keys
from vinculo.accounts.services import create_api_key, revoke_api_key
from vinculo.lib.ratelimit import client_ip, hit, is_limited

LOGIN_WINDOW_SECONDS = 15 * 60


class RateLimitedLoginView(LoginView):
    """Django's login, refusing an address after too many failed attempts."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Per address (one machine trying many accounts) and per account (many machines
        # trying one account).
        username = str(request.POST.get("username", "")).strip().lower()[:150]
        buckets = [f"login:ip:{client_ip(request)}", f"login:user:{username}"]
        limit, window = settings.LOGIN_RATE_LIMIT, LOGIN_WINDOW_SECONDS
        if any(is_limited(b, limit=limit, window_seconds=window) for b in buckets):
            return render(request, "accounts/login_limited.html", status=429)
        response = super().post(request, *args, **kwargs)
        if not request.user.is_authenticated:
            for bucket in buckets:
                hit(bucket, limit=limit, window_seconds=window)
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


NEW_TOKEN_KEY = "new_api_key"  # session slot holding a new token until it is shown once


@never_cache  # the page may carry a fresh token: no cache may keep it
@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_API_KEYS)
def api_keys_view(request: HttpRequest) -> HttpResponse:
    """Lists keys and creates one. The new token is shown once, on the page the creation
    redirects to (so reloading it never creates a second key), and never again."""
    actor = request.actor  # type: ignore[attr-defined]
    form = ApiKeyForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        created, new_token = create_api_key(
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            unit=form.cleaned_data["unit"],
            created_by=cast(User, request.user),
        )
        request.session[NEW_TOKEN_KEY] = {"id": created.pk, "token": new_token}
        return redirect("accounts:api_keys")
    shown = request.session.pop(NEW_TOKEN_KEY, None)
    new_key = ApiKey.objects.filter(pk=shown["id"]).first() if shown else None
    token = shown["token"] if shown else None
    rows = [(key, scope_labels(key.scopes)) for key in api_keys()]
    context = {"form": form, "rows": rows, "new_key": new_key, "token": token}
    return render(request, "accounts/api_keys.html", context)


@require_POST
@require_perm(Perm.MANAGE_API_KEYS)
def revoke_api_key_view(request: HttpRequest, key_id: int) -> HttpResponse:
    key = revoke_api_key(key=get_object_or_404(ApiKey, pk=key_id))
    message = _("The key “%(name)s” is revoked: requests made with it are refused from now on.")
    messages.success(request, message % {"name": key.name})
    return redirect("accounts:api_keys")
