"""What a delivery does to the reply clock, in one statement each.

Deliveries are the reply clock's busiest writes, so each is one round trip.

A buyer message starts a clock: its due time, the conversation's (the earlier of the one it
kept and this one: it keeps the earliest of the messages waiting) and the performance
rollup's count of messages received that day.

A seller's answer stops the clocks waiting in its conversation:
- every buyer message whose clock runs and that was delivered by the time of the answer
  gets answered_at, answered_by_message, response_seconds and, past its due time, late_at
  (the reply_clock rules, here in SQL);
- the conversation keeps the due time of what still waits (a buyer message delivered after
  the answer's time, committed before it), usually none;
- the performance rollup moves each answered message from waiting to within or late, in
  its business's row and the answering member's (rollup.py, the same days as its
  recount).

Run them after the conversation row is locked (message_send locks it first): a statement
then sees every message committed before, and no other delivery in the conversation runs
until this transaction ends. On SQLite (the embedded default) on_delivery_sqlite.py does the
same in ORM statements; core/by_vendor.py picks the body.
"""

from __future__ import annotations

from django.conf import settings

from messagecenter.clock import on_delivery_sqlite
from messagecenter.clock.rollup import BUSINESS_TABLE, MEMBER_TABLE, rollup_day
from messagecenter.core.by_vendor import by_vendor
from messagecenter.core.prepared import prepared_cursor
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation
from messagecenter.threads.reply_due import reply_due_after

_MESSAGES = Message._meta.db_table
_CONVERSATIONS = Conversation._meta.db_table

# Only the models' own table names are formatted in; every value is a parameter.
_START = f"""
    WITH started AS (
        UPDATE {_MESSAGES} SET reply_due_at = %(due)s WHERE id = %(message)s
    ), still_due AS (
        UPDATE {_CONVERSATIONS} SET reply_due_at = LEAST(reply_due_at, %(due)s)
        WHERE id = %(conversation)s
        RETURNING reply_due_at
    ), business AS (
        INSERT INTO {BUSINESS_TABLE} AS r
            (business_id, day, received, within, late, not_needed, answered_seconds)
        VALUES (%(business)s, %(day)s, 1, 0, 0, 0, 0)
        ON CONFLICT (business_id, day) DO UPDATE SET received = r.received + 1
    )
    SELECT reply_due_at FROM still_due
"""  # noqa: S608

# The day is the one rollup_rebuild counts a message on (its delivery, in the marketplace's
# time zone).
_ANSWER = f"""
    WITH answered AS (
        UPDATE {_MESSAGES} m
        SET answered_at = %(at)s,
            answered_by_message_id = %(reply)s,
            response_seconds = GREATEST(0, floor(extract(epoch FROM %(at)s - m.delivered_at))),
            late_at = CASE WHEN m.late_at IS NULL AND %(at)s > m.reply_due_at
                           THEN m.reply_due_at ELSE m.late_at END
        WHERE m.conversation_id = %(conversation)s AND m.delivered_at <= %(at)s
          AND m.reply_due_at IS NOT NULL AND m.answered_at IS NULL
          AND m.no_response_needed_at IS NULL
        RETURNING (m.delivered_at AT TIME ZONE %(zone)s)::date AS day,
                  m.answered_at <= m.reply_due_at AS within, m.response_seconds AS seconds
    ), still_due AS (
        UPDATE {_CONVERSATIONS}
        SET reply_due_at = (
            SELECT min(reply_due_at) FROM {_MESSAGES}
            WHERE conversation_id = %(conversation)s AND delivered_at > %(at)s
              AND reply_due_at IS NOT NULL AND answered_at IS NULL
              AND no_response_needed_at IS NULL
        )
        WHERE id = %(conversation)s
        RETURNING reply_due_at
    ), per_day AS (
        SELECT day, count(*) FILTER (WHERE within) AS within,
               count(*) FILTER (WHERE NOT within) AS late, sum(seconds) AS seconds
        FROM answered GROUP BY day
    ), business AS (
        INSERT INTO {BUSINESS_TABLE} AS r
            (business_id, day, received, within, late, not_needed, answered_seconds)
        SELECT %(business)s, day, 0, within, late, 0, seconds FROM per_day ORDER BY day
        ON CONFLICT (business_id, day) DO UPDATE SET
            within = r.within + EXCLUDED.within, late = r.late + EXCLUDED.late,
            answered_seconds = r.answered_seconds + EXCLUDED.answered_seconds
    ), member AS (
        INSERT INTO {MEMBER_TABLE} AS r (business_id, member_id, day, within, late,
                                         answered_seconds)
        SELECT %(business)s, %(member)s, day, within, late, seconds FROM per_day ORDER BY day
        ON CONFLICT (business_id, member_id, day) DO UPDATE SET
            within = r.within + EXCLUDED.within, late = r.late + EXCLUDED.late,
            answered_seconds = r.answered_seconds + EXCLUDED.answered_seconds
    )
    SELECT reply_due_at FROM still_due
"""  # noqa: S608


@by_vendor(sqlite=on_delivery_sqlite.clock_start)
def clock_start(message: Message) -> None:
    """Start the clock of a buyer message that has just been delivered."""
    assert message.delivered_at is not None
    conversation = message.conversation
    message.reply_due_at = reply_due_after(message.delivered_at)
    with prepared_cursor() as cursor:
        cursor.execute(
            _START,
            {
                "due": message.reply_due_at,
                "message": message.pk,
                "conversation": conversation.pk,
                "business": conversation.seller_id,
                "day": rollup_day(message),
            },
        )
        (conversation.reply_due_at,) = cursor.fetchone()


@by_vendor(sqlite=on_delivery_sqlite.waiting_messages_answer)
def waiting_messages_answer(reply: Message) -> None:
    """Answer, with this delivered seller message, every buyer message waiting for it."""
    assert reply.delivered_at is not None
    conversation = reply.conversation
    with prepared_cursor() as cursor:
        cursor.execute(
            _ANSWER,
            {
                "at": reply.delivered_at,
                "reply": reply.pk,
                "conversation": conversation.pk,
                "zone": settings.TIME_ZONE,
                "business": conversation.seller_id,
                "member": reply.sender_id,
            },
        )
        (conversation.reply_due_at,) = cursor.fetchone()
