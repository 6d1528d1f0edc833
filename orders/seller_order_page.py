"""Manage Orders' page of orders, read by a statement written once per process.

A profile of the name search showed Django building and compiling its queryset (the three
text subqueries, the keyset condition, only() and select_related) in 0.8 ms, where the
plain list's took 0.3 ms and PostgreSQL ran either in about as long. The statement here
asks the same: the seller's orders, newest first, with the buyer's names, narrowed by the
search: the order's number, its buyer's names or one of its lines (title, or SKU whole)
match the text, each part a subquery on one table so that each can be answered by that
table's trigram index (orders/migrations/0002) and the seller's orders are then kept by
membership, rather than joining every user and order line to every order first. Its SQL
is written once for each shape of search (which filters are set, how many businesses,
which way the page reads); the values go as parameters. The text conditions are written
as the ORM writes ``icontains`` and ``iexact`` on the connection in use, so PostgreSQL
can use the ``UPPER(...)`` indexes and SQLite reads the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from django.db import connection
from django.http import QueryDict

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.core.joined_row import converted
from messagecenter.core.keyset import (
    CURSOR,
    KeysetPage,
    beyond_sql,
    order_sql,
    page_from,
    position_of,
)
from messagecenter.core.pagination import PAGE_SIZE
from orders.models import Order, OrderLine
from orders.selectors import ORDER_KEYS, OrderSearch, start_of

# What a row shows (orders/views.py): the order's own columns and its buyer's names, in
# each model's field order (from_db takes them so; the others are deferred, as with only()).
_ORDER_FIELDS = ("id", "number", "buyer_id", "status", "ordered_at")
_BUYER_FIELDS = ("id", "first_name", "last_name", "display_name")
_KEY_COLUMNS = ("o.ordered_at", "o.id")


@dataclass(frozen=True)
class _Shape:
    """What the statement's text depends on; the values are its parameters."""

    vendor: str
    businesses: int
    text: bool
    status: bool
    ordered_from: bool
    ordered_to: bool
    forwards: bool
    after: bool  # from a cursor: the keyset condition


def _table(model: type[Any]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _matches(column: str, lookup: str) -> str:
    """``column`` matched as the ORM writes the lookup on this connection."""
    cast = connection.ops.lookup_cast(lookup, "CharField") % column
    operators: dict[str, str] = connection.operators  # type: ignore[attr-defined]
    return f"{cast} {operators[lookup] % '%s'}"


def _contains(*columns: str) -> str:
    return " OR ".join(_matches(column, "icontains") for column in columns)


def _text_condition() -> str:
    """The order's number, its buyer's names or one of its lines (title, or SKU whole)
    match: 6 parameters, the contains pattern 5 times and the SKU last."""
    buyers = (
        f"SELECT b.id FROM {_table(User)} b"  # noqa: S608 (names and placeholders only)
        f" WHERE {_contains('b.display_name', 'b.first_name', 'b.last_name')}"
    )
    lines = (
        f"SELECT l.order_id FROM {_table(OrderLine)} l"  # noqa: S608
        f" WHERE {_contains('l.title')} OR {_matches('l.sku', 'iexact')}"
    )
    return f"({_contains('o.number')} OR o.buyer_id IN ({buyers}) OR o.id IN ({lines}))"


@cache
def _statement(shape: _Shape) -> str:
    businesses = ", ".join(["%s"] * shape.businesses)
    conditions = [f"o.seller_id IN ({businesses})"]
    if shape.text:
        conditions.append(_text_condition())
    if shape.status:
        conditions.append("o.status = %s")
    if shape.ordered_from:
        conditions.append("o.ordered_at >= %s")
    if shape.ordered_to:
        conditions.append("o.ordered_at < %s")
    if shape.after:
        # The keyset condition's text depends only on the keys and direction; the
        # values passed here are placeholders for its parameters.
        condition, _ = beyond_sql(ORDER_KEYS, [None, None], shape.forwards, _KEY_COLUMNS)
        conditions.append(condition)
    columns = ", ".join(
        [*(f"o.{name}" for name in _ORDER_FIELDS), *(f"u.{name}" for name in _BUYER_FIELDS)]
    )
    return (
        f"SELECT {columns} FROM {_table(Order)} o"  # noqa: S608 (values go as parameters)
        f" JOIN {_table(User)} u ON u.id = o.buyer_id"
        f" WHERE {' AND '.join(conditions)}"
        f" ORDER BY {order_sql(ORDER_KEYS, shape.forwards, _KEY_COLUMNS)} LIMIT %s"
    )


def _text_params(text: str) -> list[Any]:
    pattern = f"%{connection.ops.prep_for_like_query(text)}%"
    return [pattern] * 5 + [connection.ops.prep_for_iexact_query(text)]


def _order_of(row: tuple[Any, ...]) -> Order:
    own, names = row[: len(_ORDER_FIELDS)], row[len(_ORDER_FIELDS) :]
    values = dict(zip(_ORDER_FIELDS, own, strict=True))
    values["ordered_at"] = converted(Order._meta.get_field("ordered_at"), values["ordered_at"])
    order = Order.from_db(connection.alias, list(_ORDER_FIELDS), list(values.values()))
    buyer = User.from_db(connection.alias, list(_BUYER_FIELDS), list(names))
    Order._meta.get_field("buyer").set_cached_value(order, buyer)
    return order


def seller_order_page(
    user: User,
    search: OrderSearch,
    cursor: str | None,
    *,
    per_page: int = PAGE_SIZE,
    query: QueryDict | None = None,
) -> KeysetPage:
    """The page of the user's businesses' orders, newest first, narrowed by the search,
    that the cursor points at: each with its buyer's names and nothing else read (the
    seller is the page's own business)."""
    other_params = None
    if query is not None:
        other_params = query.copy()
        other_params.pop(CURSOR, None)
    position = position_of(cursor, ORDER_KEYS)
    businesses = business_ids_for_member(user)
    if not businesses:
        return page_from([], ORDER_KEYS, position, per_page, other_params)
    text = search.text.strip()
    adapt = connection.ops.adapt_datetimefield_value
    params: list[Any] = [*businesses]
    if text:
        params += _text_params(text)
    if search.status:
        params.append(search.status)
    if search.ordered_from:
        params.append(adapt(start_of(search.ordered_from)))
    if search.ordered_to:
        params.append(adapt(start_of(search.ordered_to) + timedelta(days=1)))
    if position.after is not None:
        when, order_id = position.after
        _, after = beyond_sql(ORDER_KEYS, [adapt(when), order_id], position.forwards, _KEY_COLUMNS)
        params += after
    params.append(per_page + 1)
    shape = _Shape(
        vendor=connection.vendor,
        businesses=len(businesses),
        text=bool(text),
        status=bool(search.status),
        ordered_from=search.ordered_from is not None,
        ordered_to=search.ordered_to is not None,
        forwards=position.forwards,
        after=position.after is not None,
    )
    with connection.cursor() as db:
        db.execute(_statement(shape), params)
        fetched = [_order_of(row) for row in db.fetchall()]
    return page_from(fetched, ORDER_KEYS, position, per_page, other_params)
