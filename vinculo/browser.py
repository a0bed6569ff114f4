"""Pytest fixtures for end-to-end tests in a real Chromium, driven by Playwright.

Tests marked ``browser`` use ``page`` against pytest-django's ``live_server``, which runs
the app in a thread of the test process. Debian's Chromium is used as installed by apt;
Playwright's own browser download is never used (it cannot reach the internet here).
"""

import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from vinculo.test import reseed_catalogue

CHROMIUM = os.environ.get("VINCULO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "test-artifacts"
# Playwright waits this long for a selector or navigation before failing a test.
TIMEOUT_MS = 10_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keeps each phase's report on the test so the page fixture knows, while tearing down,
    # whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"No Chromium at {CHROMIUM}: apt-get install -y chromium (make test does).")
    # Playwright's sync API keeps an event loop running in this thread, which makes
    # Django refuse ORM calls from the test body; the calls are synchronous, so allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: LiveServer,
) -> Iterator[Page]:
    """A fresh browser context (no cookies) in Spanish, like a first visit from Spain.

    The live server needs a transactional database, which is emptied after each test, so
    the rows that migrations seed (departments, channels...) are seeded again first.
    (Serialized rollback cannot do it here: Playwright's event loop gives the test body
    other database connection objects than the ones the test database was set up with.)
    A screenshot is saved to test-artifacts/ when the test fails, or always with
    VINCULO_SCREENSHOTS=always.
    """
    reseed_catalogue()
    context = browser.new_context(locale="es-ES", timezone_id="Europe/Madrid")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        failed = report is None or report.failed
        if failed or os.environ.get("VINCULO_SCREENSHOTS") == "always":
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), full_page=True)
        context.close()


def login(page: Page, live_server_url: str, username: str, password: str) -> None:
    """Signs in through the login form and waits until the app has let the person in."""
    page.goto(f"{live_server_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
