"""Reply templates in a real browser, as a seller's team uses them.

Sam (owner of Northwind Home Goods) keeps the team's templates: a template with a link to
another website is refused with the rule's explanation; the others are saved. He answers
Jordan with one chosen from the Templates button and one typed as "/" and its name, and
writes from Contact Buyer with one allowed for the message type he chose. Jordan reads the
messages with his name, order and dates filled in.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from messagecenter.reply_templates.services import reply_template_create
from tests import factories
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_message_loop import go_to, message_box, message_from

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHIPPED = "Hello {buyer_name}, your order {order_number} shipped on {ship_date}. It arrives {delivery_date}."
THANKS = "Thank you, {buyer_name}. Your {product} left our warehouse on {ship_date}."
PROBLEM = (
    "We are sorry, {buyer_name}: the {product} of order {order_number} was damaged in our "
    "warehouse. We will send a replacement within three days."
)


@pytest.fixture
def team_templates(northwind, sam):
    for name, body, types in (
        ("shipped", SHIPPED, ["reply"]),
        ("thanks", THANKS, ["reply"]),
        ("problem", PROBLEM, ["unexpected_problem"]),
    ):
        reply_template_create(
            business=northwind, author=sam, name=name, body=body, message_types=types
        )


def template_picker(page: Page) -> Locator:
    return page.get_by_role("listbox", name="Templates", exact=True)


def suggestions(page: Page) -> Locator:
    return page.get_by_role("listbox", name="Templates matching what you typed")


def test_a_seller_saves_templates_and_a_blocked_one_is_refused_with_the_rule(log_in, sam):
    seller = log_in(sam)
    go_to(seller, "Templates")
    expect(seller.get_by_text("No templates yet.")).to_be_visible()
    assert_accessible(seller)

    seller.get_by_label("Name").fill("deals")
    seller.get_by_label("Text", exact=True).fill(
        "Hi {buyer_name}, our best deals: https://cheap-deals.example.net"
    )
    seller.get_by_role("button", name="Save template").click()
    alert = seller.get_by_role("alert")
    expect(alert).to_contain_text("The message policy would block this template.")
    expect(seller.locator("#field-body")).to_contain_text(
        "As “Reply”: External link (link.external): Links to other websites "
        "(cheap-deals.example.net) can't be sent to buyers."
    )
    # Nothing lost: the text is there to correct.
    expect(seller.get_by_label("Text", exact=True)).to_have_value(
        "Hi {buyer_name}, our best deals: https://cheap-deals.example.net"
    )
    assert_accessible(seller)

    seller.get_by_label("Text", exact=True).fill("Hi {buyer_name}, about {order_nmber}.")
    seller.get_by_role("button", name="Save template").click()
    expect(seller.locator("#field-body")).to_contain_text("Unknown placeholder {order_nmber}.")

    seller.get_by_label("Name").fill("shipped")
    seller.get_by_label("Text", exact=True).fill(SHIPPED)
    seller.get_by_role("group", name="Only for these message types").get_by_label(
        "Reply", exact=True
    ).check()
    seller.get_by_role("button", name="Save template").click()
    expect(seller.get_by_role("status")).to_contain_text("Template “shipped” saved.")
    row = seller.get_by_role("row").filter(has_text="/shipped")
    expect(row).to_contain_text("Reply")
    expect(row).to_contain_text("by Sam Carter")

    row.get_by_role("link", name="Edit shipped").click()
    expect(seller.get_by_role("heading", level=1)).to_have_text("Template /shipped")
    seller.get_by_label("Name").fill("sent")
    seller.get_by_role("button", name="Save template").click()
    expect(seller.get_by_role("status")).to_contain_text("Template “sent” saved.")
    seller.get_by_role("button", name="Delete sent").click()
    expect(seller.get_by_role("status")).to_contain_text("Template “sent” deleted.")
    expect(seller.get_by_text("No templates yet.")).to_be_visible()


def test_a_seller_answers_with_templates_by_click_and_by_slash(
    log_in, sam, jordan, jordans_order, team_templates
):
    conversation = factories.buyer_message(jordans_order, "Has my order left yet?").conversation
    seller = log_in(sam)
    seller.goto(f"/seller/messages/{conversation.pk}/")
    editor = message_box(seller)

    # The Templates button: only the templates for a reply are offered.
    seller.get_by_role("button", name="Templates", exact=True).click()
    picker = template_picker(seller)
    expect(picker.get_by_role("option")).to_have_count(2)
    expect(picker.get_by_role("option").filter(has_text="/problem")).to_have_count(0)
    assert_accessible(seller)
    picker.get_by_role("option").filter(has_text="/shipped").click()
    expect(editor).to_contain_text(
        f"Hello Jordan Miles, your order {jordans_order.number} shipped on "
    )
    # This order has no delivery date yet: the placeholder stays, and the seller is told.
    expect(editor).to_contain_text("It arrives {delivery_date}.")
    expect(seller.get_by_role("status").filter(has_text="no value for")).to_contain_text(
        "There is no value for {delivery_date} here"
    )

    # Typing "/" lists the templates; the arrow keys choose, Enter inserts.
    editor.fill("")
    editor.press_sequentially("Hi! /")
    listed = suggestions(seller)
    expect(listed.get_by_role("option")).to_have_count(2)
    expect(listed.get_by_role("option", selected=True)).to_contain_text("/shipped")
    editor.press("ArrowDown")
    expect(listed.get_by_role("option", selected=True)).to_contain_text("/thanks")
    active = listed.get_by_role("option", selected=True).get_attribute("id")
    expect(editor).to_have_attribute("aria-activedescendant", active or "")
    assert_accessible(seller)
    editor.press("Escape")
    expect(listed).to_be_hidden()
    editor.press_sequentially("th")  # "/th" now
    expect(listed.get_by_role("option")).to_have_count(1)
    editor.press("Enter")
    expect(listed).to_be_hidden()
    expect(editor).to_contain_text(
        "Thank you, Jordan Miles. Your Linen Duvet Cover left our warehouse on "
    )
    expect(editor).not_to_contain_text("/th")
    seller.get_by_role("button", name="Send reply").click()
    sent = message_from(seller, "Northwind Home Goods").last
    expect(sent).to_contain_text("Thank you, Jordan Miles. Your Linen Duvet Cover left")

    buyer = log_in(jordan)
    buyer.goto(f"/messages/{conversation.pk}/")
    received = message_from(buyer, "Northwind Home Goods")
    expect(received).to_contain_text("Hi! Thank you, Jordan Miles. Your Linen Duvet Cover left")
    expect(received).not_to_contain_text("{")


def test_contact_buyer_offers_the_templates_of_the_chosen_type(
    log_in, sam, jordan, jordans_order, team_templates
):
    seller = log_in(sam)
    go_to(seller, "Manage Orders")
    seller.get_by_role("link", name=jordans_order.number).click()
    seller.get_by_role("link", name="Contact Buyer").click()
    expect(seller.get_by_role("heading", level=1)).to_have_text("Contact Buyer")
    editor = message_box(seller)

    seller.get_by_label("Message type").select_option(label="Unexpected problem")
    seller.get_by_label("Subject").fill("A problem with your order")
    seller.get_by_role("button", name="Templates", exact=True).click()
    picker = template_picker(seller)
    expect(picker.get_by_role("option")).to_have_count(1)  # the reply templates are not
    seller.get_by_role("combobox", name="Find a template").press("Escape")
    expect(picker).to_be_hidden()

    editor.click()
    editor.press_sequentially("/prob")
    listed = suggestions(seller)
    expect(listed.get_by_role("option")).to_have_count(1)
    editor.press("Tab")
    expect(editor).to_contain_text(
        f"We are sorry, Jordan Miles: the Linen Duvet Cover of order {jordans_order.number}"
    )
    seller.get_by_role("button", name="Send", exact=True).click()
    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))

    buyer = log_in(jordan)
    buyer.get_by_role("link", name=re.compile("Northwind Home Goods")).first.click()
    received = message_from(buyer, "Northwind Home Goods")
    expect(received).to_contain_text(
        f"We are sorry, Jordan Miles: the Linen Duvet Cover of order {jordans_order.number} "
        "was damaged in our warehouse."
    )
