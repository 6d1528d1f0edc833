"""Conversation pages keep each rendered message, and show it afresh whenever anything it
shows has changed: nobody sees an old name or status."""

from __future__ import annotations

from django.urls import reverse

from messagecenter.accounts.models import SellerBusiness
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Side
from tests import factories


def _page(client, user, name: str, conversation_id: int) -> str:
    client.force_login(user)
    return client.get(reverse(name, args=[conversation_id])).content.decode()


def test_a_renamed_business_shows_its_new_name_on_every_message(client, jordan, sam, jordans_order):
    conversation = factories.buyer_message(jordans_order, "Where is my parcel?").conversation
    factories.reply(conversation, sam, Side.SELLER, "It left today.")
    assert "Northwind Home Goods" in _page(client, jordan, "buyer_conversation", conversation.pk)

    SellerBusiness.objects.filter(pk=jordans_order.seller_id).update(name="Northwind Living")
    page = _page(client, jordan, "buyer_conversation", conversation.pk)

    assert "Northwind Home Goods" not in page
    assert 'aria-label="Message from Northwind Living"' in page


def _thread(page: str) -> str:
    """The messages of a seller's page, without the list and search box beside them."""
    return page[page.index("data-live-messages") :]


def test_a_message_shows_its_new_status(client, jordan, sam, jordans_order):
    conversation = factories.buyer_message(jordans_order, "Where is my parcel?").conversation
    reply = factories.reply(conversation, sam, Side.SELLER, "It left today.")
    Message.objects.filter(pk=reply.pk).update(status=Message.Status.HELD)
    assert "Held for review" in _thread(_page(client, sam, "seller_conversation", conversation.pk))

    Message.objects.filter(pk=reply.pk).update(status=Message.Status.DELIVERED)
    page = _thread(_page(client, sam, "seller_conversation", conversation.pk))

    assert "Held for review" not in page
    assert "It left today." in page


def test_each_side_sees_its_own_rendering(client, jordan, sam, jordans_order):
    conversation = factories.buyer_message(jordans_order, "Where is my parcel?").conversation
    factories.reply(conversation, sam, Side.SELLER, "It left today.")

    seller_page = _page(client, sam, "seller_conversation", conversation.pk)
    buyer_page = _page(client, jordan, "buyer_conversation", conversation.pk)

    # The seller's side names the team member who wrote; the buyer's side does not.
    assert "Northwind Home Goods · Sam Carter" in seller_page
    assert "Sam Carter" not in buyer_page
