"""The 24-hour reply clock: every buyer message starts one, the seller's answer stops it.

The state lives in the database, so every page is right whether or not a worker runs:
- a buyer message gets reply_due_at = delivered_at + 24 h when it is delivered;
- a delivered seller message that is not an automatic reply answers every buyer message
  still waiting in the conversation (answered_at, answered_by_message, response_seconds);
  held seller messages stop nothing until they are delivered, undeliverable ones never do;
- "No response needed" stops one message's clock without an answer and takes it out of
  the measure; it is offered only before the message is due;
- the conversation keeps the due time of its earliest waiting message (reply_due_at),
  which the inbox sorts and filters on and the reminder sweep scans (reminders.py).

Time is absolute: 24 hours in UTC, so a daylight-saving change neither shortens nor
lengthens a clock; weekends and holidays count like any other day.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.clock.on_delivery import clock_start, waiting_messages_answer
from messagecenter.clock.rollup import ClockState, rollup_rebuild, rollup_record
from messagecenter.core.errors import UserFacingError
from messagecenter.messaging.business_counts import business_counts_changed
from messagecenter.messaging.models import CLOCK_RUNNING, Message
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.reply_due import elapsed, reply_due_after

_ANSWER_FIELDS = ["answered_at", "answered_by_message", "response_seconds", "late_at"]


def running_clocks() -> QuerySet[Message]:
    """Buyer messages waiting for an answer."""
    return Message.objects.filter(CLOCK_RUNNING)


def clock_on_message_delivered(message: Message) -> None:
    """Start or stop clocks for a message that has just been delivered.

    Called by message_deliver inside its transaction, after it has updated (and so
    locked) the conversation row; concurrent deliveries in one conversation therefore
    take their turns here.
    """
    if message.is_automatic:
        # An out-of-office answer is not an answer; from a buyer, it asks nothing.
        return
    if message.sender_side == Side.BUYER:
        clock_start(message)
    else:
        waiting_messages_answer(message)
    # Awaiting and overdue moved, whichever body (PostgreSQL or SQLite) did it: a cache call.
    business_counts_changed(message.conversation.seller_id)


def _record_answer(message: Message, reply: Message | None, answered_at: datetime) -> None:
    assert message.reply_due_at is not None and message.delivered_at is not None
    message.answered_at = answered_at
    message.answered_by_message = reply
    message.response_seconds = max(
        0, int(elapsed(message.delivered_at, answered_at).total_seconds())
    )
    if message.late_at is None and answered_at > message.reply_due_at:
        message.late_at = message.reply_due_at


def conversation_refresh_reply_due(conversation: Conversation) -> None:
    """Set the conversation's due time from its earliest waiting buyer message."""
    due = (
        running_clocks()
        .filter(conversation_id=conversation.pk)
        .aggregate(due=Min("reply_due_at"))["due"]
    )
    Conversation.objects.filter(pk=conversation.pk).update(reply_due_at=due)
    conversation.reply_due_at = due
    business_counts_changed(conversation.seller_id)  # awaiting, overdue


def mark_no_response_needed(*, message: Message, by: User, now: datetime | None = None) -> Message:
    """Stop a buyer message's clock without an answer ("Thanks, got it!").

    The message leaves the response-time measure, and who marked it and when is kept.
    Only a member of the seller's team may mark it, only while its clock runs and before
    it is due: once the 24 hours have passed, only an answer stops the clock.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The conversation first, as message_deliver does, so the two never deadlock.
        conversation = Conversation.objects.select_for_update().get(pk=message.conversation_id)
        if conversation.seller_id not in business_ids_for_member(by):
            raise UserFacingError(_("Only the seller's team can mark a buyer message."))
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.sender_side != Side.BUYER or locked.reply_due_at is None:
            raise UserFacingError(_("Only a buyer's message can be marked as needing no response."))
        if locked.answered_at is not None:
            raise UserFacingError(_("This message has been answered already."))
        if locked.no_response_needed_at is not None:
            raise UserFacingError(_("This message is already marked as needing no response."))
        if now >= locked.reply_due_at:
            raise UserFacingError(
                _(
                    "The time to answer this message has passed, so it can no longer be "
                    "marked as needing no response. Send a reply to stop its clock."
                )
            )
        before = ClockState.of(locked, conversation.seller_id, None)
        locked.no_response_needed_at = now
        locked.no_response_needed_by = by
        locked.save(update_fields=["no_response_needed_at", "no_response_needed_by"])
        conversation_refresh_reply_due(conversation)
        rollup_record([(before, ClockState.of(locked, conversation.seller_id, None))])
    message.no_response_needed_at = locked.no_response_needed_at
    message.no_response_needed_by = by
    return locked


def reply_clock_rebuild(conversation: Conversation, now: datetime | None = None) -> None:
    """Work every clock of a conversation out again from its delivered messages.

    For messages whose times were rewritten (the demo data backdates them). Marks of
    "no response needed" are kept as they are. The business's performance rollup is
    counted again, which reads all its messages: not for a busy seller's live data.
    """
    now = now or timezone.now()
    delivered = list(
        Message.objects.filter(
            conversation=conversation, status=Message.Status.DELIVERED, is_automatic=False
        )
        .exclude(delivered_at=None)
        .order_by("delivered_at", "id")
    )
    waiting: list[Message] = []
    buyer_messages: list[Message] = []
    for message in delivered:
        assert message.delivered_at is not None
        if message.sender_side == Side.BUYER:
            message.reply_due_at = reply_due_after(message.delivered_at)
            message.answered_at = message.answered_by_message = message.response_seconds = None
            message.late_at = None
            buyer_messages.append(message)
            if message.no_response_needed_at is None:
                waiting.append(message)
        else:
            for answered in waiting:
                _record_answer(answered, message, message.delivered_at)
            waiting = []
    for message in waiting:
        assert message.reply_due_at is not None
        if message.reply_due_at <= now:
            message.late_at = message.reply_due_at
    Message.objects.bulk_update(buyer_messages, ["reply_due_at", *_ANSWER_FIELDS])
    conversation_refresh_reply_due(conversation)
    # The times were rewritten under the rollup, so the days the messages counted on
    # are not known any more: the business is counted again (the demo's few messages).
    with connection.cursor() as cursor:
        rollup_rebuild(cursor, [conversation.seller_id])
