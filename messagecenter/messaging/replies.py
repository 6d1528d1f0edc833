"""The reply rule, in one place for the web, the API and email.

A seller's message answers the buyer (no 30-day window, no opt-out check) when the buyer
started the conversation or wrote in it in the last 30 days. A reply's type follows from
who writes and about what, and its subject from the conversation's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from messagecenter.accounts.models import User
from messagecenter.messaging.drafts import Draft
from messagecenter.messaging.models import Message, Upload
from messagecenter.threads.models import Conversation, Side

# A seller answering within this long after the buyer last wrote is replying, not
# starting something new (no 30-day window, no opt-out check).
REPLY_WINDOW = timedelta(days=30)


def answers_buyer(conversation: Conversation, now: datetime) -> bool:
    """Whether a seller message here answers the buyer rather than reaching out."""
    if conversation.started_by == Side.BUYER:
        return True
    last = conversation.last_buyer_message_at
    return last is not None and now - last <= REPLY_WINDOW


def can_reply(conversation: Conversation, side: Side, now: datetime) -> bool:
    """Buyers may always write in their conversations; sellers only while answering.

    A seller who wants to reach out again uses Contact Buyer and chooses a message type.
    """
    return side == Side.BUYER or answers_buyer(conversation, now)


def reply_message_type(conversation: Conversation, side: Side) -> str:
    """The type of a message written in answer: a seller's reply, or a buyer's inquiry
    (about an order) or question (about a product)."""
    if side == Side.SELLER:
        return "reply"
    return "buyer_inquiry" if conversation.order_id else "product_question"


def reply_subject(conversation: Conversation) -> str:
    return f"Re: {conversation.subject}"


def reply_draft(
    conversation: Conversation,
    *,
    sender: User,
    side: Side,
    body: str,
    uploads: Sequence[Upload] = (),
    via: Message.Via = Message.Via.WEB,
    subject: str = "",
    automatic: bool = False,
) -> Draft:
    """An answer written in a conversation, with the type and subject the rule gives.

    ``subject`` is the one the sender wrote, when the way in has one (an email's); the
    conversation's, with "Re:", otherwise.
    """
    return Draft(
        sender=sender,
        side=side,
        message_type=reply_message_type(conversation, side),
        subject=subject or reply_subject(conversation),
        body=body,
        uploads=uploads,
        via=via,
        automatic=automatic,
    )
