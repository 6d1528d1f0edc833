"""Moderation listens to every stored message: it keeps the violations with the message
and restricts a seller whose blocked messages reach the policy's threshold."""

from __future__ import annotations

from messagecenter.core.events import subscribe
from messagecenter.messaging.events import MessageStored
from messagecenter.messaging.models import Message
from messagecenter.moderation.enforcement import record_violations, restrict_if_repeated
from messagecenter.threads.models import Side


@subscribe(MessageStored)
def keep_violations(event: MessageStored) -> None:
    message = event.message
    record_violations(message, event.verdict)
    if message.status == Message.Status.BLOCKED and message.sender_side == Side.SELLER:
        restrict_if_repeated(
            business_id=message.conversation.seller_id,
            now=message.created_at,
            policy=event.policy,
        )
