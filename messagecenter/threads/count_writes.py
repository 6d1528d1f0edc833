"""The two writes that change unread counts, each one statement after the conversation's
lock (threads/unread.py says why the counts stay exact): a user opening the conversation
(their read marker), and a message becoming the other side's last word.

A send does both at once for its sender: the last word, the sender's read marker and every
count either changes, in one statement.

On SQLite (the embedded default) count_writes_sqlite.py does the same in ORM statements;
core/by_vendor.py picks the body.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.core.by_vendor import by_vendor
from messagecenter.core.prepared import prepared_cursor
from messagecenter.threads import count_writes_sqlite
from messagecenter.threads.models import Conversation, ReadState, Side, UnreadCount
from messagecenter.threads.unread import LockedConversation, lock_conversation

_READ_STATES = ReadState._meta.db_table
_COUNTS = UnreadCount._meta.db_table
_CONVERSATIONS = Conversation._meta.db_table

# The user of the count row `u` had opened the conversation at or after a moment.
_READ_BY = (
    f"EXISTS (SELECT 1 FROM {_READ_STATES} r WHERE r.conversation_id = %s"  # noqa: S608
    " AND r.user_id = u.user_id AND r.last_read_at >= %s)"
)


@by_vendor(sqlite=count_writes_sqlite.conversation_read_record)
@transaction.atomic(savepoint=False)
def conversation_read_record(
    *, conversation: Conversation, user: User, locked: LockedConversation | None = None
) -> None:
    """Record that the user opened the conversation now, and change their counts to match.

    ``locked``: the conversation as the caller's transaction already locked it (a held
    message's send), if it did.
    """
    locked = locked or lock_conversation(conversation.pk)
    ctes, params = _read_marker(locked, user, timezone.now())
    with prepared_cursor() as cursor:
        cursor.execute(f"WITH {ctes} SELECT 1", params)


@by_vendor(sqlite=count_writes_sqlite.conversation_unread_record)
@transaction.atomic(savepoint=False)
def conversation_unread_record(*, conversation: Conversation, user: User) -> bool:
    """Mark the conversation unread for the user: their read marker goes back to just
    before the buyer's last message, and their counts follow, as a read moves them.
    False when the buyer never wrote in it (nothing to be unread)."""
    locked = lock_conversation(conversation.pk)
    if locked.last_buyer_message_at is None:
        return False
    before_last_word = locked.last_buyer_message_at - timedelta(microseconds=1)
    ctes, params = _read_marker(locked, user, before_last_word)
    with prepared_cursor() as cursor:
        cursor.execute(f"WITH {ctes} SELECT 1", params)
    return True


def _read_marker(locked: LockedConversation, user: User, now: datetime) -> tuple[str, list[Any]]:
    """WITH clauses that set the user's read marker to `now` (or, marking unread, to a
    moment before the last word) and move each of their counts by whether the
    conversation was unread before (by the marker as it was) and is now."""
    # The user may read as the buyer, as a member of the seller, or (in tests) as both.
    scopes: list[tuple[int | None, datetime | None]] = [
        (locked.seller_id, locked.last_buyer_message_at)
    ]
    if user.pk == locked.buyer_id:
        scopes.append((None, locked.last_seller_message_at))
    # A side that never wrote leaves nothing unread, before or now.
    written = [(business_id, at) for business_id, at in scopes if at is not None]
    # Only this module's table names are formatted in; values are parameters.
    marker = f"""
        marker AS (
            INSERT INTO {_READ_STATES} (conversation_id, user_id, last_read_at)
            VALUES (%s, %s, %s)
            ON CONFLICT (conversation_id, user_id)
            DO UPDATE SET last_read_at = EXCLUDED.last_read_at
        )
    """  # noqa: S608
    marker_params: list[Any] = [locked.pk, user.pk, now]
    if not written:
        return marker, marker_params
    # Per scope: unread now (known here) minus unread before (by the marker as it was).
    values = ", ".join(
        [
            "(%s::bigint, %s::int - CASE WHEN EXISTS"
            " (SELECT 1 FROM before WHERE last_read_at >= %s) THEN 0 ELSE 1 END)"
        ]
        * len(written)
    )
    ctes = f"""
        before AS (
            SELECT last_read_at FROM {_READ_STATES} WHERE conversation_id = %s AND user_id = %s
        ), {marker},
        scope (business_id, change) AS (VALUES {values}),
        read_counts AS (
            UPDATE {_COUNTS} u SET unread = u.unread + scope.change
            FROM scope
            WHERE u.user_id = %s AND u.business_id IS NOT DISTINCT FROM scope.business_id
              AND scope.change <> 0
        )
    """  # noqa: S608
    scope_params = [
        value
        for business_id, at in written
        for value in (business_id, int(_is_unread(at, now)), at)
    ]
    return ctes, [locked.pk, user.pk, *marker_params, *scope_params, user.pk]


def _is_unread(other_side_at: datetime | None, read_at: datetime | None) -> bool:
    return other_side_at is not None and (read_at is None or other_side_at > read_at)


@by_vendor(sqlite=count_writes_sqlite.last_word_record)
def last_word_record(
    locked: LockedConversation,
    *,
    side: str,
    at: datetime,
    preview: str,
    read_by: User | None = None,
) -> None:
    """A message from `side` became the conversation's last word at `at`: the row keeps it,
    and it is unread for whoever on the other side had not opened the conversation since.

    One statement: the conversation row (locked by `lock_conversation`) and the count rows
    whose conversation turns unread (or, for two messages committed out of the order of
    their times, back to read), locked in id order so two deliveries cannot deadlock.
    ``read_by``: the sender, whose read marker the same statement sets (a send); the
    message is never unread for them, so their rows move by the read marker alone.
    """
    if side == Side.BUYER:
        own_last, before = "last_buyer_message_at", locked.last_buyer_message_at
        readers, reader_params = "u.business_id = %s", [locked.seller_id]
    else:
        own_last, before = "last_seller_message_at", locked.last_seller_message_at
        readers, reader_params = "u.user_id = %s AND u.business_id IS NULL", [locked.buyer_id]
    read_ctes, read_params = "", list[Any]()
    if read_by is not None:
        read_ctes, read_params = _read_marker(locked, read_by, timezone.now())
        read_ctes += ","
        readers += " AND u.user_id <> %s"
        reader_params = [*reader_params, read_by.pk]
    # unread now (0 or 1) minus unread before the message; never read counts as unread.
    change = f"(CASE WHEN {_READ_BY} THEN 0 ELSE 1 END)"
    change_params: list[Any] = [locked.pk, at]
    if before is not None:
        change += f" - (CASE WHEN {_READ_BY} THEN 0 ELSE 1 END)"
        change_params += [locked.pk, before]
    # Only this module's table and column names are formatted in; values are parameters.
    sql = f"""
        WITH {read_ctes}
        last_word AS (
            UPDATE {_CONVERSATIONS}
            SET last_message_at = %s, last_message_side = %s, last_message_preview = %s,
                {own_last} = %s
            WHERE id = %s
        ), changed AS (
            SELECT u.id, {change} AS change FROM {_COUNTS} u
            WHERE {readers} AND {change} <> 0
            ORDER BY u.id FOR UPDATE
        )
        UPDATE {_COUNTS} u SET unread = u.unread + changed.change
        FROM changed WHERE u.id = changed.id
    """  # noqa: S608
    params = [
        *read_params,
        at,
        side,
        preview,
        at,
        locked.pk,
        *change_params,
        *reader_params,
        *change_params,
    ]
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
