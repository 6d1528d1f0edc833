"""What moderation tells the apps above it (see messagecenter.core.events)."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.engine import Verdict
from messagecenter.messaging.models import Message
from messagecenter.moderation.models import ReviewDecision


@dataclass(frozen=True)
class ReviewDecided:
    """An administrator approved, edited and approved, or rejected a held message.

    Published after the message was delivered (or marked undeliverable) or rejected, in
    the same transaction. Notifications tell the sender; webhooks report a rejection;
    search keeps the message's row current. ``edit``: the policy's verdict on a reviewer's
    edit, which holds the text delivered.
    """

    message: Message
    decision: ReviewDecision
    edit: Verdict | None = None
