"""Messaging listens to the team's state of a conversation: closing, reopening, snoozing
and waking move the business's kept Awaiting reply and Overdue counts."""

from __future__ import annotations

from messagecenter.core.events import subscribe
from messagecenter.messaging.business_counts import business_counts_changed
from messagecenter.threads.events import ConversationStateChanged


@subscribe(ConversationStateChanged)
def count_again(event: ConversationStateChanged) -> None:
    business_counts_changed(event.seller_id)
