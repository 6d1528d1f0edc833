"""Which domain events become webhook events, and for whom: always the seller's endpoints.

Buyers have no webhooks; a seller hears of buyer messages arriving, of answers falling due,
and of what became of its own messages (held, rejected, not delivered).
"""

from __future__ import annotations

from messagecenter.clock.events import RemindersClaimed
from messagecenter.core.events import subscribe
from messagecenter.messaging.events import MessageDelivered, MessageHeld, MessageUndeliverable
from messagecenter.moderation.events import ReviewDecided
from messagecenter.moderation.models import ReviewDecision
from messagecenter.threads.models import Side
from messagecenter.webhooks.emit import emit_message_event, emit_reply_due_events
from messagecenter.webhooks.models import WebhookEvent


@subscribe(MessageDelivered)
def buyer_message_received(event: MessageDelivered) -> None:
    if event.message.sender_side == Side.BUYER:
        emit_message_event(WebhookEvent.BUYER_MESSAGE_RECEIVED, event.message)


@subscribe(MessageHeld)
def message_held(event: MessageHeld) -> None:
    if event.message.sender_side == Side.SELLER:
        emit_message_event(WebhookEvent.MESSAGE_HELD, event.message)


@subscribe(MessageUndeliverable)
def message_undeliverable(event: MessageUndeliverable) -> None:
    emit_message_event(WebhookEvent.MESSAGE_UNDELIVERABLE, event.message)


@subscribe(ReviewDecided)
def message_rejected(event: ReviewDecided) -> None:
    rejected = event.decision.decision == ReviewDecision.Decision.REJECT
    if rejected and event.message.sender_side == Side.SELLER:
        emit_message_event(WebhookEvent.MESSAGE_REJECTED, event.message)


@subscribe(RemindersClaimed)
def replies_due_soon(event: RemindersClaimed) -> None:
    emit_reply_due_events(event.reminder_ids)
