"""Files dragged in or pasted, and their previews, in a real browser.

Jordan's parcel from Northwind arrived damaged. He drags a photo and the delivery note (a
PDF) onto the reply box, pastes a screenshot of the tracking page, takes out a file he
dropped by mistake, and sends. The worker draws the previews (tasks run at once in the
tests); Sam, Northwind's owner, sees the three pictures in the conversation and downloads
the full delivery note. A file that is not what its name says is refused by the server as
it is without the script, and Jordan's words are kept.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from messagecenter.messaging.models import Attachment
from tests import factories
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_message_loop import message_box, message_from, open_contact_buyer
from tests.previews import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTO = samples.picture("JPEG", (1200, 900))
DELIVERY_NOTE = factories.pdf_bytes("Delivery note 5521")
SCREENSHOT = samples.screenshot_png()

# A DataTransfer holding files made from base64, as a drag from the desktop or the
# clipboard carries them.
_TRANSFER = """(files) => {
  const transfer = new DataTransfer();
  for (const file of files) {
    const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], file.name, { type: file.type }));
  }
  return transfer;
}"""


def _files(*files: tuple[str, bytes, str]) -> list[dict[str, str]]:
    return [
        {"name": name, "data": base64.b64encode(data).decode(), "type": kind}
        for name, data, kind in files
    ]


def drop_files(target: Locator, *files: tuple[str, bytes, str]) -> None:
    """Drag files from the desktop and let go of them over ``target``."""
    transfer = target.page.evaluate_handle(_TRANSFER, _files(*files))
    for event in ("dragenter", "dragover", "drop"):
        target.dispatch_event(event, {"dataTransfer": transfer})


def paste_files(target: Locator, *files: tuple[str, bytes, str]) -> None:
    """Ctrl+V with files on the clipboard (a screenshot), into ``target``."""
    transfer = target.page.evaluate_handle(_TRANSFER, _files(*files))
    target.evaluate(
        """(element, transfer) => element.dispatchEvent(new ClipboardEvent("paste", {
            clipboardData: transfer, bubbles: true, cancelable: true }))""",
        transfer,
    )


def files_to_send(page: Page) -> Locator:
    return page.get_by_role("list", name="Files to send").get_by_role("listitem")


@pytest.fixture
def conversation(sam, jordans_order):
    return factories.seller_message(jordans_order, sam).conversation


def test_a_buyer_drops_and_pastes_files_and_the_seller_sees_their_previews(
    log_in, jordan, sam, conversation
):
    buyer = log_in(jordan)
    buyer.goto(f"/messages/{conversation.pk}/")
    reply_form = buyer.locator("form.compose-form")
    expect(reply_form.get_by_text("Drag files here or paste")).to_be_visible()
    editor = message_box(buyer)
    editor.fill("The parcel arrived crushed: a photo, the delivery note and the tracking page.")

    drop_files(
        editor,
        ("crushed-box.jpg", PHOTO, "image/jpeg"),
        ("delivery-note.pdf", DELIVERY_NOTE, "application/pdf"),
        ("holiday.jpg", PHOTO, "image/jpeg"),
    )
    paste_files(editor, ("image.png", SCREENSHOT, "image/png"))
    expect(files_to_send(buyer)).to_have_count(4)
    expect(files_to_send(buyer).nth(1)).to_contain_text("delivery-note.pdf")
    expect(files_to_send(buyer).nth(1)).to_contain_text(f"{len(DELIVERY_NOTE)} bytes")
    expect(files_to_send(buyer).nth(0)).to_contain_text(f"{len(PHOTO) / 1024:.1f} KB")
    # The holiday photo was dropped by mistake.
    buyer.get_by_role("button", name="Remove holiday.jpg").click()
    expect(files_to_send(buyer)).to_have_count(3)
    expect(buyer.get_by_role("status").filter(has_text="holiday.jpg removed.")).to_have_count(1)
    assert "holiday.jpg" not in editor.inner_text()  # files go with the message, not the text
    buyer.get_by_role("button", name="Send reply").click()

    mine = message_from(buyer, "Jordan Miles")
    expect(mine).to_contain_text("The parcel arrived crushed")
    names = sorted(a.original_name for a in Attachment.objects.all())
    assert names == ["crushed-box.jpg", "delivery-note.pdf", "image.png"]
    assert all(a.has_preview for a in Attachment.objects.all())

    seller = log_in(sam)
    seller.goto(f"/seller/messages/{conversation.pk}/")
    received = message_from(seller, "Jordan Miles")
    files = received.get_by_role("list", name="Attached files")
    for name in ("crushed-box.jpg", "delivery-note.pdf", "image.png"):
        preview = files.get_by_role("img", name=f"Preview of {name}")
        expect(preview).to_be_visible()
        # Loaded through the access-checked view, not broken (it loads lazily: once in view).
        preview.scroll_into_view_if_needed()
        seller.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=preview.element_handle()
        )
        assert 0 < int(preview.get_attribute("width") or 0) <= 320
    assert_accessible(seller)

    with seller.expect_download() as download_info:
        files.get_by_role("link", name=re.compile(r"delivery-note\.pdf")).click()
    download = download_info.value
    assert download.suggested_filename == "delivery-note.pdf"
    assert Path(download.path()).read_bytes() == DELIVERY_NOTE


def test_a_file_not_yet_drawn_shows_the_plain_link(log_in, jordan, sam, jordans_order):
    """Before the worker has made the preview, the page shows the ordinary file link."""
    conversation = factories.buyer_message(jordans_order, "The delivery note follows.").conversation
    note = samples.attachment_in(
        conversation, "delivery-note.pdf", DELIVERY_NOTE, "application/pdf"
    )
    message = note.message
    assert not note.has_preview  # no task was run for it

    seller = log_in(sam)
    seller.goto(f"/seller/messages/{message.conversation_id}/")
    files = message_from(seller, "Jordan Miles").last.get_by_role("list", name="Attached files")
    expect(files.get_by_role("link", name=re.compile(r"delivery-note\.pdf"))).to_be_visible()
    expect(files.get_by_role("img")).to_have_count(0)


def test_a_bad_file_dropped_is_refused_by_the_server_and_the_draft_is_kept(
    log_in, jordan, conversation
):
    buyer = log_in(jordan)
    buyer.goto(f"/messages/{conversation.pk}/")
    editor = message_box(buyer)
    editor.fill("Here is the photo of the label.")
    drop_files(
        buyer.locator("form.compose-form"),
        ("label.png", samples.text_named_like_a_photo(), "image/png"),
    )
    expect(files_to_send(buyer)).to_have_count(1)
    buyer.get_by_role("button", name="Send reply").click()

    expect(buyer.get_by_role("alert").filter(has_text="Your message was not sent")).to_be_visible()
    refusal = re.compile(r"“label\.png” is not a PNG image")
    expect(buyer.locator(".field__errors").get_by_text(refusal)).to_be_visible()
    expect(message_box(buyer)).to_have_text("Here is the photo of the label.")
    assert not Attachment.objects.exists()
    assert_accessible(buyer)


def test_every_compose_form_takes_dropped_files(log_in, sam, jordan, jordans_order):
    """Contact Buyer, a buyer contacting a seller and a question about a product: each says
    files can be dropped, and lists what was dropped. Sam sends his invoice that way."""
    product = factories.product(jordans_order.seller, "Walnut Side Table")
    buyer = log_in(jordan)
    for path in (f"/orders/{jordans_order.number}/contact/", f"/products/{product.pk}/ask/"):
        buyer.goto(path)
        form = buyer.locator("form").filter(has=buyer.get_by_label("Attachments"))
        expect(form.get_by_text("Drag files here or paste")).to_be_visible()
        drop_files(form, ("receipt.pdf", DELIVERY_NOTE, "application/pdf"))
        expect(files_to_send(buyer)).to_have_count(1)
        expect(files_to_send(buyer)).to_contain_text("receipt.pdf")

    seller = log_in(sam)
    open_contact_buyer(seller, jordans_order.number)
    seller.get_by_label("Message type").select_option(label="Send invoice")
    seller.get_by_label("Subject").fill("Your invoice")
    message_box(seller).fill("Here is the invoice for your order.")
    form = seller.locator("form").filter(has=seller.get_by_label("Attachments"))
    drop_files(form, ("invoice-5521.pdf", DELIVERY_NOTE, "application/pdf"))
    expect(files_to_send(seller)).to_have_count(1)
    seller.get_by_role("button", name="Send", exact=True).click()

    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    sent = message_from(seller, "Northwind Home Goods")
    expect(sent).to_contain_text("Here is the invoice for your order.")
    expect(sent.get_by_role("img", name="Preview of invoice-5521.pdf")).to_be_visible()
    assert Attachment.objects.get(original_name="invoice-5521.pdf").message.is_delivered
