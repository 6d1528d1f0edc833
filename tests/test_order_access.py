"""The order's door (orders/access.py): the order with its buyer, seller and, for the
Contact pages, its conversation, then its lines, read by statements written once, the
same on PostgreSQL and SQLite (in the SQLite lane); missing and forbidden answer alike."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import Http404

from messagecenter.threads.models import Conversation
from orders.access import access_order_as_buyer, access_order_as_seller, joined_conversation
from orders.models import Order
from tests import factories


def test_the_seller_door_reads_everything_a_contact_page_shows_in_two_queries(
    sam, jordan, northwind, django_assert_num_queries
):
    order = factories.order(buyer=jordan, seller=northwind, lines=3)
    factories.buyer_message(order, "Where is my parcel?")
    stored = Conversation.objects.get(order=order)
    expected = Order.objects.select_related("buyer", "seller").get(pk=order.pk)

    # the order (its people, its conversation, the viewer's membership), then its lines
    with django_assert_num_queries(2):
        opened = access_order_as_seller(sam, order.number, with_conversation=True)
        conversation = joined_conversation(opened)
        lines = list(opened.lines.all())
        seen = (opened.buyer.email, opened.seller.name, opened.ordered_at, opened.shipped_at)

    assert seen == (jordan.email, northwind.name, expected.ordered_at, expected.shipped_at)
    assert [line.title for line in lines] == [f"Linen Duvet Cover #{i}" for i in (1, 2, 3)]
    assert lines[0].unit_price == Decimal("19.99") and lines[0].quantity == 2
    assert isinstance(conversation, Conversation) and conversation.pk == stored.pk
    assert conversation.created_at == stored.created_at
    assert conversation.reply_due_at == stored.reply_due_at


def test_an_order_without_a_conversation_yet_has_none(sam, jordans_order):
    opened = access_order_as_seller(sam, jordans_order.number, with_conversation=True)

    assert joined_conversation(opened) is None
    assert [line.sku for line in opened.lines.all()] == [jordans_order.lines.get().sku]


def test_the_seller_door_stays_shut_to_other_sellers_and_to_missing_orders(
    sam, maria, jordan, jordans_order
):
    for user, number in [
        (maria, jordans_order.number),  # another business's member
        (jordan, jordans_order.number),  # the buyer, at the seller's door
        (sam, "114-0000000-0000000"),  # no such order
    ]:
        for with_conversation in (False, True):
            with pytest.raises(Http404, match="No such order"):
                access_order_as_seller(user, number, with_conversation=with_conversation)


def test_the_buyer_door_opens_the_buyers_own_orders_only(jordan, priya, jordans_order):
    opened = access_order_as_buyer(jordan, jordans_order.number, with_conversation=True)

    assert opened.pk == jordans_order.pk and joined_conversation(opened) is None
    assert len(opened.lines.all()) == 1
    with pytest.raises(Http404, match="No such order"):
        access_order_as_buyer(priya, jordans_order.number)
