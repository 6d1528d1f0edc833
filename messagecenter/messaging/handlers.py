"""Messaging listens to assignments: the inbox tabs' "Unassigned" count is one of the
business counts it keeps (business_counts.py)."""

from __future__ import annotations

from messagecenter.core.events import subscribe
from messagecenter.messaging.business_counts import business_counts_changed
from messagecenter.threads.events import ConversationAssigned


@subscribe(ConversationAssigned)
def unassigned_count_changed(event: ConversationAssigned) -> None:
    business_counts_changed(event.assignment.conversation.seller_id)
