"""Whether a message may reach its recipient, and making it reach them.

``opt_out_stops`` is the one function that decides whether a buyer's opt-out stops a
seller's message. It is asked at every moment of delivery: the first send (whichever way
the message came in) and the approval of a held message, with the subject as it will be
delivered, so a reviewer's edit counts.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.utils import timezone

from compliance.important import is_marked_important
from compliance.message_types import TypeGroup, get_message_type
from compliance.sanitize import preview_text
from messagecenter.core.events import publish
from messagecenter.messaging.events import MessageDelivered, MessageUndeliverable
from messagecenter.messaging.models import Message
from messagecenter.messaging.replies import answers_buyer
from messagecenter.threads.models import Conversation, Side


class Delivery(StrEnum):
    """What becomes of a checked message."""

    DELIVER = "deliver"
    HOLD = "hold"  # flagged: waits for review
    BLOCK = "block"  # kept as a record, never shown to the recipient
    UNDELIVERABLE = "undeliverable"  # allowed, but the buyer opted out of its kind


STATUS_FOR_DELIVERY = {
    Delivery.DELIVER: Message.Status.DELIVERED,
    Delivery.HOLD: Message.Status.HELD,
    Delivery.BLOCK: Message.Status.BLOCKED,
    Delivery.UNDELIVERABLE: Message.Status.UNDELIVERABLE,
}


def opt_out_stops(
    conversation: Conversation, *, side: str, message_type: str, subject: str, now: datetime
) -> bool:
    """A seller's unsolicited, non-critical message to a buyer who opted out.

    Critical types, a subject marked [Important] and answers in a conversation the buyer
    started (or wrote in lately) always go through.
    """
    if side != Side.SELLER or not conversation.buyer.opted_out_of_unsolicited:
        return False
    if answers_buyer(conversation, now):
        return False
    kind = get_message_type(message_type)
    if kind is not None and kind.group == TypeGroup.CRITICAL:
        return False
    return not is_marked_important(subject)


def message_release(message: Message, *, now: datetime) -> None:
    """Deliver a message the policy allows (a held one once approved), unless the buyer
    opted out of its kind; then it is kept as undeliverable and the seller is told."""
    stopped = opt_out_stops(
        message.conversation,
        side=message.sender_side,
        message_type=message.message_type,
        subject=message.subject,
        now=now,
    )
    if stopped:
        message_mark_undeliverable(message)
    else:
        message_deliver(message)


def message_mark_undeliverable(message: Message) -> None:
    """Keep a stored message from its recipient because of their opt-out."""
    message.status = Message.Status.UNDELIVERABLE
    message.save(update_fields=["status"])
    message_became_undeliverable(message)


def message_became_undeliverable(message: Message) -> None:
    publish(MessageUndeliverable(message))


def message_deliver(message: Message) -> None:
    """Make a stored message (a held one, approved) visible to the recipient."""
    message.status = Message.Status.DELIVERED
    message.delivered_at = timezone.now()
    message.save(update_fields=["status", "delivered_at"])
    message_became_delivered(message)


def message_became_delivered(message: Message) -> None:
    """What follows delivery: the conversation's last word, and the apps that care."""
    assert message.delivered_at is not None
    if not message.is_automatic:
        # An out-of-office answer is no word from its side: the inbox still shows the
        # other side waiting.
        _record_on_conversation(message.conversation, message, message.delivered_at)
    publish(MessageDelivered(message))


def _record_on_conversation(conversation: Conversation, message: Message, when: datetime) -> None:
    conversation.last_message_at = when
    conversation.last_message_side = message.sender_side
    conversation.last_message_preview = preview_text(message.body_html)
    if message.sender_side == Side.BUYER:
        conversation.last_buyer_message_at = when
    else:
        conversation.last_seller_message_at = when
    conversation.save(
        update_fields=[
            "last_message_at",
            "last_message_side",
            "last_message_preview",
            "last_buyer_message_at",
            "last_seller_message_at",
        ]
    )
