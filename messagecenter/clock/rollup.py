"""The performance page's daily rollup: each clock's end counted once, as it happens.

A buyer message counts on the day it was delivered (in the marketplace's time zone,
settings.TIME_ZONE), in its business's row (ResponseDay) and, once answered, in the row of
the team member whose message answered it (MemberResponseDay). The reply clock's services
move the rows inside their own transaction, so a rolled-back reply leaves the rollup as it
was: a delivery within its one statement (on_delivery.py, the same upserts in SQL), the
others through `rollup_record` with the messages' state before and after the change (a
row is moved by the difference, with one upsert per table).

`rollup_rebuild` recounts everything from the messages with set-based SQL: the backfill
migration and `manage.py repair_rollup` use it. On SQLite (the embedded default) the
recount and the comparison with it go message by message instead (core/by_vendor.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorWrapper

from messagecenter.core.by_vendor import by_vendor
from messagecenter.messaging.models import Message

# The tables of clock.models.ResponseDay and MemberResponseDay, named here so that the
# backfill migration can use this module without importing the models of today.
BUSINESS_TABLE = "clock_responseday"
MEMBER_TABLE = "clock_memberresponseday"


def marketplace_zone() -> ZoneInfo:
    """The time zone the rollup's days are in (and the performance page's): settings'."""
    return ZoneInfo(settings.TIME_ZONE)


def rollup_day(message: Message) -> date:
    """The day a buyer message counts on: its delivery, in the marketplace's time zone."""
    assert message.delivered_at is not None
    return message.delivered_at.astimezone(marketplace_zone()).date()


@dataclass(frozen=True)
class ClockState:
    """What one buyer message adds to the rollup: None for a message with no clock."""

    business_id: int
    day: date
    answerer_id: int | None  # the sender of the answering message, when answered
    answered: bool
    within: bool
    not_needed: bool
    seconds: int

    @classmethod
    def of(cls, message: Message, business_id: int, answerer_id: int | None) -> ClockState | None:
        if message.reply_due_at is None or message.delivered_at is None:
            return None
        answered = message.answered_at is not None
        return cls(
            business_id=business_id,
            day=rollup_day(message),
            answerer_id=answerer_id if answered else None,
            answered=answered,
            within=answered and message.answered_at <= message.reply_due_at,  # type: ignore[operator]
            not_needed=message.no_response_needed_at is not None,
            seconds=(message.response_seconds or 0) if answered else 0,
        )


BusinessRows = dict[tuple[int, date], list[int]]
MemberRows = dict[tuple[int, int | None, date], list[int]]


def _tally(
    changes: Iterable[tuple[ClockState | None, ClockState | None]],
) -> tuple[BusinessRows, MemberRows]:
    """How much each business row and member row moves: received, within, late,
    not_needed, answered_seconds per business and day; within, late, answered_seconds per
    answering member and day."""
    business: BusinessRows = defaultdict(lambda: [0, 0, 0, 0, 0])
    members: MemberRows = defaultdict(lambda: [0, 0, 0])
    for before, after in changes:
        for state, sign in ((before, -1), (after, 1)):
            if state is None:
                continue
            row = business[(state.business_id, state.day)]
            row[0] += sign
            row[1] += sign * (state.answered and state.within)
            row[2] += sign * (state.answered and not state.within)
            row[3] += sign * state.not_needed
            row[4] += sign * state.seconds
            if state.answered:
                member = members[(state.business_id, state.answerer_id, state.day)]
                member[0] += sign * state.within
                member[1] += sign * (not state.within)
                member[2] += sign * state.seconds
    return business, members


def rollup_record(changes: Iterable[tuple[ClockState | None, ClockState | None]]) -> None:
    """Move the rollup rows by the difference between each message's before and after."""
    business, members = _tally(changes)
    upserts = [
        _upsert(
            BUSINESS_TABLE,
            ["business_id", "day"],
            ["received", "within", "late", "not_needed", "answered_seconds"],
            business,
        ),
        _upsert(
            MEMBER_TABLE,
            ["business_id", "member_id", "day"],
            ["within", "late", "answered_seconds"],
            members,
        ),
    ]
    _upserts_run([upsert for upsert in upserts if upsert is not None])


@by_vendor
def _upserts_run(statements: list[tuple[str, list[Any]]]) -> None:
    if len(statements) == 2:
        # An answer moves both tables: one round trip, the first upsert as a CTE.
        (first, first_params), (second, second_params) = statements
        statements = [(f"WITH business AS ({first}) {second}", first_params + second_params)]
    _upserts_run_each(statements)


