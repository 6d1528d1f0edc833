"""An automatic reply leaves the conversation as it found it.

``message_send`` records every delivered message as the conversation's latest word and
marks the thread read for its sender. An out-of-office answer is neither a word from that
side nor a sign that its sender read anything, so the relay takes a snapshot before
storing one and puts it back after: the inbox still shows the buyer waiting, the seller's
unread marker stays, and the buyer sees no "new message". (The reply clock and the
notifications already skip messages marked ``is_automatic``.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from messagecenter.accounts.models import User
from messagecenter.threads.models import Conversation, ReadState

SUMMARY_FIELDS = (
    "last_message_at",
    "last_message_side",
    "last_message_preview",
    "last_buyer_message_at",
    "last_seller_message_at",
)


@dataclass(frozen=True)
class ConversationSnapshot:
    summary: dict[str, Any]
    last_read_at: datetime | None  # the sender's read marker; None when they had none


def conversation_snapshot(conversation: Conversation, sender: User) -> ConversationSnapshot:
    conversation.refresh_from_db(fields=list(SUMMARY_FIELDS))
    read = ReadState.objects.filter(conversation=conversation, user=sender).first()
    return ConversationSnapshot(
        summary={name: getattr(conversation, name) for name in SUMMARY_FIELDS},
        last_read_at=read.last_read_at if read else None,
    )


def conversation_restore(
    conversation: Conversation, sender: User, snapshot: ConversationSnapshot
) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(**snapshot.summary)
    for name, value in snapshot.summary.items():
        setattr(conversation, name, value)
    reads = ReadState.objects.filter(conversation=conversation, user=sender)
    if snapshot.last_read_at is None:
        reads.delete()
    else:
        reads.update(last_read_at=snapshot.last_read_at)
