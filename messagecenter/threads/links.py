"""Absolute links to a conversation, for email."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from messagecenter.threads.models import Conversation, Side


def conversation_url(conversation: Conversation, side: Side | str) -> str:
    """The conversation's page for a participant on this side."""
    name = "seller_conversation" if side == Side.SELLER else "buyer_conversation"
    return settings.SITE_URL + reverse(name, args=[conversation.pk])
