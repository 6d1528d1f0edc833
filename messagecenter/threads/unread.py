"""Unread conversations: what makes one unread, and the counts kept of them.

A conversation is unread for a user when the other side wrote after the user last opened
it. The navigation shows how many on every page, and counting them means reading every
conversation with its read state, so each user's count is kept in an `UnreadCount` row
(one per business the user works for, one as a buyer), changed in the same transaction as
the two writes that can change it: a message delivered (the other side's last word moves)
and a conversation marked read (both in count_writes.py). `manage.py repair_counts`
recounts them.

Staying exact under concurrent requests:
- both writes lock the conversation row first, so they see each other's last word and
  read marker in order, and compute each count's change from the state before and after;
- both take a shared advisory lock on each count they may change (the business's, the
  buyer's); a missing count row is created, recounted and repaired under the exclusive one,
  so no write is in flight while it counts and none misses the new row afterwards;
- rows of one business are locked in id order, so two deliveries cannot deadlock on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.accounts.selectors import (
    business_ids_if_read,
    business_ids_read_with,
)
from messagecenter.core.prepared import prepared_cursor
from messagecenter.core.raw_datetimes import aware_from_db
from messagecenter.core.row_locks import RowLock, row_lock_clause
from messagecenter.threads.models import Conversation, ReadState, UnreadCount

# Advisory lock keys (one bigint) for the counts: a base per side, plus the business's or
# the buyer's id (ids stay far below 2**40).
_BUSINESS_LOCKS = 7313 << 40
_BUYER_LOCKS = 7314 << 40
# Earlier than any message: what a conversation never opened was "read" at.
BEFORE_ANY_MESSAGE = datetime(1, 1, 1, tzinfo=UTC)


def with_unread(
    conversations: QuerySet[Conversation], user_id: int | OuterRef, other_side_last_at: str
) -> QuerySet[Conversation]:
    """Mark each conversation unread when the other side wrote after the user last looked.

    user_id may be OuterRef("buyer_id"): each conversation's own buyer.
    """
    last_read = ReadState.objects.filter(conversation=OuterRef("pk"), user_id=user_id).values(
        "last_read_at"
    )[:1]
    # One reference to the read state, not three: a conversation never read compares with a
    # moment before any message, and one whose other side never wrote compares as NULL,
    # which is not unread. Each reference was its own subplan, planned and run per row.
    read_or_never = Coalesce(Subquery(last_read), Value(BEFORE_ANY_MESSAGE))
    return conversations.annotate(
        is_unread=Case(
            When(**{f"{other_side_last_at}__gt": read_or_never}, then=True),
            default=False,
            output_field=BooleanField(),
        )
    )


def _lock_key(business_id: int | None, user_id: int) -> int:
    return _BUSINESS_LOCKS + business_id if business_id is not None else _BUYER_LOCKS + user_id


def recount(user_id: int, business_id: int | None) -> int:
    """The count from the conversations themselves (what the stored row must equal)."""
    if business_id is None:
        conversations = Conversation.objects.filter(buyer_id=user_id, last_message_at__isnull=False)
        other_side = "last_seller_message_at"
    else:
        conversations = Conversation.objects.filter(
            seller_id=business_id, last_message_at__isnull=False
        )
        other_side = "last_buyer_message_at"
    return (
        with_unread(conversations, user_id, other_side)
        .filter(is_unread=True)  # type: ignore[misc]
        .count()
    )


def recount_buyers() -> dict[int, int]:
    """recount(buyer, None) for every buyer with a conversation, in one grouped pass."""
    conversations = Conversation.objects.filter(last_message_at__isnull=False)
    counted = (
        with_unread(conversations, OuterRef("buyer_id"), "last_seller_message_at")
        .values("buyer_id")
        .annotate(unread=Count("pk", filter=Q(is_unread=True)))
        .values_list("buyer_id", "unread")
    )
    return dict(counted)


@transaction.atomic
def unread_count_repair(user_id: int, business_id: int | None) -> tuple[int | None, int]:
    """Recount one user's count and store it, creating the row if there is none.

    Returns (what was stored, the true count). No message or read marker of the count's
    conversations is written meanwhile: this holds the exclusive lock those writes share.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(business_id, user_id)])
    stored = (
        UnreadCount.objects.filter(user_id=user_id, business_id=business_id)
        .values_list("unread", flat=True)
        .first()
    )
    true_count = recount(user_id, business_id)
    if stored != true_count:
        UnreadCount.objects.update_or_create(
            user_id=user_id, business_id=business_id, defaults={"unread": true_count}
        )
    return stored, true_count


def unread_total(user: User, business_ids: Iterable[int | None]) -> int:
    """The user's unread conversations over these scopes (business ids; None: as a buyer).

    One query once the rows exist; a missing one is counted, and kept once it is not 0.
    """
    wanted = set(business_ids)
    scope = Q(business_id__in=[b for b in wanted if b is not None])
    if None in wanted:
        scope |= Q(business__isnull=True)
    stored = dict(UnreadCount.objects.filter(scope, user=user).values_list("business_id", "unread"))
    total = 0
    for business_id in wanted:
        if business_id in stored:
            total += stored[business_id]
        else:
            total += _count_not_kept(user.pk, business_id)
    return total


