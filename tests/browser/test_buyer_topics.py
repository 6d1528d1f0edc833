"""Buyer topics in a real browser.

Sam (owner of Northwind Home Goods) sends damaged items to Avery. Jordan contacts
Northwind about his order from Your Orders, says (with the keyboard) that the item came
damaged, and sends. Avery finds the conversation labelled, given to her, and under the
inbox's "Damaged item" topic. On a phone, Jordan's reply box follows the thread.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from messagecenter.threads.models import Conversation
from tests import factories
from tests.browser.test_accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def message_box(page: Page) -> Locator:
    """The rich-text editor that replaces the Message textarea, once the script has run."""
    expect(page.get_by_role("toolbar", name="Formatting")).to_be_visible()
    return page.get_by_role("textbox", name="Message")


def topic_group(page: Page) -> Locator:
    return page.get_by_role("group", name="What is your message about?")


def test_a_buyers_topic_labels_and_routes_the_conversation(
    log_in, jordan, sam, avery, jordans_order
):
    owner = log_in(sam)
    owner.goto("/settings/")
    owner.get_by_role("link", name="Where topics go").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Where topics go")
    assert_accessible(owner)
    owner.get_by_label("Damaged item").select_option(label="Avery Lee")
    owner.get_by_role("button", name="Save").click()
    expect(owner.get_by_text(re.compile("^Saved: new conversations of Northwind"))).to_be_visible()
    expect(owner.get_by_label("Damaged item")).to_have_value(str(avery.pk))

    buyer = log_in(jordan)
    buyer.goto("/orders/")
    buyer.get_by_role(
        "link", name=re.compile(rf"Contact seller about order {jordans_order.number}")
    ).click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Contact seller")
    group = topic_group(buyer)
    # The keyboard way through a radio group: focus the first choice, arrow to the third.
    group.get_by_role("radio", name="Where is my order").focus()
    buyer.keyboard.press("ArrowRight")
    buyer.keyboard.press("ArrowRight")
    expect(group.get_by_role("radio", name="Damaged item")).to_be_checked()
    editor = message_box(buyer)
    editor.click()
    editor.press_sequentially("The lid arrived cracked.")
    buyer.get_by_role("button", name="Send", exact=True).click()
    expect(buyer.get_by_text("Topic: Damaged item")).to_be_visible()
    expect(buyer.get_by_text("The lid arrived cracked.")).to_be_visible()

    agent = log_in(avery)
    agent.goto("/seller/messages/")
    row = agent.get_by_role("list", name="Conversations").get_by_role("listitem").first
    expect(row).to_contain_text("Topic: Damaged item")
    expect(row).to_contain_text("Assigned: Avery Lee")
    topics = agent.get_by_role("navigation", name="Filter conversations by topic")
    topics.get_by_role("link", name="Return").click()
    expect(agent.get_by_text("No conversations here.")).to_be_visible()
    topics.get_by_role("link", name="Damaged item").click()
    expect(agent.get_by_role("list", name="Conversations").get_by_role("listitem")).to_have_count(1)
    assert_accessible(agent)
    agent.get_by_role("list", name="Conversations").get_by_role("link").first.click()
    expect(agent.get_by_text("Topic: Damaged item")).to_be_visible()
    assert Conversation.objects.get(order=jordans_order).assigned_to_id == avery.pk


def test_a_product_question_has_its_topic_chosen_and_the_picker_passes_axe(
    log_in, jordan, northwind, jordans_order
):
    product = factories.product(northwind, "Enamel Kettle")
    buyer = log_in(jordan)

    buyer.goto(f"/products/{product.pk}/ask/")
    expect(
        topic_group(buyer).get_by_role("radio", name="Question about the product")
    ).to_be_checked()
    message_box(buyer)
    assert_accessible(buyer)

    buyer.goto(f"/orders/{jordans_order.number}/contact/")
    expect(topic_group(buyer).get_by_role("radio", checked=True)).to_have_count(0)
    message_box(buyer)
    assert_accessible(buyer)


def test_on_a_phone_the_reply_box_follows_the_thread(log_in, jordan, sam, jordans_order):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    factories.seller_message(jordans_order, sam)
    conversation = Conversation.objects.get(order=jordans_order)
    buyer = log_in(jordan)
    buyer.set_viewport_size(PHONE)

    buyer.goto(f"/messages/{conversation.pk}/")
    message_box(buyer)
    thread = buyer.get_by_role("region", name="Messages in this conversation")
    reply = buyer.get_by_role("region", name="Reply")
    last_message = thread.get_by_role("article").last
    expect(reply).to_be_visible()

    message_box_top = reply.bounding_box()
    message_bottom = last_message.bounding_box()
    assert message_box_top is not None and message_bottom is not None
    assert message_box_top["y"] >= message_bottom["y"] + message_bottom["height"]
    # Screen readers read the page's order: the thread, then the reply box.
    assert thread.evaluate(
        "(thread, reply) => Boolean("
        "thread.compareDocumentPosition(reply) & Node.DOCUMENT_POSITION_FOLLOWING)",
        reply.element_handle(),
    )
    assert buyer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
