"""The two writes that change unread counts (count_writes.py), in ORM statements for SQLite.

count_writes.py does each in one PostgreSQL statement (data-modifying CTEs, ``::`` casts,
``UPDATE ... FROM``), which SQLite cannot run. These bodies leave the same rows behind in a
few statements: SQLite is in-process, and its transactions run one writer at a time
(core/row_locks.py), so nothing changes between them. core/by_vendor.py picks the body.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.threads.models import Conversation, ReadState, Side, UnreadCount
from messagecenter.threads.unread import LockedConversation, lock_conversation


def _is_unread(other_side_at: datetime | None, read_at: datetime | None) -> bool:
    return other_side_at is not None and (read_at is None or other_side_at > read_at)


@transaction.atomic(savepoint=False)
def conversation_read_record(
    *, conversation: Conversation, user: User, locked: LockedConversation | None = None
) -> None:
    """count_writes.conversation_read_record, for SQLite."""
    _read_marker(locked or lock_conversation(conversation.pk), user, timezone.now())


@transaction.atomic(savepoint=False)
def conversation_unread_record(*, conversation: Conversation, user: User) -> bool:
    """count_writes.conversation_unread_record, for SQLite."""
    locked = lock_conversation(conversation.pk)
    if locked.last_buyer_message_at is None:
        return False
    _read_marker(locked, user, locked.last_buyer_message_at - timedelta(microseconds=1))
    return True


def _read_marker(locked: LockedConversation, user: User, now: datetime) -> None:
    read_state = ReadState.objects.filter(conversation_id=locked.pk, user=user).first()
    before = read_state.last_read_at if read_state else None
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


def _read_by(conversation_id: int, moment: datetime) -> Exists:
    """The count row's user had opened the conversation at or after this moment."""
    return Exists(
        ReadState.objects.filter(
            conversation_id=conversation_id, user_id=OuterRef("user_id"), last_read_at__gte=moment
        )
    )


def _add(rows: QuerySet[UnreadCount], change: int) -> None:
    ids = list(rows.values_list("pk", flat=True))
    if ids:
        UnreadCount.objects.filter(pk__in=ids).update(unread=F("unread") + change)


def last_word_record(
    locked: LockedConversation,
    *,
    side: str,
    at: datetime,
    preview: str,
    read_by: User | None = None,
) -> None:
    """count_writes.last_word_record, for SQLite."""
    own_last = "last_buyer_message_at" if side == Side.BUYER else "last_seller_message_at"
    Conversation.objects.filter(pk=locked.pk).update(
        last_message_at=at, last_message_side=side, last_message_preview=preview, **{own_last: at}
    )
    if side == Side.BUYER:
        readers = UnreadCount.objects.filter(business_id=locked.seller_id)
        before = locked.last_buyer_message_at
    else:
        readers = UnreadCount.objects.filter(user_id=locked.buyer_id, business__isnull=True)
        before = locked.last_seller_message_at
    if read_by is not None:
        # The sender's own rows move by their read marker alone (below).
        readers = readers.exclude(user_id=read_by.pk)
    unread_now = ~_read_by(locked.pk, at)
    if before is None:
        _add(readers.filter(unread_now), +1)
    else:
        unread_before = ~_read_by(locked.pk, before)
        _add(readers.filter(unread_now & ~unread_before), +1)
        # Two messages committed out of the order of their times: the last word moves back.
        _add(readers.filter(unread_before & ~unread_now), -1)
    if read_by is not None:
        _read_marker(locked, read_by, timezone.now())
