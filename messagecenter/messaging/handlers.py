"""Messaging listens to what changes the business counts it keeps (business_counts.py)
without passing through its own writes: an assignment (the inbox tabs' "Unassigned" count),
and a conversation closed, reopened, snoozed or woken (Awaiting reply, Overdue, All, Closed,
Snoozed)."""

from __future__ import annotations

from messagecenter.core.events import subscribe
from messagecenter.messaging.business_counts import business_counts_changed
from messagecenter.threads.events import ConversationAssigned, ConversationStateChanged


@subscribe(ConversationAssigned)
def unassigned_count_changed(event: ConversationAssigned) -> None:
    business_counts_changed(event.assignment.conversation.seller_id)


@subscribe(ConversationStateChanged)
def count_again(event: ConversationStateChanged) -> None:
    business_counts_changed(event.seller_id)
