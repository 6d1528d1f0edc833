"""The whole message loop in a real browser, as the people using it see it.

Sam (owner of Northwind Home Goods) writes to Jordan about an order, with bold text and a PDF.
Jordan finds it unread, downloads the PDF and answers with a file of his own. Avery (Sam's
agent) finds the conversation under "Awaiting reply" and answers; Jordan reads the answer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# --- What people do, in their words --------------------------------------------------------


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def messages_nav_link(page: Page) -> Locator:
    """The Messages item of the main navigation, whose name includes any unread count."""
    return main_nav(page).get_by_role("link", name=re.compile(r"^Messages"))


def go_to(page: Page, nav_item: str) -> None:
    main_nav(page).get_by_role("link", name=re.compile(rf"^{nav_item}\b")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nav_item)


def message_box(page: Page) -> Locator:
    """The rich-text editor that replaces the Message textarea, once the script has run."""
    expect(page.get_by_role("toolbar", name="Formatting")).to_be_visible()
    return page.get_by_role("textbox", name="Message")


def conversation_row(page: Page, with_whom: str) -> Locator:
    return (
        page.get_by_role("list", name="Conversations")
        .get_by_role("listitem")
        .filter(has_text=with_whom)
    )


def message_from(page: Page, author: str) -> Locator:
    return page.get_by_role("article", name=f"Message from {author}")


def attachment_link(scope: Locator | Page, file_name: str) -> Locator:
    return scope.get_by_role("list", name="Attached files").get_by_role(
        "link", name=re.compile(re.escape(file_name))
    )


def send_reply(page: Page, text: str, attachment: Path | None = None) -> None:
    message_box(page).fill(text)
    if attachment is not None:
        page.get_by_label("Attachments").set_input_files(attachment)
    page.get_by_role("button", name="Send reply").click()


# --- The loop --------------------------------------------------------------------------------


def test_seller_buyer_and_agent_complete_a_conversation(
    log_in, make_pdf, tmp_path, sam, avery, jordan, jordans_order
):
    slots_pdf = make_pdf("delivery-slots.pdf", "Delivery slots for order " + jordans_order.number)
    photo_pdf = make_pdf("doorway-photo.pdf", "Where to leave the parcel")

    # Sam writes to Jordan from the order page.
    seller = log_in(sam)
    go_to(seller, "Manage Orders")
    seller.get_by_role("link", name=jordans_order.number).click()
    expect(seller.get_by_role("heading", level=1)).to_have_text(f"Order {jordans_order.number}")
    seller.get_by_role("link", name="Contact Buyer").click()
    expect(seller.get_by_role("heading", level=1)).to_have_text("Contact Buyer")

    seller.get_by_label("Message type").select_option(label="Schedule delivery")
    seller.get_by_label("Subject").fill("Delivery window for your duvet cover")
    editor = message_box(seller)
    editor.click()
    editor.press_sequentially("Hello Jordan, we can deliver on ")
    seller.get_by_role("toolbar", name="Formatting").get_by_role("button", name="Bold").click()
    editor.press_sequentially("Friday between 9 and 12")
    seller.get_by_role("button", name="Bold").click()
    editor.press_sequentially(". Does that suit you?")
    expect(editor.locator("strong, b")).to_have_text("Friday between 9 and 12")
    seller.get_by_label("Attachments").set_input_files(slots_pdf)
    seller.get_by_role("button", name="Send", exact=True).click()

    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    sent = message_from(seller, "Northwind Home Goods")
    expect(sent).to_contain_text("Hello Jordan, we can deliver on Friday between 9 and 12.")
    expect(sent.locator("strong, b")).to_have_text("Friday between 9 and 12")
    expect(attachment_link(sent, "delivery-slots.pdf")).to_be_visible()

    # Jordan sees it unread, with a count in the navigation.
    buyer = log_in(jordan)
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Messages")
    expect(messages_nav_link(buyer)).to_have_accessible_name("Messages 1 unread")
    row = conversation_row(buyer, "Northwind Home Goods")
    expect(row).to_have_count(1)
    expect(row.get_by_role("link")).to_have_accessible_name(re.compile(r"^Unread: Northwind"))
    expect(row).to_contain_text("Hello Jordan, we can deliver on Friday")
    row.get_by_role("link").click()

    expect(buyer.get_by_role("heading", level=1)).to_have_text(f"Order {jordans_order.number}")
    received = message_from(buyer, "Northwind Home Goods")
    expect(received.locator("strong, b")).to_have_text("Friday between 9 and 12")
    expect(received.locator("strong, b")).to_have_css("font-weight", "700")
    expect(messages_nav_link(buyer)).to_have_accessible_name("Messages")

    with buyer.expect_download() as download_info:
        attachment_link(received, "delivery-slots.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "delivery-slots.pdf"
    assert Path(download.path()).read_bytes() == slots_pdf.read_bytes()

    send_reply(buyer, "Friday works. Please leave it by the side door (photo attached).", photo_pdf)
    mine = message_from(buyer, "Jordan Miles")
    expect(mine).to_contain_text("Please leave it by the side door")
    expect(attachment_link(mine, "doorway-photo.pdf")).to_be_visible()

    # Avery, Sam's agent, finds it waiting for an answer and answers.
    agent = log_in(avery)
    expect(agent.get_by_role("heading", level=1)).to_have_text("Messages")
    filters = agent.get_by_role("navigation", name="Filter conversations")
    filters.get_by_role("link", name="Awaiting reply").click()
    expect(filters.get_by_role("link", name="Awaiting reply")).to_have_attribute(
        "aria-current", "page"
    )
    waiting = conversation_row(agent, "Jordan Miles")
    expect(waiting).to_contain_text("Awaiting reply")
    expect(waiting).to_contain_text("Please leave it by the side door")
    waiting.get_by_role("link").click()

    buyer_message = message_from(agent, "Jordan Miles")
    expect(buyer_message).to_contain_text("Please leave it by the side door")
    expect(attachment_link(buyer_message, "doorway-photo.pdf")).to_be_visible()
    send_reply(agent, "Noted: side door on Friday morning. Thank you, Jordan!")
    answer = message_from(agent, "Northwind Home Goods").filter(has_text="side door on Friday")
    expect(answer).to_contain_text("Avery Lee")

    go_to(agent, "Messages")
    filters.get_by_role("link", name="Awaiting reply").click()
    expect(agent.get_by_text("No conversations here.")).to_be_visible()

    # Jordan reads the agent's answer.
    go_to(buyer, "Messages")
    row = conversation_row(buyer, "Northwind Home Goods")
    expect(row.get_by_role("link")).to_have_accessible_name(re.compile(r"^Unread: "))
    row.get_by_role("link").click()
    expect(
        message_from(buyer, "Northwind Home Goods").filter(has_text="side door on Friday morning")
    ).to_be_visible()


def test_buyer_asks_about_a_product_and_the_seller_sees_it(log_in, sam, jordan, northwind):
    factories.product(northwind, title="Cast Iron Dutch Oven", price="64.50")
    factories.product(northwind, title="Bamboo Bath Towel Set", price="42.99")

    buyer = log_in(jordan)
    go_to(buyer, "Products")
    buyer.get_by_role("link", name="Ask a question about Cast Iron Dutch Oven").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Ask about Cast Iron Dutch Oven")
    expect(buyer.get_by_label("Subject")).to_have_value("Question about Cast Iron Dutch Oven")
    message_box(buyer).fill("Does the lid fit in a standard oven up to 250 °C?")
    buyer.get_by_role("button", name="Send", exact=True).click()

    expect(buyer).to_have_url(re.compile(r"/messages/\d+/"))
    expect(message_from(buyer, "Jordan Miles")).to_contain_text("standard oven up to 250 °C")

    seller = log_in(sam)
    row = conversation_row(seller, "Jordan Miles")
    expect(row).to_contain_text("Product: Cast Iron Dutch Oven")
    expect(row).to_contain_text("Awaiting reply")
    expect(row.get_by_role("link")).to_have_accessible_name(re.compile(r"^Unread: Jordan Miles"))
    row.get_by_role("link").click()
    expect(seller.locator("#conversation-title")).to_have_text(
        "Question about Cast Iron Dutch Oven"
    )
    expect(message_from(seller, "Jordan Miles")).to_contain_text("standard oven up to 250 °C")
    expect(seller.get_by_role("button", name="Send reply")).to_be_visible()


# --- Refused sends keep what was typed -----------------------------------------------------


def open_contact_buyer(page: Page, order_number: str) -> None:
    page.goto(f"/seller/orders/{order_number}/contact/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact Buyer")


def test_empty_message_is_refused_and_the_subject_is_kept(log_in, sam, jordans_order):
    seller = log_in(sam)
    open_contact_buyer(seller, jordans_order.number)
    seller.get_by_label("Message type").select_option(label="Shipment delay")
    seller.get_by_label("Subject").fill("Your parcel leaves on Monday")
    seller.get_by_role("button", name="Send", exact=True).click()

    expect(seller.get_by_role("alert").filter(has_text="Your message was not sent")).to_be_visible()
    expect(seller.get_by_text("Write a message before sending.")).to_be_visible()
    expect(seller.get_by_label("Subject")).to_have_value("Your parcel leaves on Monday")
    expect(seller.get_by_label("Message type")).to_have_value("shipment_delay")
    expect(message_box(seller)).to_have_accessible_description(
        re.compile("Write a message before sending.")
    )


def test_file_chosen_with_an_empty_message_is_kept(log_in, make_pdf, sam, jordans_order):
    invoice = make_pdf("invoice-2041.pdf", "Invoice 2041")
    seller = log_in(sam)
    open_contact_buyer(seller, jordans_order.number)
    seller.get_by_label("Message type").select_option(label="Send invoice")
    seller.get_by_label("Subject").fill("Your invoice")
    seller.get_by_label("Attachments").set_input_files(invoice)
    seller.get_by_role("button", name="Send", exact=True).click()

    expect(seller.get_by_text("Write a message before sending.")).to_be_visible()
    uploaded = seller.get_by_role("group", name="Files already uploaded")
    expect(uploaded.get_by_role("checkbox", name=re.compile(r"^invoice-2041\.pdf"))).to_be_checked(
        timeout=2_000
    )


def test_sixth_attachment_is_refused_and_everything_is_kept(log_in, make_pdf, sam, jordans_order):
    files = [make_pdf(f"page-{n}.pdf", f"Page {n}") for n in range(1, 7)]
    seller = log_in(sam)
    open_contact_buyer(seller, jordans_order.number)
    seller.get_by_label("Message type").select_option(label="Product support")
    seller.get_by_label("Subject").fill("Manual for your duvet cover")
    editor = message_box(seller)
    editor.click()
    editor.press_sequentially("Here is the manual, ")
    seller.get_by_role("button", name="Bold").click()
    editor.press_sequentially("all six pages")
    seller.get_by_label("Attachments").set_input_files(files)
    seller.get_by_role("button", name="Send", exact=True).click()

    expect(seller.get_by_role("alert").filter(has_text="Your message was not sent")).to_be_visible()
    expect(
        seller.get_by_text("You attached 6 files; a message can carry at most 5.")
    ).to_be_visible()
    expect(seller.get_by_label("Subject")).to_have_value("Manual for your duvet cover")
    expect(seller.get_by_label("Message type")).to_have_value("proactive_support")
    kept = message_box(seller)
    expect(kept).to_have_text("Here is the manual, all six pages")
    expect(kept.locator("strong, b")).to_have_text("all six pages")
    # Nothing was sent: the order still has no conversation to link to.
    expect(seller.get_by_role("link", name="conversation about this order")).to_have_count(0)

    # The six files are kept, ticked; leaving one out lets the message go.
    uploaded = seller.get_by_role("group", name="Files already uploaded")
    expect(uploaded.get_by_role("checkbox", checked=True)).to_have_count(6)
    uploaded.get_by_role("checkbox", name=re.compile(r"^page-6\.pdf")).uncheck()
    seller.get_by_role("button", name="Send", exact=True).click()

    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    sent = message_from(seller, "Northwind Home Goods")
    expect(sent.locator("strong, b")).to_have_text("all six pages")
    expect(sent.get_by_role("list", name="Attached files").get_by_role("link")).to_have_count(5)
    expect(attachment_link(sent, "page-6.pdf")).to_have_count(0)
