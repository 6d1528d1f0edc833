"""Browser fixtures: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Each person in a test gets their own browser context (their own cookies), so a seller and a
buyer can be logged in side by side. People log in through the real login page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from messagecenter.accounts.models import User
from tests import factories

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# Long enough for a slow CI machine, short enough that a missing element fails quickly.
ACTION_TIMEOUT_MS = 10_000

_failed_key = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_failed_key] = True
    return report


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the browser tests; ended when they are done.

    Package scope keeps Playwright's event loop out of the rest of the test session.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-test-services.sh (apt chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _close_browsers(
    contexts: list[BrowserContext],
    script_errors: list[str],
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> None:
    """After a test: screenshots of every page if it failed, then the browsers closed, and
    any script error fails the test."""
    if request.node.stash.get(_failed_key, False):
        for number, context in enumerate(contexts):
            for index, page in enumerate(context.pages):
                shot = tmp_path / f"failure-{number}-{index}.png"
                page.screenshot(path=shot, full_page=True)
                print(f"Screenshot of {page.url}: {shot}")
    for context in contexts:
        context.close()
    assert not script_errors, f"JavaScript errors in the page: {script_errors}"


@pytest.fixture
def log_in(
    chromium: Browser, live_server, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[User], Page]]:
    """log_in(user) opens a fresh browser for that person and logs in on the login page.

    Script errors on any page fail the test; a failed test leaves screenshots in tmp_path.
    """
    contexts: list[BrowserContext] = []
    script_errors: list[str] = []

    def log_in_as(user: User) -> Page:
        context = chromium.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: script_errors.append(f"{user.email}: {error}"))
        page.goto("/")
        expect(page.get_by_role("heading", name="Log in to Message Center")).to_be_visible()
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        expect(page.get_by_role("banner").get_by_text(user.public_name)).to_be_visible()
        return page

    yield log_in_as

    _close_browsers(contexts, script_errors, request, tmp_path)


def write_pdf(path: Path, text: str) -> Path:
    """A small, valid one-page PDF showing `text`."""
    path.write_bytes(factories.pdf_bytes(text))
    return path


@pytest.fixture
def make_pdf(tmp_path: Path) -> Callable[[str, str], Path]:
    """make_pdf("invoice.pdf", "Invoice 42") writes a real PDF into tmp_path."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    return lambda name, text: write_pdf(folder / name, text)


# --- Live updates: real ASGI servers ---------------------------------------------------------


@pytest.fixture
def asgi_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[[str], Any]]:
    """asgi_server("web-1") starts a uvicorn process serving the app (tests/browser/
    asgi_servers.py); several share the live events through Redis. Needs transactional
    tests: the servers read what the test committed."""
    from tests.browser.asgi_servers import AsgiServer

    started: list[AsgiServer] = []

    def start(name: str) -> AsgiServer:
        server = AsgiServer(tmp_path, name)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
        if request.node.stash.get(_failed_key, False):
            print(f"--- log of {server.name} ---\n{server.log_text()}")


# A tab in the background, as the page's scripts see it, until show_tab() brings it up.
HIDDEN_TAB_SCRIPT = """
window.testTabHidden = true;
Object.defineProperty(Document.prototype, "hidden", {
  configurable: true, get: function () { return window.testTabHidden; }
});
Object.defineProperty(Document.prototype, "visibilityState", {
  configurable: true, get: function () { return window.testTabHidden ? "hidden" : "visible"; }
});
"""


def show_tab(page: Page) -> None:
    """The person brings a background tab (opened with hidden=True) to the front."""
    page.evaluate(
        "window.testTabHidden = false; document.dispatchEvent(new Event('visibilitychange'))"
    )


@pytest.fixture
def open_as(
    chromium: Browser, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[..., Page]]:
    """open_as(user, server, path) opens a browser of that person's own, logged in (their
    session made by Django's test client, its cookie given to the browser), at the path.
    ``javascript=False`` opens it with JavaScript off; ``hidden=True`` as a tab in the
    background (shown by ``show_tab``). Script errors fail the test."""
    from django.test import Client

    contexts: list[BrowserContext] = []
    script_errors: list[str] = []

    def open_page(
        user: User, server: Any, path: str, *, javascript: bool = True, hidden: bool = False
    ) -> Page:
        client = Client()
        client.force_login(user)
        context = chromium.new_context(
            base_url=server.url,
            viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript,
        )
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": server.url,
                }
            ]
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        if hidden:
            context.add_init_script(HIDDEN_TAB_SCRIPT)
        page = context.new_page()
        page.on("pageerror", lambda error: script_errors.append(f"{user.email}: {error}"))
        # The socket opens under the page's Content-Security-Policy (connect-src 'self'
        # covers ws: and wss: of the page's own host): any violation fails the test.
        page.on(
            "console",
            lambda message: (
                script_errors.append(f"{user.email}: {message.text}")
                if "Content Security Policy" in message.text
                or "Content-Security-Policy" in message.text
                else None
            ),
        )
        page.goto(path)
        return page

    yield open_page

    _close_browsers(contexts, script_errors, request, tmp_path)
