"""The API's conversation and message rows, written out by hand for speed, say exactly
what DRF's field-by-field serialization says."""

from __future__ import annotations

import json

from django.utils import timezone
from rest_framework import serializers

from messagecenter.api.selectors import api_conversations, api_messages
from messagecenter.api.serializers import ConversationSerializer, MessageSerializer
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation, Side
from tests import factories


def _both_ways(serializer: serializers.ModelSerializer, instance: object) -> tuple[str, str]:
    written_out = serializer.to_representation(instance)
    by_fields = serializers.ModelSerializer.to_representation(serializer, instance)
    return json.dumps(written_out), json.dumps(dict(by_fields))


def test_messages_and_conversations_read_the_same_both_ways(sam, avery, jordan, northwind):
    answered = factories.buyer_message(
        factories.order(buyer=jordan, seller=northwind), "Where is my parcel?"
    ).conversation
    factories.reply(
        answered, sam, Side.SELLER, "Here is the label.", attachments=[factories.pdf_upload()]
    )
    waiting = factories.buyer_message(
        factories.order(buyer=jordan, seller=northwind), "Can I change the colour?"
    ).conversation
    Conversation.objects.filter(pk=waiting.pk).update(assigned_to=avery)
    held = factories.reply(waiting, sam, Side.SELLER, "Let me check.")
    Message.objects.filter(pk=held.pk).update(
        status=Message.Status.HELD, no_response_needed_at=timezone.now()
    )

    conversations = list(api_conversations(sam))
    messages = [m for c in conversations for m in api_messages(c)]

    assert len(conversations) == 2 and len(messages) == 4
    assert any(m.attachments.all() for m in messages)
    for conversation in conversations:
        written_out, by_fields = _both_ways(ConversationSerializer(), conversation)
        assert written_out == by_fields
    for message in messages:
        written_out, by_fields = _both_ways(MessageSerializer(), message)
        assert written_out == by_fields
