"""What moderation tells the apps above it (see messagecenter.core.events)."""

from __future__ import annotations

from dataclasses import dataclass

from messagecenter.messaging.models import Message
from messagecenter.moderation.models import ReviewDecision


@dataclass(frozen=True)
class ReviewDecided:
    """An administrator approved, edited and approved, or rejected a held message.

    Published after the message was delivered (or marked undeliverable) or rejected, in
    the same transaction. Notifications tell the sender; webhooks report a rejection.
    """

    message: Message
    decision: ReviewDecision
