"""The one door to an order: who may open it, from which side.

"Not yours" and "does not exist" both raise Http404, so nothing about other people's
orders leaks through the answer. An order comes with its lines (``order.lines.all()``),
read once the viewer may see them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import Http404
from django.utils.translation import gettext

from messagecenter.accounts.models import Membership, User
from messagecenter.accounts.selectors import business_ids_for_member, membership_known
from messagecenter.core.joined_row import MAIN, JoinedRow
from messagecenter.core.prepared import prepared_cursor
from orders.models import Order, OrderLine, Product

# The order with its buyer and seller, then its lines, read by statements written once per
# process (core/joined_row.py) and prepared once per connection (core/prepared.py): built
# by the ORM on every load (select_related, the membership subquery, then the lines'
# queryset), the same reads cost Contact Buyer more in Python than the database spent on
# them. Two statements rather than one round trip
# (core/one_round_trip.py): a string of several is planned on every load.
_ORDER = JoinedRow(Order, ("buyer", "seller"))
_LINE = JoinedRow(OrderLine)
# The order's conversation, for a page that shows it beside the order (Contact Buyer,
# Contact seller): joined into the access query instead of read after it. Found through
# the reverse relation only: the orders app does not import the conversations' (the
# layers).
_CONVERSATION = "joined_conversation"


@cache
def _conversation_row() -> JoinedRow:
    model = Order._meta.get_field("conversations").related_model
    assert model is not None and not isinstance(model, str)
    return JoinedRow(model, alias="c")  # at most one per order (one_conversation_per_order)


@cache
def _order_statement(where: str, *, member: bool, with_conversation: bool) -> str:
    """The order matching ``where`` (on MAIN's columns), with its conversation's columns
    when asked and, asked as a column rather than joined, whether the viewer works for
    its seller (``member``): that halved the query's planning (0.6 -> 0.3 ms), fewer
    join orders for PostgreSQL to weigh. Every name comes from the models."""
    columns, tables = _ORDER.columns, _ORDER.tables
    if with_conversation:
        conversation = _conversation_row()
        columns += f", {conversation.columns}"
        tables += (
            f" LEFT JOIN {conversation.model._meta.db_table} {conversation.alias}"
            f" ON {conversation.alias}.order_id = {MAIN}.id"
        )
    if member:
        columns += (
            f", EXISTS (SELECT 1 FROM {Membership._meta.db_table} m"  # noqa: S608
            f" WHERE m.business_id = {MAIN}.seller_id AND m.user_id = %s)"
        )
    return f"SELECT {columns} FROM {tables} WHERE {where} LIMIT 1"  # noqa: S608


# The lines of an order the viewer may open, in their own order (OrderLine.Meta).
_LINES = (
    f"SELECT {_LINE.columns} FROM {_LINE.tables}"  # noqa: S608 - names from the models
    f" WHERE {MAIN}.order_id = %s ORDER BY {MAIN}.id"
)


def _order(sql: str, params: list[Any], *, with_conversation: bool) -> tuple[Order, list[Any]]:
    """The order (its buyer and seller cached on it, as select_related leaves them; its
    conversation too when asked, read by joined_conversation) and the statement's columns
    after those; Http404 if there is no such order."""
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise Http404(gettext("No such order."))
    order, extra = _ORDER.instance(row)
    assert isinstance(order, Order)
    if with_conversation:
        joined = _conversation_row()
        own, extra = extra[: joined.width], extra[joined.width :]
        # An order without a conversation yet: the left join's columns are all NULL.
        conversation = joined.instance(own)[0] if own[0] is not None else None
        setattr(order, _CONVERSATION, conversation)
    return order, list(extra)


def _with_lines(order: Order) -> Order:
    """The order with its lines, where prefetch_related puts them (``order.lines.all()``)."""
    with prepared_cursor() as cursor:
        cursor.execute(_LINES, [order.pk])
        rows = cursor.fetchall()
    lines = [line for line, _ in _LINE.instances(rows)]
    order.__dict__.setdefault("_prefetched_objects_cache", {})["lines"] = lines
    return order


def joined_conversation(order: Order) -> Any:
    """The conversation read with an order opened ``with_conversation`` (None: none yet)."""
    return getattr(order, _CONVERSATION)


def access_order_as_seller(user: User, number: str, *, with_conversation: bool = False) -> Order:
    """An order of one of the user's seller businesses (``with_conversation``: with its
    conversation, read by joined_conversation)."""
    if not user.is_authenticated:
        raise Http404(gettext("No such order."))
    # The membership asked in the same query, not read first: one query, as for a
    # conversation (threads/access.py); the navigation then reads the user's businesses
    # with its counts.
    sql = _order_statement(f"{MAIN}.number = %s", member=True, with_conversation=with_conversation)
    order, (is_member,) = _order(sql, [user.pk, number], with_conversation=with_conversation)
    if not is_member:
        raise Http404(gettext("No such order."))
    membership_known(user, order.seller_id)
    return _with_lines(order)


def access_order_as_buyer(user: User, number: str, *, with_conversation: bool = False) -> Order:
    """An order the user bought (``with_conversation``: as access_order_as_seller)."""
    if not user.is_authenticated:
        raise Http404(gettext("No such order."))
    sql = _order_statement(
        f"{MAIN}.number = %s AND {MAIN}.buyer_id = %s",
        member=False,
        with_conversation=with_conversation,
    )
    order, _ = _order(sql, [number, user.pk], with_conversation=with_conversation)
    return _with_lines(order)


def access_product_for_question(user: User, product_id: int) -> Product:
    """A product a buyer may ask about: on sale, and not sold by the user's own business."""
    if not user.is_authenticated:
        raise Http404(gettext("No such product."))
    product = (
        Product.objects.select_related("seller")
        .filter(pk=product_id, is_active=True)
        .exclude(seller_id__in=business_ids_for_member(user))
        .first()
    )
    if product is None:
        raise Http404(gettext("No such product."))
    return product
