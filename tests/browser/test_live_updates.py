"""Live updates in real browsers, served by real ASGI servers (uvicorn) sharing one Redis.

Jordan (a buyer) writes to Northwind Home Goods about his order; Sam (its owner) and
Avery (its agent) answer. Each person has a browser of their own, and in the first story
Jordan and Sam are on different web processes: what one does reaches the other through
Redis. Nobody reloads: each page is marked when it loads, and the mark must survive.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from messagecenter.threads.models import Conversation, Side
from tests import factories
from tests.browser.conftest import show_tab

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Long enough for a reconnect after the server comes back (its backoff is at most 15 s).
RECONNECT_MS = 25_000


def conversation_of(order) -> Conversation:
    return Conversation.objects.get(order=order)


def buyer_page(conversation: Conversation) -> str:
    return reverse("buyer_conversation", args=[conversation.pk])


def seller_page(conversation: Conversation) -> str:
    return reverse("seller_conversation", args=[conversation.pk])


def live(page: Page) -> Page:
    """Wait for the page's socket, then mark the page: a reload would lose the mark."""
    expect(page.locator("html")).to_have_attribute("data-live", "open")
    page.evaluate("window.notReloaded = true")
    return page


def still_the_same_page(page: Page) -> None:
    assert page.evaluate("window.notReloaded === true"), "the page was reloaded"


def message_from(page: Page, author: str) -> Locator:
    return page.get_by_role("article", name=f"Message from {author}")


def message_box(page: Page) -> Locator:
    expect(page.get_by_role("toolbar", name="Formatting")).to_be_visible()
    return page.get_by_role("textbox", name="Message")


def send_reply(page: Page, text: str) -> None:
    message_box(page).fill(text)
    page.get_by_role("button", name="Send reply").click()


def messages_badge(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^Messages")
    )


def conversation_row(page: Page, with_whom: str) -> Locator:
    return (
        page.get_by_role("list", name="Conversations")
        .get_by_role("listitem")
        .filter(has_text=with_whom)
    )


def test_a_message_sent_on_one_web_process_appears_on_the_other(
    asgi_server, open_as, jordan, sam, jordans_order
):
    factories.buyer_message(jordans_order, "Where is my parcel? It has been a week.")
    conversation = conversation_of(jordans_order)
    first, second = asgi_server("web-1"), asgi_server("web-2")
    jordans = live(open_as(jordan, first, buyer_page(conversation)))
    sams = live(open_as(sam, second, seller_page(conversation)))
    expect(sams.get_by_text("Seen")).to_have_count(0)

    send_reply(sams, "It left our warehouse on Monday; could you check with your neighbours?")

    # Jordan's page, on the other process, shows the answer without a reload...
    answer = message_from(jordans, "Northwind Home Goods")
    expect(answer).to_contain_text("could you check with your neighbours?")
    still_the_same_page(jordans)
    # ...and Sam, whose page reloaded after sending, sees that Jordan has seen it.
    expect(sams.locator("[data-live-status]")).to_have_text("Seen")
    live(sams)

    jordans.reload()  # a reload shows nothing new, and the receipt stays
    expect(message_from(jordans, "Northwind Home Goods")).to_have_count(1)
    expect(sams.locator("[data-live-status]")).to_have_text("Seen")


def test_a_tab_in_the_background_does_not_say_seen_until_it_is_looked_at(
    asgi_server, open_as, jordan, sam, jordans_order
):
    factories.buyer_message(jordans_order, "Where is my parcel? It has been a week.")
    conversation = conversation_of(jordans_order)
    server = asgi_server("web")
    jordans = live(open_as(jordan, server, buyer_page(conversation), hidden=True))
    sams = live(open_as(sam, server, seller_page(conversation)))

    send_reply(sams, "It left our warehouse on Monday; could you check with your neighbours?")

    # Jordan's tab in the background takes the answer in, but he has not seen it yet.
    answer = message_from(jordans, "Northwind Home Goods")
    expect(answer).to_contain_text("could you check with your neighbours?")
    sams.reload()
    live(sams)
    expect(sams.locator("[data-live-status]")).not_to_have_text("Seen")

    show_tab(jordans)

    expect(sams.locator("[data-live-status]")).to_have_text("Seen")
    still_the_same_page(sams)
    still_the_same_page(jordans)


