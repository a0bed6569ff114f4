"""The notifications pages and API: one's own notifications only, unread first, each
leading to its case; marking one or all read; someone else's is not found; the menu's
unread count; the e-mail and digest preferences."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from vinculo.cases.choices import NotificationKind
from vinculo.cases.models import Case, Notification, NotificationPrefs
from vinculo.cases.notify import notify
from vinculo.cases.testing import opened
from vinculo.test import Org, People, at, client_for

A = "/api/v1/notifications"


def told(person: User, case: Case, key: str, when: str = "2026-03-02 10:00") -> Notification:
    [pk] = notify([person], kind=NotificationKind.ASSIGNED, key=key, case=case, when=at(when))
    return Notification.objects.get(pk=pk)


def test_the_page_lists_ones_own_notifications_unread_first_with_links(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    case = opened(org.bilbao, "Cobro doble")
    old = told(people.diego, case, "a", "2026-03-01 10:00")
    read = told(people.diego, case, "b", "2026-03-03 10:00")
    read.read_at = at("2026-03-03 11:00")
    read.save()
    for n in range(5):
        told(people.diego, case, f"x{n}", "2026-02-01 10:00")
    told(people.carmen, case, "theirs")
    client = client_for(people.diego)

    with django_assert_max_num_queries(10):  # 7 listed: no query per row
        page = client.get("/cases/notifications/").content.decode()

    ids = [int(part.split('"')[0]) for part in page.split('id="notification-')[1:]]
    mine = Notification.objects.filter(recipient=people.diego)
    assert ids[0] == old.pk and ids[-1] == read.pk and len(ids) == mine.count() == 7
    assert f'href="/cases/{case.pk}/"' in page
    assert page.count('action="/cases/notifications/') == 6 + 1  # 6 unread, and "all"
    assert 'id="unread-notifications">6<' in page  # the menu's count


def test_marking_one_read_and_all_read(org: Org, people: People) -> None:
    case = opened(org.bilbao)
    one, two = told(people.diego, case, "a"), told(people.diego, case, "b")
    theirs = told(people.carmen, case, "c")
    client = client_for(people.diego)

    response = client.post(f"/cases/notifications/{one.pk}/read/")
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    assert client.post(f"/cases/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/cases/notifications/{one.pk}/read/").status_code == 405

    client.post("/cases/notifications/read-all/")
    two.refresh_from_db()
    theirs.refresh_from_db()
    assert two.read_at is not None and theirs.read_at is None


def test_marking_read_needs_the_csrf_token(org: Org, people: People) -> None:
    one = told(people.diego, opened(org.bilbao), "a")
    client = client_for(people.diego)
    client.handler.enforce_csrf_checks = True

    assert client.post(f"/cases/notifications/{one.pk}/read/").status_code == 403
    assert client.post("/cases/notifications/read-all/").status_code == 403


def test_the_settings_page_stores_ones_preferences(org: Org, people: People) -> None:
    client = client_for(people.diego)

    assert client.get("/cases/notifications/settings/").status_code == 200
    response = client.post("/cases/notifications/settings/", {"daily_digest": "on"})

    assert response.status_code == 302
    prefs = NotificationPrefs.objects.get(user=people.diego)
    assert (prefs.email_alerts, prefs.daily_digest) == (False, True)
    assert not NotificationPrefs.objects.exclude(user=people.diego).exists()


def test_a_person_without_a_role_has_an_empty_page(people: People) -> None:
    response = client_for(people.nadie).get("/cases/notifications/")

    assert response.status_code == 200 and 'id="notification-' not in response.content.decode()


def test_the_api_lists_and_marks_ones_own_notifications(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    case = opened(org.bilbao)
    one, two = told(people.diego, case, "a"), told(people.diego, case, "b", "2026-03-03 10:00")
    theirs = told(people.carmen, case, "c")
    client = client_for(people.diego)

    with django_assert_max_num_queries(8):  # the session and actor take 5; no query per row
        listed = client.get(A).json()
    assert (listed["count"], listed["unread"]) == (2, 2)
    assert [item["id"] for item in listed["items"]] == [two.pk, one.pk]
    assert listed["items"][0]["url"] == f"/cases/{case.pk}/"

    read = client.post(f"{A}/{one.pk}/read")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert client.post(f"{A}/{theirs.pk}/read").status_code == 404
    assert client.get(A, {"unread": "true"}).json()["count"] == 1
    assert client.post(f"{A}/read-all").json() == {"marked": 1}
    assert client.get(A).json()["unread"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_page_shows_thirty_at_a_time(org: Org, people: People) -> None:
    case = opened(org.bilbao)
    for n in range(31):
        told(people.diego, case, f"n{n}")
    client = client_for(people.diego)

    first = client.get("/cases/notifications/").content.decode()
    second = client.get("/cases/notifications/", {"page": 2}).content.decode()

    assert first.count('id="notification-') == 30 and 'href="?page=2"' in first
    assert second.count('id="notification-') == 1


def test_the_api_pages_ones_own_notifications_with_limit_and_offset(
    org: Org, people: People
) -> None:
    case = opened(org.bilbao)
    mine = [told(people.diego, case, f"n{n}", f"2026-03-0{n + 1} 10:00") for n in range(5)]
    told(people.carmen, case, "theirs")
    client = client_for(people.diego)

    listed = client.get(A, {"limit": 2, "offset": 2}).json()
    last = client.get(A, {"limit": 2, "offset": 4}).json()

    assert (listed["count"], listed["limit"], listed["offset"]) == (5, 2, 2)
    assert [item["id"] for item in listed["items"]] == [mine[2].pk, mine[1].pk]  # newest first
    assert [item["id"] for item in last["items"]] == [mine[0].pk]
    assert client.get(A, {"limit": 0}).status_code == 422


def test_reading_all_through_the_api_touches_only_ones_own(org: Org, people: People) -> None:
    case = opened(org.bilbao)
    told(people.diego, case, "a")
    theirs = [told(people.carmen, case, "b"), told(people.elena, case, "c")]

    assert client_for(people.diego).post(f"{A}/read-all").json() == {"marked": 1}

    assert all(Notification.objects.get(pk=n.pk).read_at is None for n in theirs)


def test_the_menu_always_links_a_case_viewer_to_notifications_with_a_badge_only_if_unread(
    org: Org, people: People
) -> None:
    client = client_for(people.diego)

    before = client.get("/cases/").content.decode()
    told(people.diego, opened(org.bilbao), "a")
    after = client.get("/cases/").content.decode()

    assert 'id="notifications-link"' in before and 'id="unread-notifications"' not in before
    assert 'id="notifications-link"' in after and 'id="unread-notifications">1<' in after


def test_the_menu_links_someone_without_cases_to_notifications_only_if_they_have_some(
    org: Org, people: People
) -> None:
    client = client_for(people.nadie)

    before = client.get("/cases/notifications/").content.decode()
    notice = told(people.nadie, opened(org.bilbao), "a")
    notice.read_at = at("2026-03-02 11:00")
    notice.save()
    after = client.get("/cases/notifications/").content.decode()

    assert 'id="notifications-link"' not in before
    assert 'id="notifications-link"' in after and 'id="unread-notifications"' not in after
