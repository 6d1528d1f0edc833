"""The one row a filter on a unique key matches."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

RowT = TypeVar("RowT", bound=Model)


def the_row(rows: QuerySet[RowT]) -> RowT | None:
    """The row, or None, for a filter that matches at most one (a primary key, a unique
    order number): read without ORDER BY. ``first()`` orders by the model's default
    ordering, which on a page's access check cost a quarter of the query's time in Django
    (compiling the ordering) and a sort in PostgreSQL, for one row."""
    return next(iter(rows.order_by()[:1]), None)
