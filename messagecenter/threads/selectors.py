"""Reads of conversations: inboxes with per-user unread state, and unread counts."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import BooleanField, Case, F, OuterRef, Q, QuerySet, Subquery, When

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.threads.models import Conversation, ReadState, Side


class InboxFilter(StrEnum):
    ALL = "all"
    UNREAD = "unread"
    AWAITING_REPLY = "awaiting"


FILTER_LABELS = {
    InboxFilter.ALL: "All",
    InboxFilter.UNREAD: "Unread",
    InboxFilter.AWAITING_REPLY: "Awaiting reply",
}
BUYER_FILTERS = (InboxFilter.ALL, InboxFilter.UNREAD)
SELLER_FILTERS = (InboxFilter.ALL, InboxFilter.UNREAD, InboxFilter.AWAITING_REPLY)


def _with_unread(
    conversations: QuerySet[Conversation], user: User, other_side_last_at: str
) -> QuerySet[Conversation]:
    """Mark each conversation unread when the other side wrote after the user last looked."""
    last_read = ReadState.objects.filter(conversation=OuterRef("pk"), user=user).values(
        "last_read_at"
    )[:1]
    other_side_wrote = Q(**{f"{other_side_last_at}__isnull": False})
    never_read = Q(my_last_read_at__isnull=True)
    wrote_since_read = Q(**{f"{other_side_last_at}__gt": F("my_last_read_at")})
    return conversations.annotate(my_last_read_at=Subquery(last_read)).annotate(
        is_unread=Case(
            When(other_side_wrote & (never_read | wrote_since_read), then=True),
            default=False,
            output_field=BooleanField(),
        )
    )


def _apply_filter(
    conversations: QuerySet[Conversation], inbox_filter: InboxFilter
) -> QuerySet[Conversation]:
    if inbox_filter == InboxFilter.UNREAD:
        return conversations.filter(is_unread=True)  # type: ignore[misc]
    if inbox_filter == InboxFilter.AWAITING_REPLY:
        return conversations.filter(last_message_side=Side.BUYER)
    return conversations


def buyer_inbox(user: User, inbox_filter: InboxFilter = InboxFilter.ALL) -> QuerySet[Conversation]:
    """The buyer's conversations with sellers, newest first."""
    conversations = Conversation.objects.filter(
        buyer=user, last_message_at__isnull=False
    ).select_related("seller", "order", "product")
    return _apply_filter(
        _with_unread(conversations, user, "last_seller_message_at"), inbox_filter
    ).order_by("-last_message_at", "-id")


def seller_inbox(
    user: User, inbox_filter: InboxFilter = InboxFilter.ALL
) -> QuerySet[Conversation]:
    """Every conversation of the businesses the user works for, newest first."""
    conversations = Conversation.objects.filter(
        seller_id__in=business_ids_for_member(user), last_message_at__isnull=False
    ).select_related("buyer", "seller", "order", "product")
    return _apply_filter(
        _with_unread(conversations, user, "last_buyer_message_at"), inbox_filter
    ).order_by("-last_message_at", "-id")


def buyer_unread_count(user: User) -> int:
    return buyer_inbox(user, InboxFilter.UNREAD).count()


def seller_unread_count(user: User) -> int:
    return seller_inbox(user, InboxFilter.UNREAD).count()


def conversation_for_order(order_id: int) -> Conversation | None:
    return Conversation.objects.filter(order_id=order_id).first()
