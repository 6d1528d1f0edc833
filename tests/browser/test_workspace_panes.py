"""The seller's workspace in a real browser: Sam Carter answers buyers from the list on the
left and the open conversation on the right, with the mouse, with keys, and on a phone.

Each page is marked when it loads: a conversation opened from the list must keep the mark
(no reload)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from messagecenter.threads.models import Conversation
from tests import factories
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_live_updates import live, still_the_same_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_buyers_wrote(jordan, priya, northwind, jordans_order):
    """Jordan wrote about his two-line order, then Priya about hers: Priya's is newest."""
    jordans = factories.order(buyer=jordan, seller=northwind, lines=2, title="Linen Sheet")
    factories.buyer_message(jordans, "The second pillowcase is missing.")
    priyas = factories.order(buyer=priya, seller=northwind, title="Wool Throw")
    factories.buyer_message(priyas, "Can I change the colour?")
    return Conversation.objects.get(order=jordans), Conversation.objects.get(order=priyas)


def marked(page: Page) -> Page:
    page.evaluate("window.notReloaded = true")
    return page


def rows(page: Page):
    return page.get_by_role("list", name="Conversations").get_by_role("link")


def pane(page: Page):
    return page.locator("[data-workspace-pane]")


def test_a_conversation_opens_beside_the_list_without_a_reload(log_in, sam, two_buyers_wrote):
    jordans, _ = two_buyers_wrote
    page = log_in(sam)
    page.goto(reverse("seller_inbox"))
    expect(pane(page)).to_contain_text("No conversation open.")
    marked(page)

    rows(page).filter(has_text="Jordan Miles").click()

    expect(pane(page).locator("#conversation-title")).to_have_text(jordans.subject)
    expect(pane(page)).to_contain_text("The second pillowcase is missing.")
    expect(page).to_have_url(re.compile(rf"/seller/messages/{jordans.pk}/$"))
    still_the_same_page(page)
    expect(rows(page).filter(has_text="Jordan Miles")).to_have_attribute("aria-current", "page")
    # The order beside it: its lines with quantities and prices, its status and dates.
    order = page.get_by_role("region", name=re.compile(r"^Order "))
    expect(order).to_contain_text("2 × Linen Sheet #1")
    expect(order).to_contain_text("2 × Linen Sheet #2")
    expect(order).to_contain_text("$19.99 each · $39.98")
    expect(order).to_contain_text("Total $79.96")
    expect(order).to_contain_text("Shipped")
    expect(order).to_contain_text("Jordan Miles receives every message type.")
    # The list is still there, and the other conversation opens in its place.
    rows(page).filter(has_text="Priya Natarajan").click()
    expect(pane(page)).to_contain_text("Can I change the colour?")
    still_the_same_page(page)
    # Back in the browser goes back to Jordan's, still without a reload.
    page.go_back()
    expect(pane(page)).to_contain_text("The second pillowcase is missing.")
    still_the_same_page(page)
    assert_accessible(page)


def test_a_reply_sent_from_the_pane_stays_in_the_workspace(log_in, sam, two_buyers_wrote):
    jordans, _ = two_buyers_wrote
    page = log_in(sam)
    page.goto(reverse("seller_inbox") + "?filter=awaiting")
    rows(page).filter(has_text="Jordan Miles").click()
    expect(pane(page)).to_contain_text("The second pillowcase is missing.")

    page.get_by_role("textbox", name="Message").fill("It is on its way, sorry for that.")
    page.get_by_role("button", name="Send reply").click()

    expect(pane(page)).to_contain_text("It is on its way, sorry for that.")
    expect(page).to_have_url(re.compile(rf"/seller/messages/{jordans.pk}/\?filter=awaiting"))
    expect(page.get_by_role("list", name="Conversations")).to_be_visible()


def test_keys_move_open_reply_and_show_their_list(log_in, sam, two_buyers_wrote):
    page = log_in(sam)
    page.goto(reverse("seller_inbox"))
    marked(page)

    page.keyboard.press("j")  # the first row: Priya's, the newest
    expect(rows(page).first).to_be_focused()
    page.keyboard.press("j")
    expect(rows(page).nth(1)).to_be_focused()
    page.keyboard.press("k")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(pane(page)).to_contain_text("The second pillowcase is missing.")
    still_the_same_page(page)

    page.keyboard.press("r")
    box = page.get_by_role("textbox", name="Message")
    expect(box).to_be_focused()
    page.keyboard.type("just")  # typing: j is a letter here, not a move
    expect(box).to_have_text("just")
    expect(rows(page).nth(1)).to_have_attribute("aria-current", "page")

    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("a")
    expect(page.get_by_label("Assigned to")).to_be_focused()
    page.locator("body").click(position={"x": 5, "y": 5})

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Select the next conversation in the list")
    expect(dialog).to_contain_text("Close the conversation")
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.keyboard.press("n")  # no response needed: the clock card's button
    expect(page.get_by_text("Marked as needing no response")).to_be_visible()


def test_every_key_has_a_button_too(log_in, sam, two_buyers_wrote):
    page = log_in(sam)
    page.goto(reverse("seller_inbox"))
    marked(page)

    page.get_by_role("button", name=re.compile("Next conversation")).click()
    expect(pane(page)).to_contain_text("Can I change the colour?")
    page.get_by_role("button", name=re.compile("Next conversation")).click()
    expect(pane(page)).to_contain_text("The second pillowcase is missing.")
    page.get_by_role("button", name=re.compile("Previous conversation")).click()
    expect(pane(page)).to_contain_text("Can I change the colour?")
    still_the_same_page(page)

    page.get_by_role("link", name=re.compile("Write a reply")).click()
    expect(page.get_by_role("textbox", name="Message")).to_be_focused()

    page.get_by_role("button", name=re.compile("Keyboard shortcuts")).first.click()
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.get_by_role("button", name="Close this list").click()
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()

    # The open conversation's button (the bulk bar above the list has one for its rows).
    pane(page).get_by_role("button", name="No response needed").click()
    expect(page.get_by_text("Marked as needing no response")).to_be_visible()


def test_a_phone_shows_one_pane_at_a_time(log_in, sam, two_buyers_wrote):
    page = log_in(sam)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("seller_inbox"))
    marked(page)
    expect(page.get_by_role("list", name="Conversations")).to_be_visible()
    expect(pane(page)).to_be_hidden()

    rows(page).filter(has_text="Jordan Miles").click()

    expect(pane(page)).to_contain_text("The second pillowcase is missing.")
    expect(page.get_by_role("list", name="Conversations")).to_be_hidden()
    back = page.get_by_role("link", name="← Back to the conversations")
    expect(back).to_be_visible()
    assert_accessible(page)

    back.click()
    expect(page.get_by_role("list", name="Conversations")).to_be_visible()
    expect(pane(page)).to_be_hidden()
    still_the_same_page(page)


def test_live_updates_follow_the_conversation_opened_in_the_pane(
    asgi_server, open_as, sam, jordan, two_buyers_wrote
):
    jordans, _ = two_buyers_wrote
    server = asgi_server("web")
    page = live(open_as(sam, server, reverse("seller_inbox")))
    rows(page).filter(has_text="Jordan Miles").click()
    expect(pane(page)).to_contain_text("The second pillowcase is missing.")
    expect(page.locator("#live")).to_have_attribute("data-conversation", str(jordans.pk))
    expect(page.locator("html")).to_have_attribute("data-live", "open")

    factories.reply(jordans, jordan, "buyer", "Found it under the sofa, sorry!")

    expect(pane(page)).to_contain_text("Found it under the sofa, sorry!")
    still_the_same_page(page)
