"""Which domain events reach the open pages: each is published once its transaction
commits, with ids only (groups.py). Reads nothing from the database (the ids are on the
objects the event carries, so a send costs no query more) and nothing from the cache: a
seller's page says itself that its writer stopped when it sends (consumers.py)."""

from __future__ import annotations

from messagecenter.core.events import subscribe
from messagecenter.live.groups import (
    INBOX,
    MESSAGE,
    READ,
    GroupSide,
    business_group,
    conversation_group,
    event_payload,
    user_group,
)
from messagecenter.live.publish import publish_on_commit
from messagecenter.messaging.events import MessageDelivered
from messagecenter.threads.events import ConversationAssigned, ConversationRead
from messagecenter.threads.models import Conversation

_BOTH_SIDES: tuple[GroupSide, ...] = ("buyer", "seller")


def _conversation_groups(conversation_id: int) -> list[str]:
    return [conversation_group(conversation_id, side) for side in _BOTH_SIDES]


def _inbox_groups(conversation: Conversation) -> list[str]:
    return [user_group(conversation.buyer_id), business_group(conversation.seller_id)]


@subscribe(MessageDelivered)
def show_the_new_message(event: MessageDelivered) -> None:
    message = event.message
    conversation = message.conversation  # the send's own object: no query
    publish_on_commit(
        _conversation_groups(conversation.pk),
        event_payload(MESSAGE, conversation=conversation.pk, message=message.pk),
    )
    publish_on_commit(
        _inbox_groups(conversation), event_payload(INBOX, conversation=conversation.pk)
    )


@subscribe(ConversationRead)
def show_the_read_receipt(event: ConversationRead) -> None:
    conversation_id = event.conversation.pk
    publish_on_commit(
        _conversation_groups(conversation_id),
        event_payload(READ, conversation=conversation_id, reader=event.reader_id),
    )
    # The reader's own unread count and inbox row changed; nobody else's did.
    publish_on_commit(
        [user_group(event.reader_id)], event_payload(INBOX, conversation=conversation_id)
    )


@subscribe(ConversationAssigned)
def show_the_assignment(event: ConversationAssigned) -> None:
    conversation = event.assignment.conversation
    publish_on_commit(
        [business_group(conversation.seller_id)],
        event_payload(INBOX, conversation=conversation.pk),
    )
