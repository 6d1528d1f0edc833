"""The seller's workspace with every tool of a conversation in it, in a real browser.

Each tool was built on the conversation page of its own; here Sam opens a conversation from
the list on the left, without a reload, and uses them in the pane: the Close key, a reply
template typed as "/" and its name, the mention suggestions of an internal note and the
place to drop files. Scripts on the page must set up the pane they did not see load."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from messagecenter.reply_templates.services import reply_template_create
from messagecenter.threads.models import Conversation
from tests import factories
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_live_updates import still_the_same_page
from tests.browser.test_message_loop import message_box

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def waiting(jordan, priya, northwind, sam, avery):
    """Jordan and then Priya wrote; the team keeps a template for shipping news."""
    jordans = factories.order(buyer=jordan, seller=northwind, title="Linen Sheet")
    factories.buyer_message(jordans, "Has my order left yet?")
    priyas = factories.order(buyer=priya, seller=northwind, title="Wool Throw")
    factories.buyer_message(priyas, "Can I change the colour?")
    reply_template_create(
        business=northwind,
        author=sam,
        name="shipped",
        body="Hello {buyer_name}, your order {order_number} is on its way.",
        message_types=[],
    )
    return Conversation.objects.get(order=jordans)


def opened_from_the_list(page: Page, who: str) -> None:
    page.goto(reverse("seller_inbox"))
    page.evaluate("window.notReloaded = true")
    page.get_by_role("list", name="Conversations").get_by_role("link").filter(has_text=who).click()
    expect(page.locator("[data-workspace-pane] #conversation-title")).to_be_visible()
    still_the_same_page(page)


def test_the_tools_of_a_conversation_work_in_the_pane(log_in, sam, waiting):
    page = log_in(sam)
    opened_from_the_list(page, "Jordan Miles")
    pane = page.locator("[data-workspace-pane]")

    # A reply template, typed as "/" and its name in the pane's reply box.
    editor = message_box(page)
    editor.press_sequentially("/ship")
    listed = page.get_by_role("listbox", name="Templates matching what you typed")
    expect(listed.get_by_role("option", selected=True)).to_contain_text("/shipped")
    editor.press("Enter")
    expect(editor).to_contain_text(
        f"Hello Jordan Miles, your order {waiting.order.number} is on its way."
    )

    # Files can be dropped on the pane's reply form.
    expect(pane.get_by_text("Drag files here or paste")).to_be_visible()

    # An internal note suggests the teammates to mention.
    note = page.get_by_label("Add internal note")
    note.press_sequentially("Ask @Av")
    mention = page.get_by_role("listbox", name="Teammates to mention")
    expect(mention.get_by_role("option")).to_have_text(["@Avery Lee"])
    note.press("Escape")
    still_the_same_page(page)
    assert_accessible(page)


def test_e_closes_the_conversation_open_in_the_pane(log_in, sam, waiting):
    page = log_in(sam)
    opened_from_the_list(page, "Jordan Miles")

    page.locator("body").press("e")

    expect(page.get_by_role("button", name="Reopen")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.closed_at is not None
    # It has left Awaiting reply, and the Closed tab lists it.
    page.goto(reverse("seller_inbox") + "?filter=awaiting")
    rows = page.get_by_role("list", name="Conversations")
    expect(rows.get_by_role("link").filter(has_text="Jordan Miles")).to_have_count(0)
    page.goto(reverse("seller_inbox") + "?filter=closed")
    expect(page.get_by_role("list", name="Conversations")).to_contain_text("Jordan Miles")
    closed_tab = page.get_by_role("navigation", name="Filter conversations").get_by_role(
        "link", name=re.compile("^Closed")
    )
    expect(closed_tab).to_contain_text("1")
