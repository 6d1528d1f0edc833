from __future__ import annotations

from django.db.models import Q, QuerySet

from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation, Side

# What the sending side sees of its own undelivered messages; the other side never does.
OWN_UNDELIVERED = (
    Message.Status.HELD,
    Message.Status.REJECTED,
    Message.Status.UNDELIVERABLE,
)


def messages_in_conversation(conversation: Conversation, side: Side | str) -> QuerySet[Message]:
    """The messages a participant on this side sees, oldest first, with sender and files.

    Delivered messages are seen by both sides. Held and rejected ones only by the side
    that wrote them; blocked ones by nobody but administrators.
    """
    visible = Q(status=Message.Status.DELIVERED) | Q(sender_side=side, status__in=OWN_UNDELIVERED)
    return (
        Message.objects.filter(visible, conversation=conversation)
        .select_related("sender", "no_response_needed_by")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