@_upserts_run.sqlite
def _upserts_run_each(statements: list[tuple[str, list[Any]]]) -> None:
    # SQLite takes no INSERT inside WITH; it is in-process, so two statements cost nothing.
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _nulls_last(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    """Sort key of a row key, a missing member after the others (as PostgreSQL orders)."""
    return tuple((part is None, part or 0) for part in key)


def _upsert(
    table: str, keys: list[str], counts: list[str], rows: dict
) -> tuple[str, list[Any]] | None:
    """The statement that adds these rows' counts to the table, creating missing rows."""
    # Sorted, so two transactions touching the same rows lock them in the same order.
    changed = sorted(
        ((key, values) for key, values in rows.items() if any(values)),
        key=lambda item: _nulls_last(item[0]),
    )
    if not changed:
        return None
    placeholders = ", ".join(
        ["(" + ", ".join(["%s"] * (len(keys) + len(counts))) + ")"] * len(changed)
    )
    params = [value for key, values in changed for value in (*key, *values)]
    columns = ", ".join(keys + counts)
    added = ", ".join(f"{c} = r.{c} + EXCLUDED.{c}" for c in counts)
    # Only this module's own table and column names are formatted in; values are parameters.
    sql = (
        f"INSERT INTO {table} AS r ({columns}) VALUES {placeholders}"  # noqa: S608
        f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}"
    )
    return sql, params


# --- Recounting from the messages ----------------------------------------------------------

# Grouped by business and day (and answering member): a GROUP BY over the messages with a
# clock, in the marketplace's time zone; PostgreSQL only (AT TIME ZONE, FILTER).
_COUNT_BUSINESS_DAYS = """
    SELECT c.seller_id, (m.delivered_at AT TIME ZONE %(zone)s)::date AS day,
           count(*) AS received,
           count(*) FILTER (WHERE m.answered_at <= m.reply_due_at) AS within,
           count(*) FILTER (WHERE m.answered_at > m.reply_due_at) AS late,
           count(*) FILTER (WHERE m.no_response_needed_at IS NOT NULL) AS not_needed,
           coalesce(sum(m.response_seconds) FILTER (WHERE m.answered_at IS NOT NULL), 0)
               AS seconds
    FROM messaging_message m
    JOIN threads_conversation c ON c.id = m.conversation_id
    WHERE m.sender_side = 'buyer' AND m.reply_due_at IS NOT NULL
      AND m.delivered_at IS NOT NULL AND (%(everyone)s OR c.seller_id = ANY(%(ids)s))
    GROUP BY 1, 2
"""

_COUNT_MEMBER_DAYS = """
    SELECT c.seller_id, a.sender_id, (m.delivered_at AT TIME ZONE %(zone)s)::date AS day,
           count(*) FILTER (WHERE m.answered_at <= m.reply_due_at) AS within,
           count(*) FILTER (WHERE m.answered_at > m.reply_due_at) AS late,
           coalesce(sum(m.response_seconds), 0) AS seconds
    FROM messaging_message m
    JOIN threads_conversation c ON c.id = m.conversation_id
    LEFT JOIN messaging_message a ON a.id = m.answered_by_message_id
    WHERE m.sender_side = 'buyer' AND m.reply_due_at IS NOT NULL
      AND m.delivered_at IS NOT NULL AND m.answered_at IS NOT NULL
      AND (%(everyone)s OR c.seller_id = ANY(%(ids)s))
    GROUP BY 1, 2, 3
"""


def rollup_rebuild(cursor: CursorWrapper, business_ids: list[int] | None = None) -> None:
    """Empty the rollup (of these businesses, or all) and count it again from the messages.

    On PostgreSQL two INSERT ... SELECT ... GROUP BY statements (seconds for a million
    messages); elsewhere (the SQLite of a development checkout) message by message.
    """
    ids = list(business_ids or [])
    for table in (BUSINESS_TABLE, MEMBER_TABLE):
        if business_ids is None:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        elif ids:
            where = f"business_id IN ({', '.join(['%s'] * len(ids))})"
            cursor.execute(f"DELETE FROM {table} WHERE {where}", ids)  # noqa: S608
    if business_ids is not None and not ids:
        return
    _count_into_rollup(cursor, business_ids)


@by_vendor
def _count_into_rollup(cursor: CursorWrapper, business_ids: list[int] | None) -> None:
    ids = list(business_ids or [])
    params: dict[str, Any] = {
        "zone": settings.TIME_ZONE,
        "everyone": business_ids is None,
        "ids": ids,
    }
    cursor.execute(
        f"INSERT INTO {BUSINESS_TABLE} (business_id, day, received, within, late, not_needed,"
        f" answered_seconds) {_COUNT_BUSINESS_DAYS}",
        params,
    )
    cursor.execute(
        f"INSERT INTO {MEMBER_TABLE} (business_id, member_id, day, within, late,"
        f" answered_seconds) {_COUNT_MEMBER_DAYS}",
        params,
    )


@_count_into_rollup.sqlite
def _count_into_rollup_one_by_one(cursor: CursorWrapper, business_ids: list[int] | None) -> None:
    _rebuild_one_by_one(business_ids)


