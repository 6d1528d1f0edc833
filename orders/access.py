"""The one door to an order: who may open it, from which side.

"Not yours" and "does not exist" both raise Http404, so nothing about other people's
orders leaks through the answer. An order comes with its lines (``order.lines.all()``),
read by attach_related: prefetch_related's per-object machinery cost more than the query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, FilteredRelation, OuterRef, QuerySet
from django.http import Http404

from messagecenter.accounts.models import Membership, User
from messagecenter.accounts.selectors import business_ids_for_member, membership_known
from messagecenter.core.related_rows import attach_related
from messagecenter.core.single_row import the_row
from orders.models import Order, Product

# The order's conversation, for a page that shows it beside the order (Contact Buyer,
# Contact seller): joined into the access query instead of read after it. Named by its
# reverse relation only: the orders app does not import the conversations' (the layers).
_CONVERSATION = "joined_conversation"


def _joining_conversation(rows: QuerySet[Order], wanted: bool) -> QuerySet[Order]:
    if not wanted:
        return rows
    joined = rows.annotate(**{_CONVERSATION: FilteredRelation("conversations")})
    return joined.select_related(_CONVERSATION)  # at most one: one conversation per order


def _no_conversation_yet(order: Order, wanted: bool) -> None:
    # The join leaves the attribute unset, not None, for an order without a conversation.
    if wanted and not hasattr(order, _CONVERSATION):
        setattr(order, _CONVERSATION, None)


def joined_conversation(order: Order) -> Any:
    """The conversation read with an order opened ``with_conversation`` (None: none yet)."""
    return getattr(order, _CONVERSATION)


def access_order_as_seller(user: User, number: str, *, with_conversation: bool = False) -> Order:
    """An order of one of the user's seller businesses (``with_conversation``: with its
    conversation, read by joined_conversation)."""
    if not user.is_authenticated:
        raise Http404("No such order.")
    # The membership asked in the same query, not read first: one query, as for a
    # conversation (threads/access.py); the navigation then reads the user's businesses
    # with its counts. Asked as a column rather than joined, which halved the query's
    # planning (0.6 -> 0.3 ms): fewer join orders for PostgreSQL to weigh.
    order = the_row(
        _joining_conversation(Order.objects.select_related("buyer", "seller"), with_conversation)
        .annotate(
            viewer_is_member=Exists(
                Membership.objects.filter(business_id=OuterRef("seller_id"), user=user)
            )
        )
        .filter(number=number)
    )
    if order is None or not getattr(order, "viewer_is_member", False):
        raise Http404("No such order.")
    membership_known(user, order.seller_id)
    _no_conversation_yet(order, with_conversation)
    attach_related([order], "lines")
    return order


def access_order_as_buyer(user: User, number: str, *, with_conversation: bool = False) -> Order:
    """An order the user bought (``with_conversation``: as access_order_as_seller)."""
    if not user.is_authenticated:
        raise Http404("No such order.")
    order = the_row(
        _joining_conversation(
            Order.objects.select_related("buyer", "seller"), with_conversation
        ).filter(number=number, buyer=user)
    )
    if order is None:
        raise Http404("No such order.")
    _no_conversation_yet(order, with_conversation)
    attach_related([order], "lines")
    return order


def access_product_for_question(user: User, product_id: int) -> Product:
    """A product a buyer may ask about: on sale, and not sold by the user's own business."""
    if not user.is_authenticated:
        raise Http404("No such product.")
    product = (
        Product.objects.select_related("seller")
        .filter(pk=product_id, is_active=True)
        .exclude(seller_id__in=business_ids_for_member(user))
        .first()
    )
    if product is None:
        raise Http404("No such product.")
    return product