@dataclass(frozen=True)
class NavigationUnread:
    """Which side the navigation shows the user, and the unread count on its badge."""

    seller: bool  # works for a seller business: the count is over those businesses
    unread: int


# The businesses the user works for (businesses_for_member), each with the user's kept
# count there, and the user's kept count as a buyer (a row without a business), in one
# statement written once: built by the ORM (a union of two querysets) on every page, it
# cost more in Python than the database spent on it. Names from the models.
_NAVIGATION_SQL = (
    f"SELECT b.id, (SELECT c.unread FROM {UnreadCount._meta.db_table} c"  # noqa: S608
    " WHERE c.business_id = b.id AND c.user_id = %s LIMIT 1), b.name"
    f" FROM {SellerBusiness._meta.db_table} b"
    f" JOIN {Membership._meta.db_table} m ON m.business_id = b.id WHERE m.user_id = %s"
    f" UNION ALL SELECT NULL, c.unread, '' FROM {UnreadCount._meta.db_table} c"
    " WHERE c.user_id = %s AND c.business_id IS NULL"
)


def navigation_unread(user: User) -> NavigationUnread:
    """The user's unread conversations for the navigation: over the businesses they work
    for, or as a buyer when they work for none.

    When the request has not read the user's businesses yet, they are read with both kept
    counts in one query (and kept for the request, so a seller page's membership check
    costs nothing more): the navigation costs one query on every page, for either side.
    """
    known = business_ids_if_read(user)
    if known is not None:
        return NavigationUnread(seller=bool(known), unread=unread_total(user, known or [None]))
    with connection.cursor() as cursor:
        cursor.execute(_NAVIGATION_SQL, [user.pk, user.pk, user.pk])
        rows = cursor.fetchall()
    # By name, as businesses_for_member orders them (a union cannot order its parts).
    memberships = sorted((row for row in rows if row[0] is not None), key=lambda row: row[2])
    business_ids_read_with(user, [business_id for business_id, _, _ in memberships])
    if memberships:
        return NavigationUnread(
            seller=True,
            unread=sum(
                _count_not_kept(user.pk, business_id) if unread is None else unread
                for business_id, unread, _ in memberships
            ),
        )
    as_buyer_kept = next((unread for business_id, unread, _ in rows if business_id is None), None)
    return NavigationUnread(
        seller=False,
        unread=_count_not_kept(user.pk, None) if as_buyer_kept is None else as_buyer_kept,
    )


def _count_not_kept(user_id: int, business_id: int | None) -> int:
    """A count with no row yet (a new member, a new buyer). Nothing unread is the common
    case and costs one small query, so only a count worth keeping is stored (under its
    lock, counted again there)."""
    counted = recount(user_id, business_id)
    return unread_count_repair(user_id, business_id)[1] if counted else 0


@dataclass(frozen=True)
class LockedConversation:
    """A conversation's parties and last words as they were when its row was locked."""

    pk: int
    buyer_id: int
    seller_id: int
    last_buyer_message_at: datetime | None
    last_seller_message_at: datetime | None
    # The team's state (threads/state.py): a buyer's new message reopens and wakes it.
    closed_at: datetime | None = None
    snoozed_until: datetime | None = None


def lock_conversation(conversation_id: int) -> LockedConversation:
    """Lock the conversation row and share the locks of the counts it feeds (see above).

    Call inside the transaction that then writes a message's last word or a read marker,
    before writing anything else of the conversation: every statement after this one sees
    what the writes before it committed. The row is locked as an UPDATE locks it (FOR NO
    KEY UPDATE), which a message's foreign key check in another transaction does not wait
    for, so two sends in one conversation take their turns here instead of deadlocking.
    """
    # On SQLite the lock clause is empty and the advisory locks do nothing: its
    # transactions already run one writer at a time (core/row_locks.py).
    with prepared_cursor() as cursor:
        cursor.execute(
            "SELECT buyer_id, seller_id, last_buyer_message_at, last_seller_message_at, "  # noqa: S608
            "closed_at, snoozed_until, "
            "pg_advisory_xact_lock_shared(%s + seller_id), "
            "pg_advisory_xact_lock_shared(%s + buyer_id) "
            f"FROM threads_conversation WHERE id = %s {row_lock_clause(RowLock.NO_KEY_UPDATE)}",
            [_BUSINESS_LOCKS, _BUYER_LOCKS, conversation_id],
        )
        buyer_id, seller_id, last_buyer, last_seller, closed, snoozed, _, _ = cursor.fetchone()
    return LockedConversation(
        conversation_id,
        buyer_id,
        seller_id,
        aware_from_db(last_buyer),
        aware_from_db(last_seller),
        aware_from_db(closed),
        aware_from_db(snoozed),
    )
