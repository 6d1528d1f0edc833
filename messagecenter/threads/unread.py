"""Unread conversations: what makes one unread, and the counts kept of them.

A conversation is unread for a user when the other side wrote after the user last opened
it. The navigation shows how many on every page, and counting them means reading every
conversation with its read state, so each user's count is kept in an `UnreadCount` row
(one per business the user works for, one as a buyer), changed in the same transaction as
the two writes that can change it: a message delivered (the other side's last word moves)
and a conversation marked read. `manage.py repair_counts` recounts them.

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
from datetime import datetime

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.core.raw_datetimes import aware_from_db
from messagecenter.core.row_locks import RowLock, row_lock_clause
from messagecenter.threads.models import Conversation, ReadState, Side, UnreadCount

# Advisory lock keys (one bigint) for the counts: a base per side, plus the business's or
# the buyer's id (ids stay far below 2**40).
_BUSINESS_LOCKS = 7313 << 40
_BUYER_LOCKS = 7314 << 40


def with_unread(
    conversations: QuerySet[Conversation], user_id: int | OuterRef, other_side_last_at: str
) -> QuerySet[Conversation]:
    """Mark each conversation unread when the other side wrote after the user last looked.

    user_id may be OuterRef("buyer_id"): each conversation's own buyer.
    """
    last_read = ReadState.objects.filter(conversation=OuterRef("pk"), user_id=user_id).values(
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


def lock_conversation(conversation_id: int) -> LockedConversation:
    """Lock the conversation row and share the locks of the counts it feeds (see above).

    Call inside the transaction that then writes a message's last word or a read marker.
    """
    # On SQLite the lock clause is empty and the advisory locks do nothing: its
    # transactions already run one writer at a time (core/row_locks.py).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT buyer_id, seller_id, last_buyer_message_at, last_seller_message_at, "  # noqa: S608
            "pg_advisory_xact_lock_shared(%s + seller_id), "
            "pg_advisory_xact_lock_shared(%s + buyer_id) "
            f"FROM threads_conversation WHERE id = %s {row_lock_clause(RowLock.UPDATE)}",
            [_BUSINESS_LOCKS, _BUYER_LOCKS, conversation_id],
        )
        buyer_id, seller_id, last_buyer, last_seller, _, _ = cursor.fetchone()
    return LockedConversation(
        conversation_id,
        buyer_id,
        seller_id,
        aware_from_db(last_buyer),
        aware_from_db(last_seller),
    )


def _read_by(conversation_id: int, moment: datetime) -> Exists:
    """The count row's user had opened the conversation at or after this moment."""
    return Exists(
        ReadState.objects.filter(
            conversation_id=conversation_id, user_id=OuterRef("user_id"), last_read_at__gte=moment
        )
    )


def _add(rows: QuerySet[UnreadCount], change: int) -> None:
    ids = list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))
    if ids:
        UnreadCount.objects.filter(pk__in=ids).update(unread=F("unread") + change)


def unread_after_message(locked: LockedConversation, *, side: str, at: datetime) -> None:
    """A message from `side` became the conversation's last word from that side at `at`:
    it is unread for whoever on the other side had not opened it since."""
    if side == Side.BUYER:
        readers = UnreadCount.objects.filter(business_id=locked.seller_id)
        before = locked.last_buyer_message_at
    else:
        readers = UnreadCount.objects.filter(user_id=locked.buyer_id, business__isnull=True)
        before = locked.last_seller_message_at
    unread_now = ~_read_by(locked.pk, at)
    if before is None:
        _add(readers.filter(unread_now), +1)
        return
    unread_before = ~_read_by(locked.pk, before)
    _add(readers.filter(unread_now & ~unread_before), +1)
    if at < before:
        # Two messages committed out of the order of their times: the last word moves back.
        _add(readers.filter(unread_before & ~unread_now), -1)


def _is_unread(other_side_at: datetime | None, read_at: datetime | None) -> bool:
    return other_side_at is not None and (read_at is None or other_side_at > read_at)


@transaction.atomic(savepoint=False)
def conversation_read_record(*, conversation: Conversation, user: User) -> None:
    """Record that the user opened the conversation now, and change their counts to match."""
    locked = lock_conversation(conversation.pk)
    read_state = ReadState.objects.filter(conversation_id=locked.pk, user=user).first()
    before = read_state.last_read_at if read_state else None
    now = timezone.now()
    if read_state is None:
        ReadState.objects.create(conversation_id=locked.pk, user=user, last_read_at=now)
    else:
        ReadState.objects.filter(pk=read_state.pk).update(last_read_at=now)
    # The user may read as the buyer, as a member of the seller, or (in tests) as both.
    scopes = [(locked.last_buyer_message_at, Q(business_id=locked.seller_id))]
    if user.pk == locked.buyer_id:
        scopes.append((locked.last_seller_message_at, Q(business__isnull=True)))
    for other_side_at, scope in scopes:
        change = int(_is_unread(other_side_at, now)) - int(_is_unread(other_side_at, before))
        if change:
            UnreadCount.objects.filter(scope, user=user).update(unread=F("unread") + change)
