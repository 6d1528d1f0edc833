"""What the engine needs to know from the database about an order and a seller."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import IntegerField, Value
from django.db.models.expressions import RawSQL

from compliance.engine import OrderFacts, SellerFacts
from messagecenter.accounts.models import SellerBusiness
from messagecenter.messaging.models import Message, ProactiveSendCount
from messagecenter.messaging.proactive_counts import (
    COUNTED_STATUSES,
    counts_toward_cap,
    utc_day,
)
from messagecenter.threads.models import Conversation
from orders.models import Order
from orders.order_counts import orders_since_sql


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


# The counts are written as SQL beside the business row rather than built as querysets:
# building and compiling three correlated subqueries cost the ORM four times what the
# database spends answering them (1.4 of 1.8 ms). Each counts through an index: the
# day's counter row, the order volume's day rows (orders/order_counts.py), the order's
# conversation and its messages.
_MESSAGES = Message._meta.db_table
_CONVERSATIONS = Conversation._meta.db_table
_SENT_ON_DAY = (
    f"SELECT sent FROM {ProactiveSendCount._meta.db_table}"  # noqa: S608 - names are ours
    f" WHERE business_id = {SellerBusiness._meta.db_table}.id AND day = %s"
)
_REVIEW_REQUESTS = (
    f"SELECT COUNT(*) FROM {_MESSAGES} m JOIN {_CONVERSATIONS} c"  # noqa: S608 - names are ours
    " ON c.id = m.conversation_id WHERE c.order_id = %s AND m.message_type = 'review_request'"
    " AND m.status IN (%s, %s)"
)


def _review_requests(order: Order | None, excluding: Message | None) -> RawSQL | Value:
    """The order's review requests delivered or held, ``excluding`` left out."""
    if order is None:
        return Value(0)
    params = (order.pk, *sorted(COUNTED_STATUSES))
    # The SQL is this module's own text; the values are parameters.
    if excluding is None:
        return RawSQL(f"({_REVIEW_REQUESTS})", params, IntegerField())  # noqa: S611
    sql = f"({_REVIEW_REQUESTS} AND m.id <> %s)"
    return RawSQL(sql, (*params, excluding.pk), IntegerField())  # noqa: S611


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
    today = connection.ops.adapt_datefield_value(utc_day(now))
    # The standing is read afresh: a restriction may have begun since this business row
    # was loaded.
    until, reason, sent_today, orders_30_days, review_count = (
        SellerBusiness.objects.filter(pk=business.pk)
        .annotate(
            sent_today=RawSQL(  # noqa: S611 - our SQL, the day a parameter
                f"COALESCE(({_SENT_ON_DAY}), 0)", (today,), IntegerField()
            ),
            orders_30_days=orders_since_sql(
                f"{SellerBusiness._meta.db_table}.id", now - timedelta(days=30)
            ),
            review_requests=_review_requests(order, excluding),
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
