"""attach_related leaves each object's rows where prefetch_related would, in one query."""

from __future__ import annotations

from messagecenter.core.related_rows import attach_related
from orders.models import Order
from tests import factories


def test_each_order_gets_its_own_lines_in_order_from_one_query(
    jordan, priya, northwind, django_assert_num_queries
):
    two_lines = factories.order(buyer=jordan, seller=northwind, lines=2)
    no_lines = factories.order(buyer=priya, seller=northwind, lines=0)
    three_lines = factories.order(buyer=priya, seller=northwind, lines=3)
    orders = list(Order.objects.filter(seller=northwind).order_by("pk"))

    with django_assert_num_queries(1):
        attach_related(orders, "lines")
        lines = {order.pk: list(order.lines.all()) for order in orders}

    assert [len(lines[o.pk]) for o in (two_lines, no_lines, three_lines)] == [2, 0, 3]
    assert lines[three_lines.pk] == list(three_lines.lines.order_by("id"))
    assert all(line.order_id == three_lines.pk for line in lines[three_lines.pk])


def test_nothing_to_attach_reads_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        attach_related([], "lines")


def test_objects_known_to_have_no_rows_get_none_without_a_query(
    jordan, priya, northwind, django_assert_num_queries
):
    with_lines = factories.order(buyer=jordan, seller=northwind, lines=2)
    factories.order(buyer=priya, seller=northwind, lines=0)
    orders = list(Order.objects.filter(seller=northwind).order_by("pk"))

    with django_assert_num_queries(1):
        attach_related(orders, "lines", having=[orders[0]])
        lines = [list(order.lines.all()) for order in orders]
    with django_assert_num_queries(0):
        attach_related(orders, "lines", having=[])
        nothing = [list(order.lines.all()) for order in orders]

    assert lines == [list(with_lines.lines.order_by("id")), []]
    assert nothing == [[], []]
