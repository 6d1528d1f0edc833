"""The daily cap's order volume: each seller's orders per UTC day are kept as rows, moved
in the transaction that saves or deletes an order, and read with the first day's orders
counted, so the seller facts say exactly what a count of the last 30 days' orders says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from messagecenter.messaging.facts import seller_facts
from orders.models import Order, SellerOrderDay
from orders.order_counts import seller_order_days_check
from tests import factories


def _kept(business) -> dict:
    return dict(
        SellerOrderDay.objects.filter(business=business, orders__gt=0).values_list("day", "orders")
    )


def _placed(order: Order, at: datetime) -> Order:
    order.ordered_at = at
    order.save()
    return order


def test_an_order_is_counted_on_its_utc_day_and_moves_with_its_time_and_seller(
    jordan, northwind, cascade
):
    order = factories.order(buyer=jordan, seller=northwind)
    # 23:30 in New York on the 3rd is the 4th in UTC.
    _placed(order, datetime(2026, 3, 4, 4, 30, tzinfo=UTC))
    assert _kept(northwind) == {datetime(2026, 3, 4).date(): 1}

    _placed(order, datetime(2026, 3, 5, 9, 0, tzinfo=UTC))
    assert _kept(northwind) == {datetime(2026, 3, 5).date(): 1}

    order.seller = cascade
    order.save()
    assert _kept(northwind) == {}
    assert _kept(cascade) == {datetime(2026, 3, 5).date(): 1}


def test_a_status_change_leaves_the_count_alone(jordan, northwind):
    order = factories.order(buyer=jordan, seller=northwind, status="unshipped")
    order.status = Order.Status.SHIPPED
    order.save(update_fields=["status"])
    order.status = Order.Status.DELIVERED
    order.save()

    assert sum(_kept(northwind).values()) == 1


def test_deleted_orders_leave_the_count_one_by_one_or_as_a_queryset(jordan, northwind):
    orders = [factories.order(buyer=jordan, seller=northwind, days_ago=2) for _ in range(3)]
    orders[0].delete()
    assert sum(_kept(northwind).values()) == 2

    Order.objects.filter(seller=northwind).delete()
    assert _kept(northwind) == {}


def test_the_facts_count_exactly_the_orders_of_the_last_30_days(jordan, northwind, cascade):
    now = timezone.now()
    start = now - timedelta(days=30)
    for at in [
        start - timedelta(minutes=1),  # the first day, but before the 30 days began
        start + timedelta(minutes=1),  # the first day, inside
        now - timedelta(days=29, hours=20),
        now - timedelta(days=3),
        now - timedelta(days=3),
        now,
        now - timedelta(days=45),  # long before
    ]:
        _placed(factories.order(buyer=jordan, seller=northwind), at)
    factories.order(buyer=jordan, seller=cascade, days_ago=1)  # another seller's

    facts = seller_facts(northwind, None, now)

    counted = Order.objects.filter(seller=northwind, ordered_at__gte=start).count()
    assert counted == 5
    assert facts.average_daily_orders == (Decimal(5) / 30).quantize(Decimal("0.01"))


def test_a_seller_with_no_orders_has_no_volume(northwind):
    assert seller_facts(northwind, None, timezone.now()).average_daily_orders == 0


def test_the_repair_command_finds_and_rebuilds_wrong_rows(jordan, northwind):
    order = factories.order(buyer=jordan, seller=northwind, days_ago=1)
    day = order.ordered_at.astimezone(UTC).date()
    # Orders written around the model: a queryset update moves one, bulk_create adds two.
    Order.objects.filter(pk=order.pk).update(ordered_at=order.ordered_at - timedelta(days=2))
    Order.objects.bulk_create(
        [
            Order(number=f"114-BULK-{i}", buyer=jordan, seller=northwind, ordered_at=timezone.now())
            for i in range(2)
        ]
    )
    assert len(seller_order_days_check()) == 3

    with pytest.raises(CommandError, match="3 order day counts are wrong"):
        call_command("repair_order_counts", "--check")
    call_command("repair_order_counts")

    assert seller_order_days_check() == []
    today = timezone.now().astimezone(UTC).date()
    assert _kept(northwind) == {day - timedelta(days=2): 1, today: 2}
    call_command("repair_order_counts", "--check")