def test_inbox_rows_unread_dots_and_badges_follow_new_messages(
    asgi_server, open_as, jordan, sam, avery, jordans_order
):
    server = asgi_server("web")
    jordans_inbox = live(open_as(jordan, server, reverse("buyer_inbox")))
    averys_inbox = live(open_as(avery, server, reverse("seller_inbox")))
    expect(averys_inbox.get_by_text("No conversations here.")).to_be_visible()

    # Jordan writes (from another place: a worker, the API or the mail intake publish too).
    factories.buyer_message(jordans_order, "Where is my parcel? It has been a week.")

    # The team's inbox gets the new conversation, unread, and Avery's badge counts it.
    averys_row = conversation_row(averys_inbox, "Jordan Miles")
    expect(averys_row).to_contain_text("It has been a week")
    expect(averys_row.get_by_text("Unread:")).to_have_count(1)
    expect(messages_badge(averys_inbox)).to_have_accessible_name("Messages 1 unread")
    # Jordan's own inbox lists it too, read: he wrote it.
    jordans_row = conversation_row(jordans_inbox, "Northwind Home Goods")
    expect(jordans_row).to_contain_text("It has been a week")
    expect(jordans_row.get_by_text("Unread:")).to_have_count(0)
    expect(messages_badge(jordans_inbox)).to_have_accessible_name("Messages")

    # Sam answers: Jordan's row shows the answer, unread, with his badge.
    conversation = conversation_of(jordans_order)
    factories.reply(
        conversation, sam, Side.SELLER, "It is on its way: the courier calls before noon."
    )
    expect(jordans_row).to_contain_text("the courier calls before noon")
    expect(jordans_row.get_by_text("Unread:")).to_have_count(1)
    expect(messages_badge(jordans_inbox)).to_have_accessible_name("Messages 1 unread")
    expect(averys_row).to_contain_text("the courier calls before noon")

    # Jordan opens it in another tab: his inbox and badge show it read.
    other_tab = jordans_inbox.context.new_page()
    other_tab.goto(buyer_page(conversation))
    expect(jordans_row.get_by_text("Unread:")).to_have_count(0)
    expect(messages_badge(jordans_inbox)).to_have_accessible_name("Messages")
    still_the_same_page(jordans_inbox)
    still_the_same_page(averys_inbox)


def test_a_teammate_sees_who_is_replying_and_the_buyer_does_not(
    asgi_server, open_as, jordan, sam, avery, jordans_order
):
    factories.buyer_message(jordans_order, "Where is my parcel? It has been a week.")
    conversation = conversation_of(jordans_order)
    first, second = asgi_server("web-1"), asgi_server("web-2")
    averys = live(open_as(avery, first, seller_page(conversation)))
    jordans = live(open_as(jordan, second, buyer_page(conversation)))

    message_box(averys).fill("Let me look at the courier's tracking for you")

    # Sam opens the conversation while Avery writes, on the other process: he sees it.
    sams = live(open_as(sam, second, seller_page(conversation)))
    status = sams.locator("[data-live-status]")
    expect(status).to_have_text("Avery Lee is replying")
    # Avery does not see herself; Jordan, the buyer, sees nothing of it.
    expect(averys.get_by_text("is replying")).to_have_count(0)
    expect(jordans.get_by_text("is replying")).to_have_count(0)

    # Avery leaves the composer empty: Sam's page says so at once.
    message_box(averys).fill("")
    expect(status).to_have_text("")
    # She writes, then turns to the reply clock card: she is no longer replying.
    message_box(averys).fill("Let me look at the courier's tracking for you")
    expect(status).to_have_text("Avery Lee is replying")
    averys.get_by_role("heading", name="Reply clock").click()
    expect(status).to_have_text("")

    # She writes again and sends: the line goes when the answer arrives.
    send_reply(averys, "The courier has it and calls before noon tomorrow.")
    expect(message_from(sams, "Northwind Home Goods")).to_contain_text("calls before noon")
    expect(status).not_to_contain_text("is replying")
    expect(jordans.get_by_text("is replying")).to_have_count(0)
    still_the_same_page(sams)
    still_the_same_page(jordans)


