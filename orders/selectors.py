"""Reads of orders for the seller's Manage Orders and the buyer's Your Orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.core.keyset import SortKey
from orders.models import Order, OrderLine

# The order lists' order, newest first, as keys for their keyset pages (order_seller_recent,
# order_buyer_recent).
ORDER_KEYS = (SortKey("ordered_at", descending=True), SortKey("id", descending=True))


@dataclass(frozen=True)
class OrderSearch:
    text: str = ""
    status: str = ""
    ordered_from: date | None = None
    ordered_to: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _text_match(text: str) -> Q:
    """Orders whose number, buyer's name or line (title, or SKU exactly) matches the text.

    Each part is its own subquery on one table so that each can be answered by that
    table's trigram index (orders/migrations/0002) and the seller's orders are then kept
    by membership, rather than joining every user and order line to every order first.
    """
    buyers = User.objects.filter(
        Q(display_name__icontains=text)
        | Q(first_name__icontains=text)
        | Q(last_name__icontains=text)
    ).values("pk")
    lines = OrderLine.objects.filter(Q(title__icontains=text) | Q(sku__iexact=text)).values(
        "order_id"
    )
    return Q(number__icontains=text) | Q(buyer_id__in=buyers) | Q(pk__in=lines)


def orders_for_seller(user: User, search: OrderSearch | None = None) -> QuerySet[Order]:
    """The orders of the user's businesses, newest first, narrowed by the search."""
    search = search or OrderSearch()
    orders = Order.objects.filter(seller_id__in=business_ids_for_member(user))
    text = search.text.strip()
    if text:
        orders = orders.filter(_text_match(text))
    if search.status:
        orders = orders.filter(status=search.status)
    if search.ordered_from:
        orders = orders.filter(ordered_at__gte=_start_of(search.ordered_from))
    if search.ordered_to:
        orders = orders.filter(ordered_at__lt=_start_of(search.ordered_to) + timedelta(days=1))
    # Manage Orders shows the buyer; the seller is the page's own business.
    return orders.select_related("buyer").prefetch_related("lines").order_by("-ordered_at", "-id")


def orders_for_buyer(user: User) -> QuerySet[Order]:
    return (
        Order.objects.filter(buyer=user)
        .select_related("seller")
        .prefetch_related("lines")
        .order_by("-ordered_at", "-id")
    )
