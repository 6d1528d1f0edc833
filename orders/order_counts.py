"""Each seller business's orders per UTC day, kept for the daily cap's order volume.

The cap on proactive messages grows with the seller's orders of the last 30 days. Those
are read as the kept rows of the whole days after the day the 30 days start in (at most
31 small rows) plus that first day's orders counted from ``ordered_at`` (one day of one
seller's orders), so the answer is exact to the moment and costs the same for any seller.

Order.save moves an order between rows in its own transaction: a new order, or one whose
seller or time changed. Deleting orders, one or a queryset (the admin's bulk delete too),
goes through Django's collector, which sends post_delete inside its transaction; the
receiver here takes them off. Writes around the model (bulk_create, queryset.update of
the seller or time, COPY) must be followed by ``recount_seller_order_days``; manage.py
repair_order_counts checks and repairs the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, IntegerField
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate

from messagecenter.core.day_counts import add_to_day_count
from orders.models import Order, SellerOrderDay

_DAYS = SellerOrderDay._meta.db_table
_ORDERS = Order._meta.db_table

# An order is counted on its seller's row for the UTC day it was placed.
CountedDay = tuple[int, date]


def counted_day_of(order: Order) -> CountedDay:
    return order.seller_id, order.ordered_at.astimezone(UTC).date()


def counted_day_stored(order_id: int) -> CountedDay | None:
    """The seller and day the stored order is counted on, before a change is saved."""
    stored = Order.objects.filter(pk=order_id).values_list("seller_id", "ordered_at").first()
    if stored is None:
        return None
    seller_id, ordered_at = stored
    return seller_id, ordered_at.astimezone(UTC).date()


def order_counted_move(*, was: CountedDay | None, now: CountedDay | None) -> None:
    """Move one order from the ``was`` row to the ``now`` row (None: no row, for an order
    just stored or just deleted). Call inside the transaction that writes the order."""
    if was == now:
        return
    if was is not None:
        add_to_day_count(SellerOrderDay, "orders", *was, -1)
    if now is not None:
        add_to_day_count(SellerOrderDay, "orders", *now, 1)


def order_deleted(sender: type[Order], instance: Order, **kwargs: Any) -> None:
    """post_delete receiver (orders/apps.py): the order leaves its day's count."""
    order_counted_move(was=counted_day_of(instance), now=None)


def orders_since_sql(business_column: str, since: datetime) -> RawSQL:
    """How many orders the seller business ``business_column`` (a column of the outer
    query) received at or after ``since``: the kept rows of the whole days after since's
    day, and since's own day counted from its orders through the (seller, ordered_at)
    index. Written as SQL: built as querysets, the two subqueries cost the ORM more than
    the database spends on them."""
    first_day = since.astimezone(UTC).date()
    next_midnight = datetime.combine(first_day + timedelta(days=1), time(), tzinfo=UTC)
    ops = connection.ops  # as the ORM would pass them (SQLite stores dates as text)
    # The table names are ours and the column the caller's code; the values are parameters.
    return RawSQL(  # noqa: S611
        f"(COALESCE((SELECT SUM(d.orders) FROM {_DAYS} d"  # noqa: S608
        f" WHERE d.business_id = {business_column} AND d.day > %s), 0)"
        f" + (SELECT COUNT(*) FROM {_ORDERS} o WHERE o.seller_id = {business_column}"
        " AND o.ordered_at >= %s AND o.ordered_at < %s))",
        (
            ops.adapt_datefield_value(first_day),
            ops.adapt_datetimefield_value(since),
            ops.adapt_datetimefield_value(next_midnight),
        ),
        IntegerField(),
    )


def _counted_from_orders() -> dict[CountedDay, int]:
    per_day = (
        Order.objects.annotate(day=TruncDate("ordered_at", tzinfo=UTC))
        .values("seller_id", "day")
        .annotate(orders=Count("pk"))
        .order_by()
    )
    return {(row["seller_id"], row["day"]): row["orders"] for row in per_day}


@dataclass(frozen=True)
class WrongDay:
    business_id: int
    day: date
    kept: int
    counted: int


def _wrong(counted: dict[CountedDay, int]) -> list[WrongDay]:
    kept = {
        (row.business_id, row.day): row.orders
        for row in SellerOrderDay.objects.only("business_id", "day", "orders")
    }
    return [
        WrongDay(*key, kept=kept.get(key, 0), counted=counted.get(key, 0))
        for key in sorted(counted.keys() | kept.keys())
        if kept.get(key, 0) != counted.get(key, 0)
    ]


def seller_order_days_check() -> list[WrongDay]:
    """The kept rows that differ from a count of the orders (a missing row keeps 0)."""
    return _wrong(_counted_from_orders())


def recount_seller_order_days() -> list[WrongDay]:
    """Rebuild every row from the orders; returns the rows that were wrong. The kept rows
    are locked first, so an order saved meanwhile waits and then adds to the new rows."""
    with transaction.atomic():
        list(SellerOrderDay.objects.select_for_update().values_list("pk", flat=True))
        counted = _counted_from_orders()
        wrong = _wrong(counted)
        SellerOrderDay.objects.all().delete()
        SellerOrderDay.objects.bulk_create(
            (
                SellerOrderDay(business_id=business_id, day=day, orders=orders)
                for (business_id, day), orders in counted.items()
            ),
            batch_size=5000,
        )
    return wrong
