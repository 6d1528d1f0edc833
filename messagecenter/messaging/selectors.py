from __future__ import annotations

from django.db.models import QuerySet

from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation


def messages_in_conversation(conversation: Conversation) -> QuerySet[Message]:
    """Every message of the conversation, oldest first, with sender and files."""
    return (
        Message.objects.filter(conversation=conversation)
        .select_related("sender")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