def _clock_states(
    business_ids: list[int] | None = None, chunk: int = 2000
) -> Iterator[ClockState | None]:
    """What each buyer message with a clock adds to the rollup, read from the messages."""
    messages = Message.objects.filter(sender_side="buyer", reply_due_at__isnull=False).exclude(
        delivered_at=None
    )
    if business_ids is not None:
        messages = messages.filter(conversation__seller_id__in=business_ids)
    for message in (
        messages.select_related("conversation", "answered_by_message")
        .only(
            "reply_due_at",
            "delivered_at",
            "answered_at",
            "response_seconds",
            "no_response_needed_at",
            "conversation__seller_id",
            "answered_by_message__sender_id",
        )
        .iterator(chunk_size=chunk)
    ):
        answerer = message.answered_by_message.sender_id if message.answered_by_message else None
        yield ClockState.of(message, message.conversation.seller_id, answerer)


def _rebuild_one_by_one(business_ids: list[int] | None = None, chunk: int = 2000) -> None:
    batch: list[tuple[None, ClockState | None]] = []
    for state in _clock_states(business_ids, chunk):
        batch.append((None, state))
        if len(batch) >= chunk:
            rollup_record(batch)
            batch = []
    rollup_record(batch)


@by_vendor
def rollup_differences(cursor: CursorWrapper) -> list[str]:
    """The rollup rows that differ from a recount, described; empty when it is right.

    Rows whose counts are all zero (every clock of the day moved elsewhere) count as
    missing. On PostgreSQL two statements; on SQLite message by message.
    """
    zone: dict[str, Any] = {"zone": settings.TIME_ZONE, "everyone": True, "ids": []}
    cursor.execute(
        f"""
        WITH counted AS ({_COUNT_BUSINESS_DAYS}),
        kept AS (
            SELECT * FROM {BUSINESS_TABLE}
            WHERE received <> 0 OR within <> 0 OR late <> 0 OR not_needed <> 0
               OR answered_seconds <> 0
        )
        SELECT coalesce(k.seller_id, r.business_id), coalesce(k.day, r.day)
        FROM counted k
        FULL JOIN kept r ON r.business_id = k.seller_id AND r.day = k.day
        WHERE (k.received, k.within, k.late, k.not_needed, k.seconds)
              IS DISTINCT FROM (r.received, r.within, r.late, r.not_needed, r.answered_seconds)
        ORDER BY 1, 2
        """,  # noqa: S608
        zone,
    )
    differences = [f"business {b} on {d}" for b, d in cursor.fetchall()]
    cursor.execute(
        f"""
        WITH counted AS ({_COUNT_MEMBER_DAYS}),
        kept AS (
            SELECT business_id, member_id, day, sum(within) AS within, sum(late) AS late,
                   sum(answered_seconds) AS seconds
            FROM {MEMBER_TABLE} GROUP BY 1, 2, 3
            HAVING sum(within) <> 0 OR sum(late) <> 0 OR sum(answered_seconds) <> 0
        )
        SELECT coalesce(k.seller_id, r.business_id), coalesce(k.sender_id, r.member_id),
               coalesce(k.day, r.day)
        FROM counted k
        FULL JOIN kept r ON r.business_id = k.seller_id AND r.day = k.day
             AND r.member_id IS NOT DISTINCT FROM k.sender_id
        WHERE (k.within, k.late, k.seconds) IS DISTINCT FROM (r.within, r.late, r.seconds)
        ORDER BY 1, 2, 3
        """,  # noqa: S608
        zone,
    )
    differences += [f"member {m} of business {b} on {d}" for b, m, d in cursor.fetchall()]
    return differences


@rollup_differences.sqlite
def _rollup_differences_one_by_one(cursor: CursorWrapper) -> list[str]:
    # The recount the rebuild stores, tallied here, against the rows as kept.
    counted_business, counted_members = _tally((None, state) for state in _clock_states())
    # Only this module's own table names are formatted in.
    cursor.execute(
        "SELECT business_id, day, received, within, late, not_needed, answered_seconds"  # noqa: S608
        f" FROM {BUSINESS_TABLE}"
    )
    kept_business = {(b, _as_date(d)): list(counts) for b, d, *counts in cursor.fetchall()}
    cursor.execute(
        "SELECT business_id, member_id, day, sum(within), sum(late), sum(answered_seconds)"  # noqa: S608
        f" FROM {MEMBER_TABLE} GROUP BY business_id, member_id, day"
    )
    kept_members = {(b, m, _as_date(d)): list(counts) for b, m, d, *counts in cursor.fetchall()}
    differences = [f"business {b} on {d}" for b, d in _differing(counted_business, kept_business)]
    differences += [
        f"member {m} of business {b} on {d}"
        for b, m, d in _differing(counted_members, kept_members)
    ]
    return differences


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _differing(counted: dict[Any, list[int]], kept: dict[Any, list[int]]) -> list[Any]:
    """The keys whose counts differ, all-zero rows and missing ones alike; sorted."""
    # A key is here when one side has counts; then a missing other side differs.
    keys = {key for rows in (counted, kept) for key, values in rows.items() if any(values)}
    return sorted((key for key in keys if counted.get(key) != kept.get(key)), key=_nulls_last)
