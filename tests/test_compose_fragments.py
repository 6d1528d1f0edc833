"""Contact Buyer and Contact seller keep their order summary and their message types'
availability rendered (inbox/compose_fragments.py), keyed by everything each shows: a
change to the order or to what the seller may send shows on the next load."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from messagecenter.accounts.models import SellerBusiness
from orders.models import Order
from tests import factories

RESTRICTED = '<span class="type-option__reason">Your proactive messaging is restricted until'


def test_a_restriction_and_a_new_order_status_show_on_the_next_load(
    client, sam, northwind, jordans_order
):
    client.force_login(sam)
    url = reverse("contact_buyer", args=[jordans_order.number])
    before = client.get(url).content.decode()
    assert RESTRICTED not in before
    assert 'class="status status--shipped"' in before

    SellerBusiness.objects.filter(pk=northwind.pk).update(
        proactive_restricted_until=timezone.now() + timedelta(days=3),
        proactive_restriction_reason="of repeated promotions",
    )
    jordans_order.status = Order.Status.CANCELLED
    jordans_order.save()
    after = client.get(url).content.decode()

    assert RESTRICTED in after
    assert "because of repeated promotions" in after
    assert 'class="status status--cancelled"' in after


def test_each_side_sees_its_own_summary(client, sam, jordan, northwind, jordans_order):
    client.force_login(sam)
    seller_page = client.get(reverse("contact_buyer", args=[jordans_order.number]))
    client.force_login(jordan)
    buyer_page = client.get(reverse("contact_seller", args=[jordans_order.number]))

    assert "<dt>Buyer</dt><dd>Jordan" in seller_page.content.decode()
    assert "<dt>Seller</dt><dd>Northwind Home Goods</dd>" in buyer_page.content.decode()
    assert "Which message types can I send now?" not in buyer_page.content.decode()


def test_the_form_shows_a_restriction_and_a_buyer_question_on_the_next_load(
    client, sam, northwind, jordans_order
):
    """The empty form's fields are kept too: closing the proactive types (a restriction)
    and opening the reply type (a buyer asked) are new fields, not the kept ones."""
    client.force_login(sam)
    url = reverse("contact_buyer", args=[jordans_order.number])
    first = client.get(url).content.decode()
    assert '<option value="shipment_delay">' in first  # proactive, open
    assert 'value="reply"' not in first

    SellerBusiness.objects.filter(pk=northwind.pk).update(
        proactive_restricted_until=timezone.now() + timedelta(days=3),
        proactive_restriction_reason="of repeated promotions",
    )
    restricted = client.get(url).content.decode()
    assert '<option value="shipment_delay" disabled title="' in restricted
    assert "data-conversation=" not in restricted

    factories.buyer_message(jordans_order, "Where is my parcel?")
    asked = client.get(url).content.decode()
    assert '<option value="reply" selected>Reply to the buyer</option>' in asked
    assert "data-conversation=" in asked  # the live check now names the conversation


def test_a_form_sent_back_shows_what_was_written(client, sam, jordans_order):
    client.force_login(sam)
    url = reverse("contact_buyer", args=[jordans_order.number])
    client.get(url)  # the empty form kept

    response = client.post(
        url, {"message_type": "confirm_order_details", "subject": "About your duvet", "body": ""}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="About your duvet"' in body
    assert '<option value="confirm_order_details" selected>' in body
    assert 'class="field field--invalid" id="field-body"' in body
