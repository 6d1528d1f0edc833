"""The API's conversation and message rows, read as plain rows and written out by hand for
speed (api/representations.py), say exactly what DRF's field-by-field serialization of the
model instances says: the serializers are what the OpenAPI schema documents."""

from __future__ import annotations

import json

from django.utils import timezone
from rest_framework import serializers

from messagecenter.api.representations import ConversationRows, MessageRows
from messagecenter.api.selectors import (
    api_conversation_row,
    api_conversations,
    api_message_rows,
    attachments_by_message,
)
from messagecenter.api.serializers import ConversationSerializer, MessageSerializer
from messagecenter.messaging.models import Message
from messagecenter.messaging.selectors import messages_in_conversation
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.selectors import seller_inbox
from messagecenter.threads.services import conversation_mark_read
from tests import factories


def _by_fields(serializer: serializers.ModelSerializer, instance: object) -> str:
    return json.dumps(dict(serializers.ModelSerializer.to_representation(serializer, instance)))


def _conversations_of_every_kind(sam, avery, jordan, northwind) -> None:
    """Answered with a file; waiting, assigned and about a product, with a held reply;
    unread and read; buyers known by display name, by first and last name, and by nothing
    (Customer)."""
    answered = factories.buyer_message(
        factories.order(buyer=jordan, seller=northwind), "Where is my parcel?"
    ).conversation
    factories.reply(
        answered, sam, Side.SELLER, "Here is the label.", attachments=[factories.pdf_upload()]
    )
    waiting = factories.buyer_message(
        factories.order(buyer=jordan, seller=northwind), "Can I change the colour?"
    ).conversation
    Conversation.objects.filter(pk=waiting.pk).update(
        assigned_to=avery, product=factories.product(northwind, "Ceramic Teapot")
    )
    held = factories.reply(waiting, sam, Side.SELLER, "Let me check.")
    Message.objects.filter(pk=held.pk).update(
        status=Message.Status.HELD, no_response_needed_at=timezone.now()
    )
    named = factories.user("noor@example.com", first_name="Noor", last_name="Haddad")
    unnamed = factories.user("anon@example.com")
    factories.buyer_message(factories.order(buyer=named, seller=northwind))  # unread
    read = factories.buyer_message(factories.order(buyer=unnamed, seller=northwind))
    conversation_mark_read(conversation=read.conversation, user=sam)


def test_conversation_rows_read_as_the_serializer_says(sam, avery, jordan, northwind):
    _conversations_of_every_kind(sam, avery, jordan, northwind)

    rows = list(api_conversations(sam))
    instances = {c.pk: c for c in seller_inbox(sam)}

    assert len(rows) == 4
    written = ConversationRows()
    shown = [written(row) for row in rows]
    assert {c["buyer_name"] for c in shown} == {"Jordan Miles", "Noor Haddad", "Customer"}
    assert {c["unread"] for c in shown} == {True, False}
    assert any(c["assigned_to"] for c in shown) and any(c["product_title"] for c in shown)
    for row, one in zip(rows, shown, strict=True):
        assert json.dumps(one) == _by_fields(ConversationSerializer(), instances[row["id"]])
        single = api_conversation_row(sam, row["id"])
        assert written(single) == one


def test_message_rows_read_as_the_serializer_says(sam, avery, jordan, northwind):
    _conversations_of_every_kind(sam, avery, jordan, northwind)

    shown = []
    for conversation in seller_inbox(sam):
        rows = list(api_message_rows(conversation))
        files = attachments_by_message([row["id"] for row in rows])
        written = MessageRows(seller_name=conversation.seller.name)
        messages = messages_in_conversation(conversation, Side.SELLER)
        for row, message in zip(rows, messages, strict=True):
            one = json.dumps(written(row, files[row["id"]]))
            assert one == _by_fields(MessageSerializer(), message)
            # The send result writes out one message instance through the same code.
            assert one == json.dumps(MessageSerializer().to_representation(message))
            shown.append(json.loads(one))

    assert len(shown) == 6
    assert {m["sender_name"] for m in shown} == {
        "Jordan Miles",
        "Noor Haddad",
        "Customer",
        "Northwind Home Goods",
    }
    assert any(m["attachments"] for m in shown)
    assert any(m["status"] == "held" for m in shown)
