"""Which events send email: each queues its task once the transaction commits."""

from __future__ import annotations

from messagecenter.core.events import subscribe
from messagecenter.core.tasks import enqueue_many_on_commit, enqueue_on_commit
from messagecenter.messaging.events import MessageDelivered, MessageUndeliverable
from messagecenter.moderation.events import ReviewDecided
from messagecenter.notes.events import NoteAdded
from messagecenter.notifications.assignment import notice_wanted
from messagecenter.notifications.tasks import (
    SEND_ASSIGNMENT_NOTICE,
    SEND_BOUNCE_NOTICE,
    SEND_MENTION_NOTICE,
    SEND_MESSAGE_NOTIFICATION,
    SEND_REVIEW_DECISION_NOTICE,
)
from messagecenter.threads.events import ConversationAssigned


@subscribe(MessageDelivered)
def email_the_recipients(event: MessageDelivered) -> None:
    # Automatic replies are queued too: the task marks them done without sending, so the
    # rescan for notifications lost to a broker outage never picks them up.
    enqueue_on_commit(SEND_MESSAGE_NOTIFICATION, event.message.pk)


@subscribe(MessageUndeliverable)
def tell_the_seller_it_bounced(event: MessageUndeliverable) -> None:
    enqueue_on_commit(SEND_BOUNCE_NOTICE, event.message.pk)


@subscribe(ReviewDecided)
def tell_the_sender_the_decision(event: ReviewDecided) -> None:
    enqueue_on_commit(SEND_REVIEW_DECISION_NOTICE, event.message.pk)


@subscribe(ConversationAssigned)
def tell_the_assignee(event: ConversationAssigned) -> None:
    if notice_wanted(event.assignment):
        enqueue_on_commit(SEND_ASSIGNMENT_NOTICE, event.assignment.pk)


@subscribe(NoteAdded)
def tell_the_mentioned(event: NoteAdded) -> None:
    enqueue_many_on_commit(SEND_MENTION_NOTICE, ((mention_id,) for mention_id in event.mention_ids))
