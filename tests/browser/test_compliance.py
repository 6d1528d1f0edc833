"""The messaging policy in a real browser, as sellers, buyers and administrators meet it.

Sam (owner of Northwind Home Goods) sees what the policy thinks of his draft while he types,
keeps his draft and his file when a send is refused, and has a message held for review that
Morgan, an administrator, approves for Jordan to read. Jordan's hostile HTML never runs on
Sam's screen, and Morgan can allow a link domain in the admin without a deploy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from compliance.models import PolicySettings, RuleSetting
from messagecenter.messaging.models import Message
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOP_LINK = "https://my-shop.example.net/deals"
SAMS_EMAIL = "sam.carter@gmail.com"
CARE_TIP = "Wash the linen at 40 degrees and dry it flat so it keeps its shape."


# --- What people do, in their words --------------------------------------------------------


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def messages_nav_link(page: Page) -> Locator:
    return main_nav(page).get_by_role("link", name=re.compile(r"^Messages"))


def message_box(page: Page) -> Locator:
    """The rich-text editor that replaces the Message textarea, once the script has run."""
    expect(page.get_by_role("toolbar", name="Formatting")).to_be_visible()
    return page.get_by_role("textbox", name="Message")


def open_contact_buyer(page: Page, order_number: str) -> None:
    page.goto(f"/seller/orders/{order_number}/contact/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact Buyer")


def live_check(page: Page) -> Locator:
    """The "Before you send" box that lists what the policy would say about the draft."""
    return page.get_by_role("region", name="Before you send")


def live_finding(page: Page, rule_id: str) -> Locator:
    return (
        live_check(page)
        .get_by_role("listitem")
        .filter(has_text=re.compile(rf"\({re.escape(rule_id)}, "))
    )


def message_from(page: Page, author: str) -> Locator:
    return page.get_by_role("article", name=f"Message from {author}")


def attachment_link(scope: Locator | Page, file_name: str) -> Locator:
    return scope.get_by_role("list", name="Attached files").get_by_role(
        "link", name=re.compile(re.escape(file_name))
    )


def conversation_row(page: Page, with_whom: str) -> Locator:
    return (
        page.get_by_role("list", name="Conversations")
        .get_by_role("listitem")
        .filter(has_text=with_whom)
    )


def send(page: Page) -> None:
    page.get_by_role("button", name="Send", exact=True).click()


# --- While writing ---------------------------------------------------------------------------


def test_live_check_names_the_rules_while_the_seller_types(log_in, sam, jordans_order):
    seller = log_in(sam)
    open_contact_buyer(seller, jordans_order.number)
    seller.get_by_text("Which message types can I send now?").click()
    type_option = (
        seller.get_by_role("group").filter(has_text="Which message types").get_by_role("listitem")
    )
    expect(type_option.filter(has_text="Product support")).not_to_contain_text("not available")
    # Not delivered yet, so too early to ask for a review.
    expect(type_option.filter(has_text="Request a review")).to_contain_text("not available")
    seller.get_by_label("Message type").select_option(label="Product support")
    seller.get_by_label("Subject").fill("Care guide for your duvet cover")
    expect(live_check(seller)).to_have_count(0)  # nothing to say about an empty draft

    editor = message_box(seller)
    editor.click()
    editor.press_sequentially(f"{CARE_TIP} Questions? Write to {SAMS_EMAIL} or see {SHOP_LINK}")

    # No Send: the box fills in from the server's verdict while the text is still a draft.
    expect(live_finding(seller, "link.external")).to_contain_text("External link")
    expect(live_finding(seller, "link.external").locator("q")).to_have_text(
        re.compile(re.escape("my-shop.example.net/deals"))
    )
    expect(live_finding(seller, "contact.email").locator("q")).to_have_text(SAMS_EMAIL)
    expect(live_finding(seller, "link.external")).to_contain_text("block")
    expect(live_finding(seller, "contact.email")).to_contain_text("redact")
    assert not Message.objects.exists()

    # Deleting the link (" or see https://…") takes its finding away; the email stays.
    for _ in range(len(f" or see {SHOP_LINK}")):
        editor.press("Backspace")
    expect(editor).to_have_text(f"{CARE_TIP} Questions? Write to {SAMS_EMAIL}")
    expect(live_finding(seller, "link.external")).to_have_count(0)
    expect(live_finding(seller, "contact.email").locator("q")).to_have_text(SAMS_EMAIL)

    # And with the address gone too, the box goes away.
    for _ in range(len(f" Questions? Write to {SAMS_EMAIL}")):
        editor.press("Backspace")
    expect(live_check(seller)).to_have_count(0)


# --- A refused send --------------------------------------------------------------------------


def test_blocked_send_keeps_the_draft_and_the_file(log_in, make_pdf, sam, jordan, jordans_order):
    manual = make_pdf("care-manual.pdf", "Care manual for the linen duvet cover")
    seller = log_in(sam)
    open_contact_buyer(seller, jordans_order.number)
    seller.get_by_label("Message type").select_option(label="Product support")
    seller.get_by_label("Subject").fill("Care manual for your duvet cover")
    editor = message_box(seller)
    editor.fill(f"Here is the care manual for your duvet cover. More tips: {SHOP_LINK}")
    seller.get_by_label("Attachments").set_input_files(manual)
    send(seller)

    expect(seller.get_by_role("alert").filter(has_text="Your message was not sent")).to_be_visible()
    # The reason is tied to the Message field: the rule, and the words it is about.
    expect(message_box(seller)).to_have_accessible_description(
        re.compile(r"link\.external.*my-shop\.example\.net/deals")
    )
    expect(seller.get_by_label("Subject")).to_have_value("Care manual for your duvet cover")
    expect(seller.get_by_label("Message type")).to_have_value("proactive_support")
    expect(message_box(seller)).to_have_text(
        f"Here is the care manual for your duvet cover. More tips: {SHOP_LINK}"
    )
    uploaded = seller.get_by_role("group", name="Files already uploaded")
    expect(uploaded.get_by_role("checkbox", name=re.compile(r"^care-manual\.pdf"))).to_be_checked()
    assert not Message.objects.filter(status=Message.Status.DELIVERED).exists()

    # Without the link it goes, and the kept file goes with it.
    message_box(seller).fill("Here is the care manual for your duvet cover.")
    send(seller)
    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    sent = message_from(seller, "Northwind Home Goods")
    expect(sent).to_contain_text("Here is the care manual for your duvet cover.")
    expect(sent).not_to_contain_text("my-shop")
    expect(attachment_link(sent, "care-manual.pdf")).to_be_visible()

    buyer = log_in(jordan)
    conversation_row(buyer, "Northwind Home Goods").get_by_role("link").click()
    received = message_from(buyer, "Northwind Home Goods")
    expect(received).to_contain_text("Here is the care manual for your duvet cover.")
    with buyer.expect_download() as download_info:
        attachment_link(received, "care-manual.pdf").click()
    assert download_info.value.suggested_filename == "care-manual.pdf"
    assert Path(download_info.value.path()).read_bytes() == manual.read_bytes()


def test_ampersands_and_angle_brackets_read_as_typed(log_in, sam, jordans_order):
    """Unformatted text from the editor still goes as markup, so its entities are decoded."""
    seller = log_in(sam)
    open_contact_buyer(seller, jordans_order.number)
    seller.get_by_label("Message type").select_option(label="Schedule delivery")
    seller.get_by_label("Subject").fill("Delivery days")
    editor = message_box(seller)
    editor.click()
    editor.press_sequentially("We deliver on Friday & Saturday;  parcels < 5 kg go first. ")
    send(seller)

    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    sent = message_from(seller, "Northwind Home Goods")
    expect(sent).to_contain_text("We deliver on Friday & Saturday;")
    expect(sent).to_contain_text("parcels < 5 kg go first.")
    expect(sent).not_to_contain_text("&amp;")
    expect(sent).not_to_contain_text("&nbsp;")


# --- Held for review -------------------------------------------------------------------------


def a_flag_rule_in_force() -> str:
    """The rule that will hold the message in the test below: the operator has made
    link.external a flag rule (an operator's choice the engine must honour)."""
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.create(policy=policy, rule="link.external", action="flag")
    return "link.external"


def test_held_message_is_approved_and_reaches_the_buyer(log_in, sam, jordan, morgan, jordans_order):
    rule_id = a_flag_rule_in_force()
    subject = "Washing tips for your linen"
    text = f"{CARE_TIP} More tips: {SHOP_LINK}"

    seller = log_in(sam)
    open_contact_buyer(seller, jordans_order.number)
    seller.get_by_label("Message type").select_option(label="Product support")
    seller.get_by_label("Subject").fill(subject)
    message_box(seller).fill(text)
    send(seller)

    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    expect(seller.get_by_text("Your message is held for review")).to_be_visible()
    held = message_from(seller, "Northwind Home Goods")
    expect(held.get_by_role("note")).to_contain_text("Held for review")
    expect(held).to_contain_text(CARE_TIP)

    buyer = log_in(jordan)
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Messages")
    expect(messages_nav_link(buyer)).to_have_accessible_name("Messages")
    expect(conversation_row(buyer, "Northwind Home Goods")).to_have_count(0)

    admin = log_in(morgan)
    main_nav(admin).get_by_role("link", name=re.compile(r"^Review queue")).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Review queue")
    held_row = admin.get_by_role("row").filter(has_text="Northwind Home Goods")
    expect(held_row).to_contain_text(rule_id)
    held_row.get_by_role("link", name=subject).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(f"Review: {subject}")
    why = admin.get_by_role("region", name="Why it was held")
    expect(why).to_contain_text(rule_id)
    expect(why).to_contain_text("flag")
    admin.get_by_role("button", name="Approve as sent").click()
    expect(admin.get_by_text("Approved: the message has been delivered.")).to_be_visible()
    expect(admin.get_by_text("Nothing is waiting for review.")).to_be_visible()

    buyer.reload()
    expect(messages_nav_link(buyer)).to_have_accessible_name("Messages 1 unread")
    row = conversation_row(buyer, "Northwind Home Goods")
    expect(row.get_by_role("link")).to_have_accessible_name(re.compile(r"^Unread: Northwind"))
    row.get_by_role("link").click()
    received = message_from(buyer, "Northwind Home Goods")
    expect(received).to_contain_text(CARE_TIP)
    expect(received.get_by_role("note")).to_have_count(0)

    seller.reload()
    expect(message_from(seller, "Northwind Home Goods").get_by_role("note")).to_have_count(0)


# --- Hostile HTML ----------------------------------------------------------------------------

HOSTILE_SUBJECT = "Damaged parcel <img src=x onerror=\"window.__pwned='subject'\">"
HOSTILE_BODY = """
<p>Hello, the parcel arrived <b>damaged</b>; photos are in my album.</p>
<script>window.__pwned = 'script'; alert('script'); document.title = 'pwned';</script>
<img src="x" onerror="window.__pwned = 'img'; alert('img')">
<svg onload="window.__pwned = 'svg'"><circle r="5"></circle></svg>
<svg><script>window.__pwned = 'svg-script'</script></svg>
<iframe src="javascript:parent.__pwned = 'iframe'"></iframe>
<iframe srcdoc="&lt;script&gt;parent.__pwned = 'srcdoc'&lt;/script&gt;"></iframe>
<p><a href="javascript:window.__pwned = 'link'">Open my photo album</a></p>
<p><a href=" JaVaScRiPt:window.__pwned = 'link2'">Second album</a></p>
<body onload="window.__pwned = 'body'">
<div onmouseover="window.__pwned = 'hover'" style="position:fixed;inset:0">Where is my refund?</div>
<details open ontoggle="window.__pwned = 'details'"><summary>More</summary></details>
<input autofocus onfocus="window.__pwned = 'input'">
<object data="javascript:window.__pwned = 'object'"></object>
<embed src="javascript:window.__pwned = 'embed'">
<form action="javascript:window.__pwned = 'form'"><button>Claim</button></form>
<meta http-equiv="refresh" content="0;url=javascript:window.__pwned = 'meta'">
<base href="javascript:window.__pwned = 'base'//">
<style>body { display: none }</style>
<p>Please call me back about it.</p>
<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned = 'mxss'">
"""


def nothing_ran(page: Page, dialogs: list[str]) -> None:
    """No payload set its marker, changed the title or opened a dialog."""
    assert page.evaluate("() => window.__pwned") is None
    assert page.title() != "pwned"
    assert dialogs == []


def test_hostile_html_from_a_buyer_never_runs_on_the_sellers_screen(log_in, sam, jordans_order):
    message = factories.buyer_message(jordans_order, HOSTILE_BODY, subject=HOSTILE_SUBJECT)
    assert message.status == Message.Status.DELIVERED

    dialogs: list[str] = []
    seller = log_in(sam)

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    seller.on("dialog", refuse)
    row = conversation_row(seller, "Jordan Miles")
    expect(row).to_contain_text("Hello, the parcel arrived damaged")
    row.get_by_role("link").click()
    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    # Give late payloads (onload, onerror after a failed image) their chance to run.
    seller.wait_for_load_state("load")
    seller.wait_for_timeout(300)
    nothing_ran(seller, dialogs)

    # What Jordan meant to say is all there, as text.
    received = message_from(seller, "Jordan Miles")
    expect(received).to_contain_text("Hello, the parcel arrived damaged")
    expect(received.locator("b, strong")).to_have_text("damaged")
    expect(received).to_contain_text("Where is my refund?")
    expect(received).to_contain_text("Please call me back about it.")
    expect(received).to_contain_text("Damaged parcel <img src=x")  # the subject, as text
    expect(
        received.locator("script, iframe, svg, object, embed, form, input, img, style, base")
    ).to_have_count(0)
    expect(seller.get_by_role("button", name="Send reply")).to_be_visible()

    # Clicking the disarmed links and hovering the text runs nothing either.
    for name in ("Open my photo album", "Second album"):
        link = received.get_by_text(name)
        expect(link).not_to_have_attribute("href", re.compile(r"javascript", re.IGNORECASE))
        link.click()
    received.get_by_text("Where is my refund?").hover()
    seller.wait_for_timeout(100)
    nothing_ran(seller, dialogs)
    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))


