"""What a delivery does to the reply clock (on_delivery.py), in ORM statements for SQLite.

on_delivery.py does each in one PostgreSQL statement (data-modifying CTEs, GREATEST,
AT TIME ZONE, FILTER), which SQLite cannot run. These bodies leave the same rows behind
in a few statements: SQLite is in-process, and its transactions run one writer at a time
(core/row_locks.py), so nothing changes between them. core/by_vendor.py picks the body.
"""

from __future__ import annotations

from django.db.models import Min

from messagecenter.clock.rollup import ClockState, rollup_record
from messagecenter.messaging.models import CLOCK_RUNNING, Message
from messagecenter.threads.models import Conversation
from messagecenter.threads.reply_due import elapsed, reply_due_after


def clock_start(message: Message) -> None:
    """on_delivery.clock_start, for SQLite."""
    assert message.delivered_at is not None
    conversation = message.conversation
    message.reply_due_at = due = reply_due_after(message.delivered_at)
    Message.objects.filter(pk=message.pk).update(reply_due_at=due)
    kept = Conversation.objects.filter(pk=conversation.pk).values_list("reply_due_at", flat=True)
    earliest = min(due, kept.get() or due)
    Conversation.objects.filter(pk=conversation.pk).update(reply_due_at=earliest)
    conversation.reply_due_at = earliest
    rollup_record([(None, ClockState.of(message, conversation.seller_id, None))])


_ANSWER_FIELDS = ["answered_at", "answered_by_message", "response_seconds", "late_at"]


def waiting_messages_answer(reply: Message) -> None:
    """on_delivery.waiting_messages_answer, for SQLite."""
    assert reply.delivered_at is not None
    at = reply.delivered_at
    conversation = reply.conversation
    running = Message.objects.filter(CLOCK_RUNNING, conversation_id=conversation.pk)
    waiting = list(running.filter(delivered_at__lte=at))
    before = [ClockState.of(message, conversation.seller_id, None) for message in waiting]
    for message in waiting:
        assert message.delivered_at is not None and message.reply_due_at is not None
        message.answered_at = at
        message.answered_by_message = reply
        message.response_seconds = max(0, int(elapsed(message.delivered_at, at).total_seconds()))
        if message.late_at is None and at > message.reply_due_at:
            message.late_at = message.reply_due_at
    if waiting:
        Message.objects.bulk_update(waiting, _ANSWER_FIELDS)
    # What still waits: a buyer message delivered after the answer's time.
    due = running.filter(delivered_at__gt=at).aggregate(due=Min("reply_due_at"))["due"]
    Conversation.objects.filter(pk=conversation.pk).update(reply_due_at=due)
    conversation.reply_due_at = due
    after = [ClockState.of(message, conversation.seller_id, reply.sender_id) for message in waiting]
    rollup_record(zip(before, after, strict=True))
