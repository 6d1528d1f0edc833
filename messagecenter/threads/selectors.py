"""Reads of conversations: inboxes with per-user unread state, filters on the reply clock
and assignment, and the counts the navigation shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db.models import (
    Count,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.core.keyset import SortKey
from messagecenter.core.single_row import the_row
from messagecenter.threads.models import NEVER_DUE, Conversation
from messagecenter.threads.reply_due import DUE_SOON, utc
from messagecenter.threads.unread import unread_total, with_unread


class InboxFilter(StrEnum):
    ALL = "all"
    UNREAD = "unread"
    AWAITING_REPLY = "awaiting"
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    ASSIGNED_TO_ME = "mine"
    UNASSIGNED = "unassigned"
    CLOSED = "closed"
    SNOOZED = "snoozed"


class InboxSort(StrEnum):
    NEWEST = "newest"
    DUE_FIRST = "due"


FILTER_LABELS = {
    InboxFilter.ALL: pgettext_lazy("conversations filter", "All"),
    InboxFilter.UNREAD: gettext_lazy("Unread"),
    InboxFilter.AWAITING_REPLY: gettext_lazy("Awaiting reply"),
    InboxFilter.OVERDUE: gettext_lazy("Overdue"),
    InboxFilter.DUE_SOON: gettext_lazy("Due within 4 hours"),
    InboxFilter.ASSIGNED_TO_ME: gettext_lazy("Assigned to me"),
    InboxFilter.UNASSIGNED: gettext_lazy("Unassigned"),
    InboxFilter.CLOSED: gettext_lazy("Closed"),
    InboxFilter.SNOOZED: gettext_lazy("Snoozed"),
}
SORT_LABELS = {InboxSort.NEWEST: "Newest first", InboxSort.DUE_FIRST: "Due first"}
BUYER_FILTERS = (InboxFilter.ALL, InboxFilter.UNREAD)
SELLER_FILTERS = (
    InboxFilter.ALL,
    InboxFilter.UNREAD,
    InboxFilter.AWAITING_REPLY,
    InboxFilter.OVERDUE,
    InboxFilter.DUE_SOON,
    InboxFilter.ASSIGNED_TO_ME,
    InboxFilter.UNASSIGNED,
    InboxFilter.CLOSED,
    InboxFilter.SNOOZED,
)
# The reply clock's lists: a closed or snoozed conversation is not in them (threads/state.py).
CLOCK_FILTERS = (InboxFilter.AWAITING_REPLY, InboxFilter.OVERDUE, InboxFilter.DUE_SOON)


def not_snoozed(now: datetime, prefix: str = "") -> Q:
    """Not snoozed at this moment: never, or the snooze has ended (it ends by itself)."""
    until = f"{prefix}snoozed_until"
    return Q(**{f"{until}__isnull": True}) | Q(**{f"{until}__lte": now})


def in_work_lists(now: datetime, prefix: str = "") -> Q:
    """Open and not snoozed: what the reply clock's lists and the kept counts of
    awaiting and overdue take in (messaging/business_counts.py)."""
    return Q(**{f"{prefix}closed_at__isnull": True}) & not_snoozed(now, prefix)


def reply_clock_filter(
    inbox_filter: InboxFilter, *, user: User, now: datetime, prefix: str = ""
) -> Q:
    """The condition for a filter about the reply clock, assignment or the team's state
    (not Unread), on a conversation's columns (or, with ``prefix``, on a relation's:
    "conversation__"). The clock's lists take in open conversations not snoozed; the
    others every one not snoozed, closed ones too (Closed and Snoozed show theirs)."""
    due, assigned = f"{prefix}reply_due_at", f"{prefix}assigned_to"
    if inbox_filter == InboxFilter.CLOSED:
        return Q(**{f"{prefix}closed_at__isnull": False})
    if inbox_filter == InboxFilter.SNOOZED:
        return Q(**{f"{prefix}snoozed_until__gt": now})
    if inbox_filter in CLOCK_FILTERS:
        # closed_at IS NULL as written in the awaiting index's condition, so it answers.
        listed = Q(**{f"{due}__isnull": False}) & in_work_lists(now, prefix)
    else:
        listed = not_snoozed(now, prefix)
    if inbox_filter == InboxFilter.OVERDUE:
        return listed & Q(**{f"{due}__lte": now})
    if inbox_filter == InboxFilter.DUE_SOON:
        return listed & Q(**{f"{due}__gt": now, f"{due}__lte": now + DUE_SOON})
    if inbox_filter == InboxFilter.ASSIGNED_TO_ME:
        return listed & Q(**{assigned: user})
    if inbox_filter == InboxFilter.UNASSIGNED:
        return listed & Q(**{f"{assigned}__isnull": True})
    return listed


def _apply_filter(
    conversations: QuerySet[Conversation],
    inbox_filter: InboxFilter | None,
    user: User,
    now: datetime,
) -> QuerySet[Conversation]:
    """None: no filter at all (the API's list, a buyer's All: the team's state is the
    team's own)."""
    if inbox_filter == InboxFilter.UNREAD:
        return conversations.filter(is_unread=True)  # type: ignore[misc]
    if inbox_filter is None:
        return conversations
    return conversations.filter(reply_clock_filter(inbox_filter, user=user, now=now))


def inbox_sort_keys(sort: InboxSort = InboxSort.NEWEST) -> list[SortKey]:
    """The inbox order as keys for keyset pages; the rows must come from an inbox
    selector with the same sort (which adds due_key for Due first)."""
    newest = [SortKey("last_message_at", descending=True), SortKey("id", descending=True)]
    if sort == InboxSort.DUE_FIRST:
        return [SortKey("due_key", descending=False), *newest]
    return newest


def _ordered(conversations: QuerySet[Conversation], sort: InboxSort) -> QuerySet[Conversation]:
    if sort == InboxSort.DUE_FIRST:
        return conversations.annotate(due_key=Coalesce("reply_due_at", Value(NEVER_DUE))).order_by(
            "due_key", "-last_message_at", "-id"
        )
    return conversations.order_by("-last_message_at", "-id")


def buyer_inbox(user: User, inbox_filter: InboxFilter = InboxFilter.ALL) -> QuerySet[Conversation]:
    """The buyer's conversations with sellers, newest first."""
    conversations = Conversation.objects.filter(
        buyer=user, last_message_at__isnull=False
    ).select_related("seller", "order", "product")
    return _apply_filter(
        with_unread(conversations, user.pk, "last_seller_message_at"),
        inbox_filter if inbox_filter == InboxFilter.UNREAD else None,
        user,
        timezone.now(),
    ).order_by("-last_message_at", "-id")


def _seller_conversations(user: User) -> QuerySet[Conversation]:
    return Conversation.objects.filter(
        seller_id__in=business_ids_for_member(user), last_message_at__isnull=False
    )


def seller_inbox(
    user: User,
    inbox_filter: InboxFilter | None = None,
    *,
    sort: InboxSort = InboxSort.NEWEST,
    now: datetime | None = None,
    topic: str = "",
) -> QuerySet[Conversation]:
    """The conversations of the businesses the user works for, newest (or due) first:
    those the inbox filter lists, or every one (None); with a topic, only those the buyer
    said were about it."""
    conversations = _seller_conversations(user).select_related(
        "buyer", "seller", "order", "product", "assigned_to"
    )
    if topic:
        conversations = conversations.filter(topic=topic)
    filtered = _apply_filter(
        with_unread(conversations, user.pk, "last_buyer_message_at"),
        inbox_filter,
        user,
        utc(now or timezone.now()),
    )
    return _ordered(filtered, sort)


# What an inbox row shows (inbox/inbox_rows.py), read as values rather than as models:
# building a conversation with its buyer, product and assignee was a third of the rows' time.
_NAME_COLUMNS = ("display_name", "first_name", "last_name")  # accounts.models.public_name_of
_ROW_COLUMNS = (
    "id",
    "is_unread",
    "subject",
    "topic",
    "last_message_preview",
    "last_message_at",
)


def _sort_columns(sort: InboxSort) -> tuple[str, ...]:
    """The sort keys a keyset page reads from each row beyond the row's own columns."""
    return ("due_key",) if sort == InboxSort.DUE_FIRST else ()


def seller_inbox_page(
    user: User,
    inbox_filter: InboxFilter = InboxFilter.ALL,
    *,
    sort: InboxSort = InboxSort.NEWEST,
    topic: str = "",
) -> QuerySet[Conversation, dict[str, Any]]:
    """The seller inbox's rows with only what the page shows of them, as dicts: the buyer's
    and the assignee's names and the product's title. Two joins fewer than seller_inbox
    (order, seller), which on the heavy bench seller took half of the rows' query, most of
    it in planning."""
    return seller_inbox(user, inbox_filter, sort=sort, topic=topic).values(
        *_ROW_COLUMNS,
        "reply_due_at",
        "closed_at",
        "product__title",
        *(f"buyer__{name}" for name in _NAME_COLUMNS),
        *(f"assigned_to__{name}" for name in _NAME_COLUMNS),
        *_sort_columns(sort),
    )


def buyer_inbox_page(
    user: User, inbox_filter: InboxFilter = InboxFilter.ALL
) -> QuerySet[Conversation, dict[str, Any]]:
    """The buyer inbox's rows with only what the page shows of them, as dicts: the seller's
    name and the product's title."""
    return buyer_inbox(user, inbox_filter).values(*_ROW_COLUMNS, "seller__name", "product__title")


def buyer_unread_count(user: User) -> int:
    """The buyer's unread conversations, from the count kept of them (threads/unread.py)."""
    return unread_total(user, [None])


def seller_unread_count(user: User) -> int:
    """Unread conversations of the user's businesses, from the counts kept per user and
    business (threads/unread.py), in one query that reads neither the conversations nor
    their read states. A business not kept yet (a new member) is counted, and kept from
    then on once it is not 0. Awaiting, overdue and held are per business, not per user:
    messaging/business_counts.py."""
    return unread_total(user, business_ids_for_member(user))


def assigned_to_me_count(user: User) -> int:
    """The inbox conversations of the user's businesses given to the user: the "Assigned to
    me" tab's number, a range of the conv_seller_assignee_recent index per business."""
    return _seller_conversations(user).filter(assigned_to=user).count()


@dataclass(frozen=True)
class WaitingSummary:
    """Buyers waiting for the user's businesses: for the digest."""

    waiting: int
    due_soon: int
    overdue: int
    first_due: list[Conversation]

    def __bool__(self) -> bool:
        return self.waiting > 0


def waiting_summary(user: User, now: datetime | None = None, limit: int = 10) -> WaitingSummary:
    """How many buyers wait for an answer, how many are due within 4 hours or overdue,
    and the conversations due first."""
    now = utc(now or timezone.now())
    waiting = _seller_conversations(user).filter(reply_due_at__isnull=False)
    counts = waiting.aggregate(
        waiting=Count("pk"),
        due_soon=Count("pk", filter=Q(reply_due_at__gt=now, reply_due_at__lte=now + DUE_SOON)),
        overdue=Count("pk", filter=Q(reply_due_at__lte=now)),
    )
    first_due = (
        list(waiting.select_related("buyer", "order").order_by("reply_due_at", "id")[:limit])
        if counts["waiting"]
        else []
    )
    return WaitingSummary(
        waiting=counts["waiting"],
        due_soon=counts["due_soon"],
        overdue=counts["overdue"],
        first_due=first_due,
    )


def conversation_for_order(order_id: int) -> Conversation | None:
    return the_row(Conversation.objects.filter(order_id=order_id))  # one per order
