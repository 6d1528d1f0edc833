"""Reads for the API: the seller's conversations, filtered the way tools ask."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import businesses_for_member
from messagecenter.messaging.models import Message
from messagecenter.messaging.selectors import messages_in_conversation
from messagecenter.threads.assignment import team_members
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.selectors import InboxFilter, reply_clock_filter, seller_inbox

ASSIGNED_TO_ME = "me"
UNASSIGNED = "none"


def api_conversations(
    user: User,
    *,
    awaiting_reply: bool | None = None,
    overdue: bool | None = None,
    assigned: str | None = None,
    order_number: str | None = None,
    updated_since: datetime | None = None,
    now: datetime | None = None,
) -> QuerySet[Conversation]:
    """The conversations of the user's seller businesses, as in the seller inbox, with the
    inbox's own reply-clock and assignment conditions."""
    now = now or timezone.now()
    conversations = seller_inbox(user, now=now)
    for wanted, inbox_filter in (
        (awaiting_reply, InboxFilter.AWAITING_REPLY),
        (overdue, InboxFilter.OVERDUE),
    ):
        condition = reply_clock_filter(inbox_filter, user=user, now=now)
        if wanted is True:
            conversations = conversations.filter(condition)
        elif wanted is False:
            conversations = conversations.exclude(condition)
    if assigned == ASSIGNED_TO_ME:
        conversations = conversations.filter(
            reply_clock_filter(InboxFilter.ASSIGNED_TO_ME, user=user, now=now)
        )
    elif assigned == UNASSIGNED:
        conversations = conversations.filter(
            reply_clock_filter(InboxFilter.UNASSIGNED, user=user, now=now)
        )
    elif assigned:
        conversations = conversations.filter(assigned_to_id=int(assigned))
    if order_number:
        conversations = conversations.filter(order__number=order_number)
    if updated_since is not None:
        conversations = conversations.filter(last_message_at__gte=updated_since)
    return conversations


def api_conversation_annotated(user: User, conversation: Conversation) -> Conversation:
    """The conversation (already through the access door) with its unread state."""
    return seller_inbox(user).filter(pk=conversation.pk).first() or conversation


def api_messages(conversation: Conversation) -> QuerySet[Message]:
    """What the seller's side sees in the conversation (the same rule as its page)."""
    return messages_in_conversation(conversation, Side.SELLER).select_related(
        "conversation__seller"
    )


def waiting_buyer_messages(conversation: Conversation) -> list[Message]:
    """The conversation's delivered buyer messages whose reply clock runs."""
    return [
        m
        for m in Message.objects.filter(
            conversation=conversation,
            sender_side=Side.BUYER,
            status=Message.Status.DELIVERED,
            reply_due_at__isnull=False,
        )
        if m.clock_running
    ]


def api_teams(user: User) -> list[dict]:
    """The user's seller businesses and their active members (whom to assign)."""
    return [
        {
            "business_id": business.pk,
            "name": business.name,
            "members": [{"id": m.pk, "name": m.public_name} for m in team_members(business.pk)],
        }
        for business in businesses_for_member(user).order_by("name")
    ]
