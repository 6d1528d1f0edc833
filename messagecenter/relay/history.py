"""What the intake log already says about an email about to be taken, in one statement.

Every email taken for a pair asks the log (``InboundEmail``) two things: was this email
(its Message-ID, for this recipient) taken before, and does the pair's recent mail look
like a loop (``loops``)? Asked one query at a time that was four round trips per email;
here it is one ``SELECT`` of conditional counts over the rows either question can need:
the earlier copies of this Message-ID and the pair's mail of the last minutes, read
through the log's (recipient, received_at) index. The same statement finds the
conversation the email belongs to (``matching``): one round trip for both.

Read it with the pair locked (``SELECT ... FOR UPDATE``), in a statement of its own after
the lock: run in the same statement, it would see the log as it was before the wait, and
miss the copy of this email that the transaction holding the lock just stored (and a
conversation it just opened).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from messagecenter.core.prepared import prepared_cursor
from messagecenter.relay.addresses import masked_address
from messagecenter.relay.matching import ConversationMatch, match_from_row, match_statement
from messagecenter.relay.models import InboundEmail, ProxyAddressPair
from messagecenter.threads.models import Side

Outcome = InboundEmail.Outcome

# Only emails the relay took in can be part of a loop (loops.py says why).
TAKEN = (Outcome.ACCEPTED, Outcome.LOOP)
# Refusals and duplicates are not a delivery: the same email may still be taken.
NOT_A_DELIVERY = (Outcome.REJECTED, Outcome.DUPLICATE)


@dataclass(frozen=True)
class IntakeHistory:
    taken_before: bool  # this Message-ID was taken for this recipient already
    last_minute: int  # emails taken for the pair, both ways, in the last minute
    same_shape: bool  # one of the same shape taken for this recipient within the window
    loop_caught: bool  # a loop already caught for this recipient within the window


def _counts_sql(*, with_message_id: bool) -> str:
    """The statement, written once per process: the ORM would build it again for every
    email (over a millisecond of Python, more than the database spends on it)."""
    table = InboundEmail._meta.db_table
    taken = ", ".join(f"'{outcome}'" for outcome in TAKEN)
    not_delivered = ", ".join(f"'{outcome}'" for outcome in NOT_A_DELIVERY)
    same_email = "header_message_id = %s AND recipient = %s"
    taken_before = (
        f"COUNT(*) FILTER (WHERE {same_email} AND outcome NOT IN ({not_delivered}))"
        if with_message_id
        else "0"
    )
    rows = "recipient IN (%s, %s, %s) AND received_at >= %s"
    if with_message_id:  # without one, nothing tells two copies apart
        rows = f"({rows}) OR ({same_email})"
    # Only names and the outcomes' own constants are written in; every value is a parameter.
    return (
        "SELECT"  # noqa: S608
        f" COUNT(*) FILTER (WHERE recipient IN (%s, %s) AND outcome IN ({taken})"
        " AND received_at >= %s),"
        f" COUNT(*) FILTER (WHERE recipient = %s AND shape = %s AND outcome IN ({taken})"
        " AND received_at >= %s),"
        f" COUNT(*) FILTER (WHERE recipient = %s AND outcome = '{Outcome.LOOP}'"
        " AND received_at >= %s),"
        f" {taken_before}"
        f" FROM {table} WHERE {rows}"
    )


_COUNTS_SQL = {with_id: _counts_sql(with_message_id=with_id) for with_id in (True, False)}


@dataclass(frozen=True)
class IntakeLookup:
    history: IntakeHistory
    match: ConversationMatch  # the conversation the email belongs to (matching)


def intake_lookup(
    *,
    pair: ProxyAddressPair,
    recipient: str,
    message_id: str,
    shape: str,
    reply_to_ids: tuple[str, ...],
    subject: str,
) -> IntakeLookup:
    """The log's answers for an email to ``recipient``, one of the pair's masked addresses,
    and the conversation it belongs to, in the same statement: both read after the lock."""
    counts, params = _history_statement(
        pair=pair, recipient=recipient, message_id=message_id, shape=shape
    )
    found, found_params = match_statement(pair, reply_to_ids=reply_to_ids, subject=subject)
    with prepared_cursor() as cursor:
        cursor.execute(
            # Two statements written once per process, and only their parameters vary.
            f"SELECT * FROM ({counts}) AS history LEFT JOIN ({found}) AS found ON TRUE",  # noqa: S608
            [*params, *found_params],
        )
        row = cursor.fetchone()
    last_minute, same_shape, loop_caught, taken_before = row[:4]
    history = IntakeHistory(
        taken_before=bool(taken_before),
        last_minute=last_minute,
        same_shape=bool(same_shape),
        loop_caught=bool(loop_caught),
    )
    return IntakeLookup(history, match_from_row(row, 4))


def _history_statement(
    *, pair: ProxyAddressPair, recipient: str, message_id: str, shape: str
) -> tuple[str, list[Any]]:
    now = timezone.now()
    minute_ago = now - timedelta(minutes=1)
    window_start = now - timedelta(minutes=settings.RELAY_LOOP_WINDOW_MINUTES)
    # As the ORM would pass them (SQLite stores times as text).
    times = connection.ops.adapt_datetimefield_value
    since_minute, since_window = times(minute_ago), times(window_start)
    oldest = times(min(minute_ago, window_start))
    both_ways = [masked_address(pair, Side.BUYER), masked_address(pair, Side.SELLER)]
    recipient = recipient[:998]
    params: list[Any] = [*both_ways, since_minute, recipient, shape, since_window]
    params += [recipient, since_window]
    same_email = [message_id[:998], recipient]
    if message_id:
        params += same_email
    params += [*both_ways, recipient, oldest]
    if message_id:
        params += same_email
    return _COUNTS_SQL[bool(message_id)], params


def earlier_delivery(*, recipient: str, message_id: str) -> InboundEmail | None:
    """The first time this email was taken for this recipient (read only for a duplicate,
    to link its log row to the message stored then)."""
    return (
        InboundEmail.objects.filter(header_message_id=message_id[:998], recipient=recipient[:998])
        .exclude(outcome__in=NOT_A_DELIVERY)
        .select_related("message")
        .order_by("received_at", "id")
        .first()
    )
