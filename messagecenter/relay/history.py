"""What the intake log already says about an email about to be taken, in one statement.

Every email taken for a pair asks the log (``InboundEmail``) two things: was this email
(its Message-ID, for this recipient) taken before, and does the pair's recent mail look
like a loop (``loops``)? Asked one query at a time that was four round trips per email;
here it is one ``SELECT`` of conditional counts over the rows either question can need:
the earlier copies of this Message-ID and the pair's mail of the last minutes.

Read it with the pair locked (``SELECT ... FOR UPDATE``), in a statement of its own after
the lock: run in the same statement, it would see the log as it was before the wait, and
miss the copy of this email that the transaction holding the lock just stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from messagecenter.relay.addresses import masked_address
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


def intake_history(
    *, pair: ProxyAddressPair, recipient: str, message_id: str, shape: str
) -> IntakeHistory:
    """The log's answers for an email to ``recipient``, one of the pair's masked addresses."""
    now = timezone.now()
    minute_ago = now - timedelta(minutes=1)
    window_start = now - timedelta(minutes=settings.RELAY_LOOP_WINDOW_MINUTES)
    both_ways = [masked_address(pair, Side.BUYER), masked_address(pair, Side.SELLER)]
    recent = Q(
        recipient__in=[*both_ways, recipient], received_at__gte=min(minute_ago, window_start)
    )
    counts = {
        "last_minute": Count(
            "pk",
            filter=Q(recipient__in=both_ways, outcome__in=TAKEN, received_at__gte=minute_ago),
        ),
        "same_shape": Count(
            "pk",
            filter=Q(
                recipient=recipient, shape=shape, outcome__in=TAKEN, received_at__gte=window_start
            ),
        ),
        "loop_caught": Count(
            "pk",
            filter=Q(recipient=recipient, outcome=Outcome.LOOP, received_at__gte=window_start),
        ),
    }
    rows = recent
    if message_id:  # without one, nothing tells two copies apart
        same_email = Q(header_message_id=message_id[:998], recipient=recipient[:998])
        rows |= same_email
        counts["taken_before"] = Count("pk", filter=same_email & ~Q(outcome__in=NOT_A_DELIVERY))
    found = InboundEmail.objects.filter(rows).aggregate(**counts)
    return IntakeHistory(
        taken_before=bool(found.get("taken_before")),
        last_minute=found["last_minute"],
        same_shape=bool(found["same_shape"]),
        loop_caught=bool(found["loop_caught"]),
    )


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
