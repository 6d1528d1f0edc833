"""Search in a real browser: typed in the header, answered with the passage marked, and
opened at the message; the results page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_seller_searches_from_the_header_and_opens_the_message(log_in, sam, jordans_order):
    found = factories.buyer_message(jordans_order, "Is the <b>aubergine</b> cushion in stock?")
    factories.buyer_message(jordans_order, "And the teal one?")
    seller = log_in(sam)
    seller.goto("/seller/messages/")

    box = seller.get_by_role("banner").get_by_role("searchbox", name="Search messages")
    box.fill("aubergine")
    box.press("Enter")

    expect(seller.get_by_role("heading", level=1)).to_have_text("Search")
    results = seller.get_by_role("list").filter(has=seller.locator("mark"))
    expect(results.locator("mark")).to_have_text("aubergine")
    assert_accessible(seller)

    results.get_by_role("link").first.click()
    expect(seller.locator(f"#message-{found.pk}")).to_contain_text("aubergine cushion")
    assert seller.url.endswith(f"#message-{found.pk}")
