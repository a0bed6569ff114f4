"""The notifications pages: one's own notifications (unread first, each leading to its
case), marking them read, and how one wants to hear (e-mails, the daily digest).

Any signed-in person has these pages; each shows and changes only their own rows.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vinculo.cases import notifications

PER_PAGE = 30


class PrefsForm(forms.Form):
    email_alerts = forms.BooleanField(
        label=gettext_lazy("E-mail me each notification"), required=False
    )
    daily_digest = forms.BooleanField(
        label=gettext_lazy("E-mail me a daily digest of my open and overdue cases"),
        required=False,
    )


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = notifications.notifications_of(_me(request))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    items = [(row, notifications.target_of(row)) for row in page.object_list]
    unread = notifications.unread_count(_me(request))
    context = {"page": page, "items": items, "unread": unread}
    return render(request, "cases/notifications.html", context)


@require_POST
@login_required
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    if not notifications.mark_read(user_id=_me(request), notification_id=notification_id):
        raise Http404
    return redirect("cases:notifications")


@require_POST
@login_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    done = notifications.mark_all_read(user_id=_me(request))
    messages.success(request, _("Notifications marked as read: %(count)s.") % {"count": done})
    return redirect("cases:notifications")


@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    prefs = notifications.prefs_of(_me(request))
    initial = {"email_alerts": prefs.email_alerts, "daily_digest": prefs.daily_digest}
    form = PrefsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notifications.set_prefs(user_id=_me(request), **form.cleaned_data)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("cases:notifications_settings")
    return render(request, "cases/notifications_settings.html", {"form": form})


def _me(request: HttpRequest) -> int:
    user_id = request.user.pk
    assert user_id is not None  # login_required let only a signed-in person in
    return int(user_id)


# Included by cases/urls.py, under /cases/.
urlpatterns = [
    path("notifications/", notification_list, name="notifications"),
    path("notifications/read-all/", notifications_read_all, name="notifications_read_all"),
    path("notifications/settings/", notification_settings, name="notifications_settings"),
    path("notifications/<int:notification_id>/read/", notification_read, name="notification_read"),
]