# --- The operator's policy -------------------------------------------------------------------


def test_operator_allows_a_link_domain_in_the_admin(log_in, sam, morgan, jordans_order):
    PolicySettings.objects.create()  # the marketplace's policy, as installed
    manual_text = "The manual for your duvet cover is at https://my-shop.example.net/manual"

    # Before: the link is refused.
    seller = log_in(sam)
    open_contact_buyer(seller, jordans_order.number)
    seller.get_by_label("Message type").select_option(label="Product support")
    seller.get_by_label("Subject").fill("Manual for your duvet cover")
    message_box(seller).fill(manual_text)
    send(seller)
    expect(seller.get_by_role("alert").filter(has_text="Your message was not sent")).to_be_visible()
    expect(message_box(seller)).to_have_accessible_description(re.compile(r"link\.external"))

    # Morgan allows the shop's domain in the admin.
    admin = log_in(morgan)
    main_nav(admin).get_by_role("link", name="Admin").click()
    # The app and its one model share the name: the model is the row in the app's table.
    admin.get_by_role("rowheader").get_by_role("link", name="Messaging policy").click()
    admin.locator("#result_list tbody").get_by_role("link", name="Messaging policy").click()
    domains = admin.get_by_label("Allowed link domains")
    expect(domains).to_have_value("marketplace.example")
    domains.fill("marketplace.example\nmy-shop.example.net")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.get_by_text("was changed successfully")).to_be_visible()

    # After: the same draft, kept on Sam's page, goes through.
    expect(message_box(seller)).to_have_text(manual_text)
    send(seller)
    expect(seller).to_have_url(re.compile(r"/seller/messages/\d+/"))
    expect(seller.get_by_text("Message sent.")).to_be_visible()
    sent = message_from(seller, "Northwind Home Goods")
    expect(sent).to_contain_text(manual_text)
    assert Message.objects.filter(status=Message.Status.DELIVERED).count() == 1
