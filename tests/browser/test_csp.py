"""The site under its Content-Security-Policy, in a real browser.

Every page arrives with the policy, and the browser enforces it (a script slipped into the
page does not run), yet nothing of ours trips it: Sam writes with the editor while the live
check answers, sends and replies; Jordan reads and asks about a product; Morgan works the
review queue, the admin and the API reference; a visitor logs in or asks for a new
password. The console shows no Content-Security-Policy violation anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from messagecenter.accounts.models import User
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSP_WORDS = re.compile(r"Content[- ]Security[- ]Policy", re.IGNORECASE)


class Watch:
    """What the browser said about the policy on the pages of one person."""

    def __init__(self) -> None:
        self.violations: list[str] = []
        self.pages_without_policy: list[str] = []

    def attach(self, page: Page) -> Page:
        page.on("console", self._console)
        page.on("response", self._response)
        return page

    def _console(self, message) -> None:
        if CSP_WORDS.search(message.text):
            self.violations.append(f"{message.page.url if message.page else ''}: {message.text}")

    def _response(self, response) -> None:
        is_page = response.request.resource_type == "document"
        if is_page and not response.headers.get("content-security-policy"):
            self.pages_without_policy.append(response.url)

    def assert_clean(self) -> None:
        assert self.pages_without_policy == []
        assert self.violations == []


@pytest.fixture
def watched(log_in) -> Iterator[Callable[[User], tuple[Page, Watch]]]:
    """log_in, and watch that person's pages from then on."""
    watches: list[Watch] = []

    def log_in_watched(user: User) -> tuple[Page, Watch]:
        watch = Watch()
        watches.append(watch)
        return watch.attach(log_in(user)), watch

    yield log_in_watched
    for watch in watches:
        watch.assert_clean()


def message_box(page: Page):
    expect(page.get_by_role("toolbar", name="Formatting")).to_be_visible()
    return page.get_by_role("textbox", name="Message")


def test_the_browser_enforces_the_policy(watched, jordan):
    page, watch = watched(jordan)

    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injectedRan = true";
            document.body.appendChild(script);
            const styled = document.createElement("p");
            styled.innerHTML = '<span style="color: red">x</span>';
            document.body.appendChild(styled);
            return window.injectedRan === true;
        }"""
    )

    assert ran is False
    page.wait_for_timeout(200)
    assert any("script-src" in v for v in watch.violations), watch.violations
    watch.violations.clear()  # those were ours, on purpose


def test_a_seller_writes_checks_and_sends_under_the_policy(watched, sam, jordan, jordans_order):
    factories.buyer_message(jordans_order, body="Is the duvet cover machine washable?")
    seller, _ = watched(sam)

    seller.goto(f"/seller/orders/{jordans_order.number}/contact/")
    expect(seller.get_by_role("heading", level=1)).to_have_text("Contact Buyer")
    seller.get_by_label("Message type").select_option(label="Schedule delivery")
    seller.get_by_label("Subject").fill("Delivery days")
    editor = message_box(seller)
    editor.click()
    seller.get_by_role("button", name="Bold").click()
    editor.press_sequentially("We deliver on Friday. Write to sam.carter@gmail.com")
    # The live check is a fetch to our own origin: connect-src allows it.
    expect(
        seller.get_by_role("region", name="Before you send").get_by_role("listitem")
    ).to_contain_text(["contact.email"])
    for _ in range(len(" Write to sam.carter@gmail.com")):
        editor.press("Backspace")
    seller.get_by_role("button", name="Send", exact=True).click()
    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    expect(seller.get_by_role("article", name="Message from Northwind Home Goods")).to_contain_text(
        "We deliver on Friday."
    )

    # The reply form of the conversation page has the editor too.
    reply = message_box(seller)
    reply.click()
    reply.press_sequentially("Yes, at 40 degrees.")

    for path in [
        "/seller/messages/",
        "/seller/performance/",
        "/seller/settings/email/",
        "/settings/webhooks/",
        "/settings/api/",
        "/settings/",
    ]:
        seller.goto(path)
        expect(seller.get_by_role("heading", level=1)).to_be_visible()


def test_a_buyer_reads_and_asks_under_the_policy(watched, jordan, northwind, jordans_order):
    factories.seller_message(jordans_order, factories.member(northwind, "sam@x.example", "Sam"))
    product = factories.product(northwind, title="Cast Iron Dutch Oven")
    buyer, _ = watched(jordan)

    buyer.get_by_role("list", name="Conversations").get_by_role("link").first.click()
    expect(buyer.get_by_role("article").first).to_be_visible()
    message_box(buyer)

    buyer.goto(f"/products/{product.pk}/ask/")
    editor = message_box(buyer)
    editor.click()
    editor.press_sequentially("Does it work on induction?")
    buyer.goto("/orders/")
    expect(buyer.get_by_role("heading", level=1)).to_be_visible()


def test_an_administrator_under_the_policy(watched, morgan, jordan):
    admin, _ = watched(morgan)

    admin.goto("/review/")
    expect(admin.get_by_role("heading", level=1)).to_be_visible()
    admin.goto("/admin/accounts/user/")
    # The admin's own scripts run: selecting a row shows the action counter.
    admin.get_by_role("row", name=re.compile("jordan@example.com")).get_by_role("checkbox").check()
    expect(admin.get_by_text(re.compile(r"1 of \d+ selected"))).to_be_visible()
    admin.goto(f"/admin/accounts/user/{jordan.pk}/change/")
    expect(admin.get_by_role("textbox", name="Email address")).to_have_value("jordan@example.com")

    admin.goto("/api/v1/docs/")
    # Swagger UI starts from its script file and draws the operations.
    expect(admin.get_by_text("Message Center API").first).to_be_visible()
    expect(admin.get_by_text("/api/v1/conversations").first).to_be_visible()


def test_a_visitor_logs_in_or_resets_a_password_under_the_policy(
    chromium: Browser, live_server, jordan
):
    context = chromium.new_context(base_url=live_server.url)
    watch = Watch()
    page = watch.attach(context.new_page())
    try:
        page.goto("/accounts/login/")
        page.get_by_role("link", name="Forgot your password?").click()
        page.get_by_label("Email").fill("jordan@example.com")
        page.get_by_role("button", name="Email me a reset link").click()
        expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill("jordan@example.com")
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
    finally:
        context.close()
    watch.assert_clean()
