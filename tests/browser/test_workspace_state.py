"""The team's state of a conversation and the inbox's bulk actions, in a real browser.

Sam closes a conversation Jordan is waiting in: it leaves Awaiting reply and shows under
Closed; Jordan writes again and it is back. Sam marks one unread, snoozes one (the warning
names the reply deadline first), and selects rows to assign, mark read, mark "no response
needed" and close. axe finds nothing serious on the inbox with the bulk bar or on the card.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from messagecenter.threads.models import Conversation
from tests import factories
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_message_loop import message_box

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Filter conversations").get_by_role(
        "link", name=re.compile(f"^{name}")
    ).click()


def _row_link(page: Page, conversation: Conversation):
    # The row's link keeps the list's filter in its query.
    return page.locator(f'a[href^="/seller/messages/{conversation.pk}/"]')


def test_close_leaves_awaiting_and_a_buyer_message_brings_it_back(
    log_in, sam, jordan, jordans_order
):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    conversation = Conversation.objects.get(order=jordans_order)
    seller = log_in(sam)
    seller.goto(f"/seller/messages/{conversation.pk}/")
    card = seller.get_by_role("region", name="Status")
    expect(card).to_contain_text("Closing or snoozing does not stop the 24-hour clock")
    assert_accessible(seller)
    card.get_by_role("button", name="Close", exact=True).click()
    expect(seller.get_by_text("the reply clock keeps running")).to_be_visible()
    expect(card).to_contain_text("Closed by Sam Carter")

    seller.goto("/seller/messages/")
    _tab(seller, "Awaiting reply")
    expect(_row_link(seller, conversation)).to_have_count(0)
    _tab(seller, "Closed")
    expect(_row_link(seller, conversation)).to_have_count(1)

    buyer = log_in(jordan)
    buyer.goto(f"/messages/{conversation.pk}/")
    message_box(buyer).fill("Any news?")
    buyer.get_by_role("button", name="Send reply").click()
    expect(buyer.get_by_text("Any news?")).to_be_visible()

    seller.goto("/seller/messages/?filter=awaiting")
    expect(_row_link(seller, conversation)).to_have_count(1)
    seller.goto(f"/seller/messages/{conversation.pk}/")
    expect(seller.get_by_role("region", name="Status")).to_contain_text(
        "Reopened by the buyer’s new message"
    )


def test_mark_unread_and_snooze_with_the_deadline_warning(log_in, sam, jordans_order):
    factories.buyer_message(jordans_order, "Can you gift-wrap it?")
    conversation = Conversation.objects.get(order=jordans_order)
    seller = log_in(sam)
    seller.goto(f"/seller/messages/{conversation.pk}/")
    seller.get_by_role("button", name="Mark unread").click()
    expect(seller.get_by_text("as unread for you")).to_be_visible()
    expect(seller.get_by_role("navigation", name="Main")).to_contain_text("1")

    seller.goto(f"/seller/messages/{conversation.pk}/")
    # Next Monday is past the 24-hour deadline: refused until confirmed.
    seller.get_by_role("button", name=re.compile("^Next Monday 9:00")).click()
    expect(seller.get_by_text("Not snoozed: the answer to the buyer is due")).to_be_visible()
    seller.get_by_label("Snooze past the reply deadline anyway").check()
    seller.get_by_role("button", name=re.compile("^Next Monday 9:00")).click()
    expect(seller.get_by_text(re.compile("^Snoozed until"))).to_be_visible()
    expect(_row_link(seller, conversation)).to_have_count(0)
    _tab(seller, "Snoozed")
    expect(_row_link(seller, conversation)).to_have_count(1)


def test_select_rows_and_run_each_bulk_action(log_in, sam, avery, northwind):
    conversations = []
    for n in range(3):
        buyer = factories.user(f"bulk{n}@example.com", f"Buyer {n}")
        order = factories.order(buyer=buyer, seller=northwind, status="shipped")
        factories.buyer_message(order, f"Question {n}")
        conversations.append(Conversation.objects.get(order=order))
    seller = log_in(sam)
    seller.goto("/seller/messages/")
    bar = seller.locator("#bulk-actions")
    assert_accessible(seller)

    seller.get_by_label("Select all on this page").check()
    expect(bar).to_contain_text("3 selected")
    bar.get_by_label("Assign to").select_option(label="Avery Lee")
    bar.get_by_role("button", name="Assign", exact=True).click()
    expect(seller.get_by_text("Assigned 3 conversations.")).to_be_visible()

    seller.get_by_label("Select all on this page").check()
    bar.get_by_role("button", name="Mark read").click()
    expect(seller.get_by_text("Marked 3 conversations as read.")).to_be_visible()

    first = conversations[0]
    seller.get_by_label(re.compile(f"^Select “{re.escape(first.subject)}”")).check()
    bar.get_by_role("button", name="No response needed").click()
    expect(seller.get_by_text("Marked 1 conversation as needing no response.")).to_be_visible()

    seller.get_by_label("Select all on this page").check()
    bar.get_by_role("button", name="Close", exact=True).click()
    expect(seller.get_by_text("Closed 3 conversations.")).to_be_visible()
    assert Conversation.objects.exclude(closed_at=None).count() == 3
    assert set(Conversation.objects.values_list("assigned_to", flat=True)) == {avery.pk}
