"""Browser test harness: Playwright (Python, sync API) driving Debian's Chromium against
pytest-django's live server.

- Chromium is the system one, /usr/bin/chromium (``apt-get install chromium``); Playwright's
  own browser download is never used. Without it the browser tests are skipped with a loud
  reason, or fail when REQUIRE_BROWSER=1 (CI).
- Each test gets a fresh browser context (no cookies) and a page whose base URL is the live
  server; a failing test leaves a full-page screenshot in test-artifacts/.
- Tasks run eagerly in the live server's thread (tests/conftest.py): the real Celery worker
  is covered by tests/integration/test_celery_worker.py.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from cpts.models import User
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# ORM calls the tests make while a page is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test item, for the screenshot-on-failure fixture."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = (
            f"!!! TESTS NAVIGATEUR NON EXÉCUTÉS : {CHROMIUM} est introuvable. "
            "Installez Chromium de Debian (sudo apt-get install chromium) ; "
            "avec REQUIRE_BROWSER=1 cette absence fait échouer la suite."
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message, pytrace=False)
        warnings.warn(message, pytest.PytestWarning, stacklevel=1)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page on the live server (French locale, Paris time, downloads accepted)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"Capture d'écran de l'échec : {path}")
    context.close()


@pytest.fixture
def log_in(page: Any) -> Callable[[User], None]:
    """Log a user in through the login page, as a person would (email + password)."""

    def log_in_as(user: User) -> None:
        page.goto(reverse("account_login"))
        page.locator("input[name=login]").fill(user.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()

    return log_in_as
