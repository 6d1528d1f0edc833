"""What the engine needs to know from the database about an order and a seller."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection

from compliance.engine import OrderFacts, SellerFacts
from messagecenter.accounts.models import SellerBusiness
from messagecenter.core.joined_row import converted
from messagecenter.core.prepared import prepared_cursor
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


# The standing and the counts are one hand-written statement: building and compiling
# three correlated subqueries cost the ORM four times what the database spends answering
# them (1.4 of 1.8 ms), and the same text on every call is prepared once per connection
# (core/prepared.py). Each count reads through an index: the day's counter row, the order
# volume's day rows (orders/order_counts.py), the order's conversation and its messages.
_BUSINESSES = SellerBusiness._meta.db_table
_MESSAGES = Message._meta.db_table
_CONVERSATIONS = Conversation._meta.db_table
_RESTRICTED_UNTIL = SellerBusiness._meta.get_field("proactive_restricted_until")
_SENT_ON_DAY = (
    f"SELECT sent FROM {ProactiveSendCount._meta.db_table}"  # noqa: S608 - names are ours
    f" WHERE business_id = {_BUSINESSES}.id AND day = %s"
)
_REVIEW_REQUESTS = (
    f"SELECT COUNT(*) FROM {_MESSAGES} m JOIN {_CONVERSATIONS} c"  # noqa: S608 - names are ours
    " ON c.id = m.conversation_id WHERE c.order_id = %s AND m.message_type = 'review_request'"
    " AND m.status IN (%s, %s)"
)


def _review_requests(order: Order | None, excluding: Message | None) -> tuple[str, tuple[Any, ...]]:
    """The order's review requests delivered or held, ``excluding`` left out."""
    if order is None:
        return "0", ()
    params = (order.pk, *sorted(COUNTED_STATUSES))
    if excluding is None:
        return f"({_REVIEW_REQUESTS})", params
    return f"({_REVIEW_REQUESTS} AND m.id <> %s)", (*params, excluding.pk)


def _statement(
    business_id: int, order: Order | None, now: datetime, excluding: Message | None
) -> tuple[str, list[Any]]:
    # "Today" is the UTC day of ``now``: for a held message judged again, the day it was
    # sent. The count comes from the day's counter row, not from the day's messages.
    today = connection.ops.adapt_datefield_value(utc_day(now))
    volume = orders_since_sql(f"{_BUSINESSES}.id", now - timedelta(days=30))
    reviews, review_params = _review_requests(order, excluding)
    # The standing is read afresh: a restriction may have begun since the business row
    # was loaded. The SQL is this module's own text; the values are parameters.
    sql = (
        "SELECT proactive_restricted_until, proactive_restriction_reason,"  # noqa: S608
        f" COALESCE(({_SENT_ON_DAY}), 0), {volume.sql}, {reviews}"
        f" FROM {_BUSINESSES} WHERE {_BUSINESSES}.id = %s"
    )
    return sql, [today, *volume.params, *review_params, business_id]


def _facts_from(row: Sequence[Any] | None, now: datetime, excluding: Message | None) -> SellerFacts:
    if row is None:
        raise SellerBusiness.DoesNotExist("No such seller business.")
    until, reason, sent_today, orders_30_days, review_count = row
    until = converted(_RESTRICTED_UNTIL, until)  # SQLite keeps datetimes as text
    restricted = until is not None and until > now
    sent_today = int(sent_today)
    if (
        excluding is not None
        and counts_toward_cap(excluding)
        and utc_day(excluding.created_at) == utc_day(now)
    ):
        sent_today -= 1
    return SellerFacts(
        restricted_until=until if restricted else None,
        restriction_reason=reason if restricted else "",
        proactive_sent_today=sent_today,
        # PostgreSQL sums the kept day rows as numeric: a Decimal, SQLite an integer.
        average_daily_orders=(Decimal(orders_30_days) / Decimal(30)).quantize(Decimal("0.01")),
        review_requests_for_order=int(review_count),
    )


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
    with prepared_cursor() as cursor:
        cursor.execute(*_statement(business.pk, order, now, excluding))
        row = cursor.fetchone()
    return _facts_from(row, now, excluding)
