"""What a seller sees about a buyer's opt-out, before writing (Contact Buyer) and at once
after sending (the notice where "Message sent." would be)."""

from __future__ import annotations

import re

from django.urls import reverse

from messagecenter.api.tokens import api_token_create
from messagecenter.messaging.models import Message
from tests import factories

DELAY = "Your order will ship on Monday instead of Friday because of a delay at our warehouse."
PROACTIVE_TYPES = ("return_question", "proactive_support", "shipment_delay")


def _opt_out(buyer):
    buyer.opted_out_of_unsolicited = True
    buyer.save()


def _contact_buyer(client, order, **data):
    return client.post(reverse("contact_buyer", args=[order.number]), data, follow=True)


def _flashes(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<li class="flash flash--(\w+)">(.*?)</li>', page, re.S)


# ---- item 2: say what happened, at once, in the same place -------------------------------


def test_an_undeliverable_message_is_reported_as_kept_not_delivered(
    client, jordan, sam, jordans_order
):
    _opt_out(jordan)
    client.force_login(sam)
    response = _contact_buyer(
        client,
        jordans_order,
        message_type="shipment_delay",
        subject="Shipping update",
        body=DELAY,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/seller/messages/")
    [(level, text)] = _flashes(page)
    assert level == "warning"
    assert text.startswith("Kept, not delivered: the buyer has opted out of messages of this type.")
    assert "Message sent." not in page
    assert Message.objects.get().status == Message.Status.UNDELIVERABLE


def test_a_delivered_message_to_a_buyer_who_opted_out_still_says_sent(
    client, jordan, sam, jordans_order
):
    """A critical message reaches them: the notice is the green one."""
    _opt_out(jordan)
    client.force_login(sam)
    page = _contact_buyer(
        client,
        jordans_order,
        message_type="confirm_order_details",
        subject="Address check",
        body="Please confirm the delivery address: is it apartment 4B?",
    ).content.decode()
    assert _flashes(page) == [("success", "Message sent.")]
    assert Message.objects.get().status == Message.Status.DELIVERED


def test_an_undeliverable_message_with_changes_names_both(client, jordan, sam, jordans_order):
    _opt_out(jordan)
    client.force_login(sam)
    page = _contact_buyer(
        client,
        jordans_order,
        message_type="shipment_delay",
        subject="Shipping update",
        body=DELAY + " Questions? Call 415-555-0134.",
    ).content.decode()
    [(level, text)] = _flashes(page)
    assert level == "warning"
    assert "Kept, not delivered" in text
    assert "contact.phone" in text
    assert "delivered with changes" not in page


# ---- item 3: the opt-out on Contact Buyer, before the seller writes ----------------------


def test_contact_buyer_shows_the_opt_out_and_the_types_it_stops(client, jordan, sam, jordans_order):
    _opt_out(jordan)
    client.force_login(sam)
    page = client.get(reverse("contact_buyer", args=[jordans_order.number])).content.decode()
    assert "Jordan Miles has opted out of unsolicited messages." in page
    note = re.search(r'<div class="banner banner--warning opt-out-note".*?</div>', page, re.S)
    assert note is not None
    for label in ("Shipment delay", "Product support", "Question about a return"):
        assert f"<strong>{label}</strong>" in note.group(0)
    assert "Confirm order details" not in note.group(0)
    # In the list of types and in the select: marked, with why; critical ones are not.
    assert page.count("type-option--undelivered") == len(PROACTIVE_TYPES)
    assert "Not delivered to this buyer: they have opted out of messages of this type." in page
    for type_id in PROACTIVE_TYPES:
        option = re.search(rf'<option value="{type_id}"[^>]*>([^<]*)</option>', page)
        assert option is not None
        assert option.group(1).endswith("(not delivered: the buyer opted out)")
    option = re.search(r'<option value="unexpected_problem"[^>]*>([^<]*)</option>', page)
    assert option is not None and "not delivered" not in option.group(1)


def test_contact_buyer_says_nothing_of_opt_out_when_the_buyer_did_not(
    client, jordan, sam, jordans_order
):
    client.force_login(sam)
    page = client.get(reverse("contact_buyer", args=[jordans_order.number])).content.decode()
    assert "has opted out" not in page
    assert "type-option--undelivered" not in page
    assert "(not delivered: the buyer opted out)" not in page


def test_contact_buyer_after_the_buyer_wrote_marks_nothing(client, jordan, sam, jordans_order):
    """An answer to the buyer always reaches them, whatever its type."""
    _opt_out(jordan)
    factories.buyer_message(jordans_order, "Could you tell me when my parcel ships?")
    client.force_login(sam)
    page = client.get(reverse("contact_buyer", args=[jordans_order.number])).content.decode()
    assert "has opted out" not in page
    assert "type-option--undelivered" not in page


def test_the_api_says_which_types_would_not_be_delivered(client, jordan, sam, jordans_order):
    _opt_out(jordan)
    key = api_token_create(user=sam, name="Order tool").key
    response = client.get(
        f"/api/v1/orders/{jordans_order.number}/messaging-actions",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
    actions = {a["message_type"]: a for a in response.json()["actions"]}
    for type_id in PROACTIVE_TYPES:
        assert actions[type_id]["delivered"] is False
        assert "opted out" in actions[type_id]["not_delivered_reason"]
    assert actions["unexpected_problem"]["delivered"] is True
    assert actions["unexpected_problem"]["not_delivered_reason"] == ""
