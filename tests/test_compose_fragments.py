"""Contact Buyer and Contact seller keep their order summary and their message types'
availability rendered (inbox/compose_fragments.py), keyed by everything each shows: a
change to the order or to what the seller may send shows on the next load."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from messagecenter.accounts.models import SellerBusiness
from orders.models import Order

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
