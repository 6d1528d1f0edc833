"""axe-core, the accessibility checker, on the pages people use most: no serious or critical
finding on any of them.

Jordan (a buyer) logs in and reads his inbox and a conversation with the editor; Sam
(Northwind's owner) sends an incomplete message from Contact Buyer, reads the team inbox,
then tries to approve a buyer's address as a sending address; Morgan (an administrator)
opens the review queue with a held message in it.

axe-core comes from npm (tests/browser/package.json, installed by `make test` with
`npm ci`). It is evaluated through the browser's developer protocol, so the pages' own
Content-Security-Policy does not stop it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from compliance.models import PolicySettings, RuleSetting
from messagecenter.threads.models import Conversation
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install` (npm ci in tests/browser).")
    return AXE.read_text(encoding="utf-8")


def serious_findings(page: Page) -> list[str]:
    """Every serious or critical axe finding on the page, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        """async () => {
            const results = await axe.run(document, {
                // Off by default in axe (experimental), and exactly what a speech-control
                // user trips over: a control whose name is not the text it shows.
                rules: { "label-content-name-mismatch": { enabled: true } },
            });
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" ")),
            }));
        }"""
    )
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {json.dumps(v['nodes'])}"
        for v in results
        if v["impact"] in SERIOUS
    ]


def assert_accessible(page: Page) -> None:
    findings = serious_findings(page)
    assert not findings, f"axe on {page.url}:\n" + "\n".join(findings)


@pytest.fixture
def held_message(sam, jordans_order):
    """A message of Sam's the policy held for an administrator."""
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.create(policy=policy, rule="link.external", action="flag")
    return factories.seller_message(
        jordans_order,
        sam,
        body="Care tips for your linen: https://my-shop.example.net/deals",
        message_type="proactive_support",
        subject="Washing tips for your linen",
    )


def test_the_login_page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        expect(page.get_by_role("heading", name="Log in to Message Center")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Email").fill("jordan@example.com")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("alert")).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()


def test_the_buyers_inbox_and_a_conversation_with_the_editor(log_in, jordan, sam, jordans_order):
    factories.seller_message(jordans_order, sam, "Please confirm your delivery address.")
    conversation = Conversation.objects.get(order=jordans_order)

    buyer = log_in(jordan)
    buyer.goto("/messages/")
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Messages")
    assert_accessible(buyer)

    buyer.goto(f"/messages/{conversation.pk}/")
    expect(buyer.get_by_role("toolbar", name="Formatting")).to_be_visible()
    expect(buyer.get_by_role("button", name="1. List")).to_be_visible()
    assert_accessible(buyer)


def test_contact_buyer_with_field_errors_and_the_seller_inbox(log_in, sam, jordan, jordans_order):
    factories.buyer_message(jordans_order, "Do you deliver on Saturdays?")
    seller = log_in(sam)
    seller.goto(f"/seller/orders/{jordans_order.number}/contact/")
    expect(seller.get_by_role("toolbar", name="Formatting")).to_be_visible()
    seller.get_by_role("button", name="Send", exact=True).click()  # nothing written

    expect(seller.get_by_role("alert").first).to_be_visible()
    invalid = seller.locator("[aria-invalid='true']")
    expect(invalid.first).to_be_visible()
    assert_accessible(seller)

    seller.goto("/seller/messages/")
    expect(seller.get_by_role("heading", level=1)).to_have_text("Messages")
    assert_accessible(seller)

    seller.goto("/seller/settings/email/")
    seller.get_by_label("Approve another address").fill("jordan@example.com")
    seller.get_by_role("button", name="Approve address").click()
    expect(seller.get_by_role("alert")).to_contain_text("another account of the marketplace")
    expect(seller.get_by_label("Approve another address")).to_have_attribute("aria-invalid", "true")
    assert_accessible(seller)


def test_the_review_queue(log_in, morgan, held_message):
    admin = log_in(morgan)
    admin.goto("/review/")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Review queue")
    expect(admin.get_by_role("link", name="Washing tips for your linen")).to_be_visible()
    assert_accessible(admin)