def test_after_a_dropped_connection_the_page_reconnects_and_catches_up(
    asgi_server, open_as, jordan, sam, jordans_order
):
    factories.buyer_message(jordans_order, "Where is my parcel? It has been a week.")
    conversation = conversation_of(jordans_order)
    server = asgi_server("web")
    jordans = live(open_as(jordan, server, buyer_page(conversation)))

    server.stop()  # the process dies: the socket drops without a goodbye
    expect(jordans.locator("html")).not_to_have_attribute("data-live", "open")
    # Meanwhile Sam answers twice, from another process.
    factories.reply(conversation, sam, Side.SELLER, "It left our warehouse on Monday.")
    factories.reply(conversation, sam, Side.SELLER, "The courier calls before noon tomorrow.")
    server.start()

    expect(jordans.locator("html")).to_have_attribute("data-live", "open", timeout=RECONNECT_MS)
    answers = message_from(jordans, "Northwind Home Goods")
    expect(answers).to_have_count(2)
    expect(answers.nth(0)).to_contain_text("left our warehouse on Monday")
    expect(answers.nth(1)).to_contain_text("calls before noon")
    still_the_same_page(jordans)


def test_pages_work_with_javascript_off(asgi_server, open_as, jordan, sam, jordans_order):
    factories.buyer_message(jordans_order, "Where is my parcel? It has been a week.")
    conversation = conversation_of(jordans_order)
    factories.reply(conversation, sam, Side.SELLER, "It left our warehouse on Monday.")
    server = asgi_server("web")

    jordans = open_as(jordan, server, buyer_page(conversation), javascript=False)

    expect(message_from(jordans, "Northwind Home Goods")).to_contain_text("warehouse on Monday")
    jordans.get_by_role("textbox", name="Message").fill(
        "Thank you, I will be at home on Tuesday morning."
    )
    jordans.get_by_role("button", name="Send reply").click()
    expect(message_from(jordans, "Jordan Miles").last).to_contain_text("home on Tuesday")
    assert jordans.locator("html").get_attribute("data-live") is None
    # Sam's server-rendered page shows the answer and the receipt without any script.
    sams = open_as(sam, server, seller_page(conversation), javascript=False)
    expect(message_from(sams, "Jordan Miles").last).to_contain_text("home on Tuesday")
    jordans.reload()
    expect(jordans.locator("[data-live-status]")).to_have_text("Seen")


def test_pages_work_with_the_socket_blocked(asgi_server, open_as, jordan, sam, jordans_order):
    factories.buyer_message(jordans_order, "Where is my parcel? It has been a week.")
    conversation = conversation_of(jordans_order)
    server = asgi_server("web")
    sams = open_as(sam, server, "/", javascript=True)
    # A proxy that refuses websockets: every attempt is closed at once.
    sams.route_web_socket(re.compile(r".*/ws/live/.*"), lambda socket: socket.close())
    sams.goto(seller_page(conversation))
    expect(sams.locator("html")).to_have_attribute("data-live", "closed")

    send_reply(sams, "It left our warehouse on Monday; the courier calls ahead.")

    expect(message_from(sams, "Northwind Home Goods")).to_contain_text("courier calls ahead")


def test_a_held_answer_appears_when_a_reviewer_approves_it(
    asgi_server, open_as, jordan, sam, morgan, jordans_order
):
    from messagecenter.moderation.review import review_approve

    held = factories.held_seller_message(jordans_order, sam)
    conversation = conversation_of(jordans_order)
    # Jordan writes after it was held: his page's newest message is newer than the held one.
    factories.buyer_message(jordans_order, "Did you send the licence key yet?")
    jordans = live(open_as(jordan, asgi_server("web"), buyer_page(conversation)))
    expect(message_from(jordans, "Northwind Home Goods")).to_have_count(0)

    review_approve(message_id=held.pk, reviewer=morgan)

    expect(message_from(jordans, "Northwind Home Goods")).to_contain_text("ABCD-1234")
    still_the_same_page(jordans)
