"""What the engine needs to know from the database about an order and a seller."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from compliance.engine import OrderFacts, SellerFacts
from messagecenter.accounts.models import SellerBusiness
from messagecenter.messaging.models import Message
from messagecenter.messaging.proactive_counts import (
    COUNTED_STATUSES,
    counts_toward_cap,
    proactive_sent_on,
    utc_day,
)
from orders.models import Order


def order_facts(order: Order | None) -> OrderFacts | None:
    if order is None:
        return None
    return OrderFacts(
        ordered_at=order.ordered_at, shipped_at=order.shipped_at, delivered_at=order.delivered_at
    )


def seller_facts_apply(message_type: str, *, reply_to_buyer: bool) -> bool:
    """Whether any rule reads the seller's facts for this message.

    The standing, the daily cap and the order volume are only asked of proactive sends
    (seller.restricted, type.daily_cap); the review requests already sent only of a review
    request (review.*). An answer to the buyer of another type skips their four queries.
    A new rule that reads the facts for other messages must widen this test.
    """
    return not reply_to_buyer or message_type == "review_request"


def seller_facts(
    business: SellerBusiness,
    order: Order | None,
    now: datetime,
    *,
    excluding: Message | None = None,
) -> SellerFacts:
    """The seller's standing and today's activity, for the rules that depend on them.

    ``excluding`` leaves a stored message out of the counts: a held message judged again
    (a reviewer's edit) is not its own earlier review request or proactive message.
    """
    counted = Message.objects.filter(status__in=COUNTED_STATUSES)
    if excluding is not None:
        counted = counted.exclude(pk=excluding.pk)
    # Read afresh: a restriction may have begun since this business row was loaded.
    until, reason = (
        SellerBusiness.objects.filter(pk=business.pk)
        .values_list("proactive_restricted_until", "proactive_restriction_reason")
        .get()
    )
    restricted = until is not None and until > now
    # "Today" is the UTC day of ``now``: for a held message judged again, the day it was
    # sent. The count comes from the day's counter row, not from the day's messages.
    today = utc_day(now)
    sent_today = proactive_sent_on(business.pk, today)
    if (
        excluding is not None
        and counts_toward_cap(excluding)
        and utc_day(excluding.created_at) == today
    ):
        sent_today -= 1
    orders_30_days = Order.objects.filter(
        seller=business, ordered_at__gte=now - timedelta(days=30)
    ).count()
    review_requests = 0
    if order is not None:
        review_requests = counted.filter(
            conversation__order=order, message_type="review_request"
        ).count()
    return SellerFacts(
        restricted_until=until if restricted else None,
        restriction_reason=reason if restricted else "",
        proactive_sent_today=sent_today,
        average_daily_orders=(Decimal(orders_30_days) / Decimal(30)).quantize(Decimal("0.01")),
        review_requests_for_order=review_requests,
    )
