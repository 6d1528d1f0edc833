"""A buyer's opt-out, and the files a refused message keeps, as people meet them.

Jordan chooses "Only messages I need". Sam, writing from Manage Orders, is told before he
writes which types Jordan will not receive, and at once after sending that his shipping
note was kept, not delivered. Morgan, reviewing a review request Sam marked [Important],
approves it (as it is, and with the mark edited out): neither reaches Jordan, and both
Morgan and Sam are told. When one of Sam's files is refused, the good one stays ticked and
the refused one is left out with its reason, so the next Send goes through.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from messagecenter.messaging.models import Message
from tests import factories
from tests.browser.test_compliance import (
    main_nav,
    message_box,
    message_from,
    open_contact_buyer,
    send,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DELAY = "Your order will ship on Monday instead of Friday because of a delay at our warehouse."
REVIEW_ASK = (
    "How did the duvet cover work out for you? If you have a moment, you can leave a "
    "review of the product on its page."
)
NOT_DELIVERED_SUFFIX = "(not delivered: the buyer opted out)"


def opt_out_in_settings(page: Page) -> None:
    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Only messages I need").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_label("Only messages I need")).to_be_checked()


def contact_buyer_from_manage_orders(page: Page, order_number: str) -> None:
    main_nav(page).get_by_role("link", name="Manage Orders").click()
    page.get_by_role("link", name=order_number).click()
    page.get_by_role("link", name="Contact Buyer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact Buyer")


def flash(page: Page, text: str):
    return page.get_by_role("status").get_by_role("listitem").filter(has_text=text)


def buyer_inbox_is_empty(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_text("No conversations here")).to_be_visible()


def test_seller_is_told_of_the_opt_out_before_writing_and_at_once_after_sending(
    log_in, sam, jordan, jordans_order
):
    buyer = log_in(jordan)
    opt_out_in_settings(buyer)

    seller = log_in(sam)
    contact_buyer_from_manage_orders(seller, jordans_order.number)
    # Before writing: the opt-out, and which types will not reach Jordan, and why.
    note = seller.get_by_role("note").filter(has_text="has opted out of unsolicited messages")
    expect(note).to_contain_text("Jordan Miles has opted out of unsolicited messages.")
    expect(note).to_contain_text("Shipment delay")
    expect(note).to_contain_text("Messages necessary to complete the order are still delivered.")
    delay_option = seller.get_by_label("Message type").locator('option[value="shipment_delay"]')
    expect(delay_option).to_have_text(f"Shipment delay {NOT_DELIVERED_SUFFIX}")
    problem_option = seller.get_by_label("Message type").locator(
        'option[value="unexpected_problem"]'
    )
    expect(problem_option).to_have_text("Unexpected problem")
    types = seller.locator("details.type-options")
    expect(types).to_have_attribute("open", "")
    expect(types.get_by_role("listitem").filter(has_text="Shipment delay")).to_contain_text(
        "Not delivered to this buyer: they have opted out of messages of this type."
    )

    # He sends it anyway: he is told at once, where "Message sent." would be, as a warning.
    seller.get_by_label("Message type").select_option("shipment_delay")
    seller.get_by_label("Subject").fill("Your parcel ships on Monday")
    message_box(seller).fill(DELAY)
    send(seller)
    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    told = flash(seller, "Kept, not delivered")
    expect(told).to_contain_text(
        "Kept, not delivered: the buyer has opted out of messages of this type."
    )
    expect(told).to_have_class(re.compile(r"\bflash--warning\b"))
    expect(seller.get_by_text("Message sent.")).to_have_count(0)
    kept = message_from(seller, "Northwind Home Goods")
    expect(kept.get_by_role("note")).to_contain_text("Not delivered.")

    buyer_inbox_is_empty(buyer)


def send_important_review_request(seller: Page, order_number: str, subject: str) -> None:
    open_contact_buyer(seller, order_number)
    seller.get_by_label("Message type").select_option("review_request")
    seller.get_by_label("Subject").fill(subject)
    message_box(seller).fill(REVIEW_ASK)
    send(seller)
    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    expect(flash(seller, "Your message is held for review")).to_contain_text(
        "type.important_misuse"
    )


def open_in_review_queue(admin: Page, subject: str) -> None:
    main_nav(admin).get_by_role("link", name=re.compile(r"^Review queue")).click()
    admin.get_by_role("row").filter(has_text=subject).get_by_role("link", name=subject).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Review: {subject}")


def test_approving_an_important_review_request_does_not_pass_the_opt_out(
    log_in, sam, jordan, morgan, northwind
):
    first = factories.order(buyer=jordan, seller=northwind, status="delivered", days_ago=10)
    second = factories.order(buyer=jordan, seller=northwind, status="delivered", days_ago=12)
    buyer = log_in(jordan)
    opt_out_in_settings(buyer)

    seller = log_in(sam)
    send_important_review_request(seller, first.number, "[Important] How is your duvet cover?")
    send_important_review_request(seller, second.number, "[Important] Your new duvet cover")

    admin = log_in(morgan)
    # Approved as it is: the mark was found misused, so it does not pass the opt-out.
    open_in_review_queue(admin, "[Important] How is your duvet cover?")
    admin.get_by_role("button", name="Approve as sent").click()
    told = flash(admin, "but not delivered")
    expect(told).to_contain_text(
        "Approved, but not delivered: the buyer has opted out of messages of this type"
    )
    expect(told).to_have_class(re.compile(r"\bflash--warning\b"))

    # Edited to drop [Important], then approved: not delivered either.
    open_in_review_queue(admin, "[Important] Your new duvet cover")
    admin.get_by_label("Subject", exact=True).fill("Your new duvet cover")
    admin.get_by_role("button", name="Save edits and approve").click()
    expect(flash(admin, "but not delivered")).to_contain_text(
        "Edited and approved, but not delivered"
    )
    expect(admin.get_by_text("Nothing is waiting for review.")).to_be_visible()

    # Sam sees both kept, not delivered; Jordan has nothing.
    for order in (first, second):
        seller.goto(f"/seller/orders/{order.number}/")
        seller.get_by_role("link", name="Open the conversation").click()
        expect(message_from(seller, "Northwind Home Goods").get_by_role("note")).to_contain_text(
            "Not delivered."
        )
    assert set(Message.objects.values_list("status", flat=True)) == {"undeliverable"}
    buyer_inbox_is_empty(buyer)


def test_a_refused_file_is_left_out_and_the_good_one_goes(
    log_in, make_pdf, tmp_path, sam, jordan, jordans_order
):
    manual = make_pdf("care-manual.pdf", "Care manual for the linen duvet cover")
    fake_photo = tmp_path / "uploads" / "photo.jpg"
    fake_photo.write_bytes(b"MZ\x90\x00 a program, not a photo")

    seller = log_in(sam)
    open_contact_buyer(seller, jordans_order.number)
    seller.get_by_label("Message type").select_option("unexpected_problem")
    seller.get_by_label("Subject").fill("A part of your order is damaged")
    message_box(seller).fill("The cover we had for you is damaged; a new one ships tomorrow.")
    seller.get_by_label("Attachments").set_input_files([manual, Path(fake_photo)])
    send(seller)

    expect(seller.get_by_role("alert").filter(has_text="Your message was not sent")).to_be_visible()
    uploaded = seller.get_by_role("group", name="Files already uploaded")
    good = uploaded.get_by_role("checkbox", name=re.compile(r"^care-manual\.pdf"))
    refused = uploaded.get_by_role("checkbox", name=re.compile(r"^photo\.jpg"))
    expect(good).to_be_checked()
    expect(refused).not_to_be_checked()
    expect(refused).to_have_accessible_description(re.compile(r"^Refused.*attach\.(content|type)"))

    # Send again as it stands: the good file goes, the refused one stays behind.
    send(seller)
    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    sent = message_from(seller, "Northwind Home Goods")
    files = sent.get_by_role("list", name="Attached files")
    expect(files.get_by_role("link")).to_have_count(1)
    expect(files.get_by_role("link", name=re.compile(r"care-manual\.pdf"))).to_be_visible()
