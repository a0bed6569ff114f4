"""Shared pieces of the surveys' browser tests: a company site on another origin, and
the builder's "add a question" steps."""

import json
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from vinculo.surveys.models import Survey


class ShopSite(ThreadingHTTPServer):
    daemon_threads = True
    page = b""


class _ShopHandler(BaseHTTPRequestHandler):
    server: ShopSite

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.server.page)))
        self.end_headers()
        self.wfile.write(self.server.page)

    def log_message(self, format: str, *args: Any) -> None:  # quiet in test output
        pass


@pytest.fixture
def shop_site() -> Iterator[ShopSite]:
    """A company's site: another origin than Vínculo's live server."""
    server = ShopSite(("127.0.0.1", 0), _ShopHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def identity_from_vinculo(base_url: str, api_token: str, email: str) -> str:
    """What the shop's server does: ask Vínculo for its signed-in customer's token."""
    request = urllib.request.Request(
        f"{base_url}/api/v1/surveys/widget-identity",
        data=json.dumps({"identities": {"email": email}, "ttl_minutes": 30}).encode(),
        headers={"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        token: str = json.loads(answer.read())["token"]
    return token


def create_survey(browser_page: Page, base_url: str, name: str, slug: str) -> Survey:
    """Creates a survey for Bilbao Centro from the surveys list; the editor opens."""
    page = browser_page
    page.goto(f"{base_url}/surveys/")
    page.locator('.pagehead a[href="/surveys/new/"]').click()
    page.fill("#id_name", name)
    page.fill("#id_slug", slug)
    page.select_option("#id_unit", label="Bilbao Centro")
    page.locator("main form button[type=submit]").click()
    survey = Survey.objects.get(slug=slug)
    page.wait_for_url(f"**/surveys/{survey.pk}/")
    return survey


def add_question(browser_page: Page, kind: str, text: str, **fields: str) -> None:
    """Opens a new question of ``kind`` in the editor, fills it in and saves it.

    ``fields`` are the form's other inputs by name (``page="2"``, ``identifies="on"``...).
    """
    page = browser_page
    page.select_option("#add-kind", kind)
    page.locator("form.add-question button[type=submit]").click()
    form = page.locator("#q-new form.qform")
    expect(form).to_be_visible()
    form.locator("[name=text_es]").fill(text)
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        kind_of_field = field.evaluate("e => e.tagName + ':' + (e.type || '')")
        if kind_of_field.startswith("SELECT"):
            field.select_option(value)
        elif kind_of_field.endswith(":checkbox"):
            field.set_checked(value == "on")
        else:
            field.fill(value)
    form.locator("button[type=submit].primary").click()
    expect(page.locator("#q-new")).to_have_count(0)
