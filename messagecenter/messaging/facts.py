"""What the engine needs to know from the database about an order and a seller."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from compliance.engine import OrderFacts, SellerFacts
from messagecenter.accounts.models import SellerBusiness
from messagecenter.messaging.models import Message, ProactiveSendCount
from messagecenter.messaging.proactive_counts import (
    COUNTED_STATUSES,
    counts_toward_cap,
    utc_day,
)
from orders.models import Order
from orders.order_counts import orders_since


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


class _CountOf(Subquery):
    """How many rows a queryset has, as an expression of the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def seller_facts(
    business: SellerBusiness,
    order: Order | None,
    now: datetime,
    *,
    excluding: Message | None = None,
) -> SellerFacts:
    """The seller's standing, today's activity and order volume, for the rules that
    depend on them, in one query whatever the seller's size (the volume from the kept
    per-day order counts, orders/order_counts.py).

    ``excluding`` leaves a stored message out of the counts: a held message judged again
    (a reviewer's edit) is not its own earlier review request or proactive message.
    """
    # "Today" is the UTC day of ``now``: for a held message judged again, the day it was
    # sent. The count comes from the day's counter row, not from the day's messages.
    today = utc_day(now)
    review_requests: Any = Value(0)
    if order is not None:
        counted = Message.objects.filter(
            status__in=COUNTED_STATUSES, conversation__order=order, message_type="review_request"
        )
        if excluding is not None:
            counted = counted.exclude(pk=excluding.pk)
        review_requests = _CountOf(counted.order_by().values("pk"))
    # The standing is read afresh: a restriction may have begun since this business row
    # was loaded.
    until, reason, sent_today, orders_30_days, review_count = (
        SellerBusiness.objects.filter(pk=business.pk)
        .annotate(
            sent_today=Coalesce(
                Subquery(
                    ProactiveSendCount.objects.filter(business_id=OuterRef("pk"), day=today).values(
                        "sent"
                    )[:1]
                ),
                0,
            ),
            orders_30_days=orders_since(now - timedelta(days=30)),
            review_requests=review_requests,
        )
        .values_list(
            "proactive_restricted_until",
            "proactive_restriction_reason",
            "sent_today",
            "orders_30_days",
            "review_requests",
        )
        .get()
    )
    restricted = until is not None and until > now
    if (
        excluding is not None
        and counts_toward_cap(excluding)
        and utc_day(excluding.created_at) == today
    ):
        sent_today -= 1
    return SellerFacts(
        restricted_until=until if restricted else None,
        restriction_reason=reason if restricted else "",
        proactive_sent_today=sent_today,
        average_daily_orders=(Decimal(orders_30_days) / Decimal(30)).quantize(Decimal("0.01")),
        review_requests_for_order=review_count,
    )
