"""Reads of orders for the buyer's Your Orders, and what Manage Orders' search asks
(its page is read by orders/seller_order_page.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.core.keyset import SortKey
from orders.models import Order

# The order lists' order, newest first, as keys for their keyset pages (order_seller_recent,
# order_buyer_recent).
ORDER_KEYS = (SortKey("ordered_at", descending=True), SortKey("id", descending=True))


@dataclass(frozen=True)
class OrderSearch:
    text: str = ""
    status: str = ""
    ordered_from: date | None = None
    ordered_to: date | None = None


def start_of(day: date) -> datetime:
    """The first moment of a day in the site's time zone (the search's date bounds)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def orders_for_buyer(user: User) -> QuerySet[Order]:
    return (
        Order.objects.filter(buyer=user)
        .select_related("seller")
        .prefetch_related("lines")
        .order_by("-ordered_at", "-id")
    )
