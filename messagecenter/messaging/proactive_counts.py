"""The per-seller, per-day count of proactive messages the daily cap rule reads.

A message counts when a seller sent it, its type is proactive (or "other") and it is
delivered or held for review: a held message may still be delivered, so it takes its place
under the cap until a reviewer rejects it. Days are UTC days, as the cap's "today" is.
Every change of a message into or out of a counted status goes through
``record_counted_change`` in the same transaction, so the row never drifts from the
messages; ``recount_proactive_sends`` rebuilds the rows from the messages for data written
around the services (the scale benchmark's COPY).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate

from compliance.message_types import SELLER_TYPES, TypeGroup
from messagecenter.core.day_counts import add_to_day_count
from messagecenter.messaging.models import Message, ProactiveSendCount
from messagecenter.threads.models import Side

PROACTIVE_TYPE_IDS = frozenset(
    t.id for t in SELLER_TYPES if t.group in {TypeGroup.PROACTIVE, TypeGroup.OTHER}
)
COUNTED_STATUSES = frozenset({Message.Status.DELIVERED, Message.Status.HELD})


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def counts_toward_cap(message: Message, status: str | None = None) -> bool:
    """Whether the message, in ``status`` (its own by default), counts under the cap."""
    return (
        message.sender_side == Side.SELLER
        and message.message_type in PROACTIVE_TYPE_IDS
        and (message.status if status is None else status) in COUNTED_STATUSES
    )


def record_counted_change(message: Message, *, was: str | None) -> None:
    """Keep the seller's count for the message's day in step with its new status.

    ``was`` is the status before the change, None for a message just stored. Call inside
    the transaction that saves the status.
    """
    delta = int(counts_toward_cap(message)) - int(
        was is not None and counts_toward_cap(message, was)
    )
    if delta == 0:
        return
    add_to_day_count(
        ProactiveSendCount,
        "sent",
        message.conversation.seller_id,
        utc_day(message.created_at),
        delta,
    )


def proactive_sent_on(business_id: int, day: date) -> int:
    """The business's proactive messages on that UTC day, read from its counter row."""
    sent = (
        ProactiveSendCount.objects.filter(business_id=business_id, day=day)
        .values_list("sent", flat=True)
        .first()
    )
    return sent or 0


def recount_proactive_sends() -> int:
    """Rebuild every counter row from the messages; returns how many rows there are."""
    per_day = (
        Message.objects.filter(
            sender_side=Side.SELLER,
            message_type__in=PROACTIVE_TYPE_IDS,
            status__in=COUNTED_STATUSES,
        )
        .annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values("conversation__seller_id", "day")
        .annotate(sent=Count("id"))
        .order_by()
    )
    with transaction.atomic():
        ProactiveSendCount.objects.all().delete()
        rows = ProactiveSendCount.objects.bulk_create(
            ProactiveSendCount(
                business_id=row["conversation__seller_id"], day=row["day"], sent=row["sent"]
            )
            for row in per_day
        )
    return len(rows)
