"""JoinedRow reads a row with its related rows as select_related does, from one statement
written once, on PostgreSQL and SQLite alike."""

from __future__ import annotations

from django.db import connection

from messagecenter.core.joined_row import MAIN, JoinedRow
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation
from orders.models import Order
from tests import factories

_CONVERSATION = JoinedRow(Conversation, ("buyer", "seller", "order", "product"))


def _read(conversation_id: int, extra: str = "") -> tuple[Conversation, list]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_CONVERSATION.columns}{extra} FROM {_CONVERSATION.tables}"
            f" WHERE {MAIN}.id = %s",
            [conversation_id],
        )
        row = cursor.fetchone()
    conversation, rest = _CONVERSATION.instance(row)
    assert isinstance(conversation, Conversation)
    return conversation, list(rest)


def test_the_row_and_its_related_rows_match_select_related(
    jordans_order, django_assert_num_queries
):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    expected = Conversation.objects.select_related("buyer", "seller", "order", "product").get(
        order=jordans_order
    )

    with django_assert_num_queries(1):
        conversation, rest = _read(expected.pk, f", {MAIN}.id + 1")
        seen = (conversation.buyer, conversation.seller, conversation.order, conversation.product)

    assert rest == [expected.pk + 1]
    for name in ("subject", "started_by", "created_at", "last_message_at", "reply_due_at"):
        assert getattr(conversation, name) == getattr(expected, name)
    assert seen == (expected.buyer, expected.seller, expected.order, None)
    assert conversation.buyer.email == expected.buyer.email
    assert conversation.buyer.is_active is True
    assert conversation.order is not None and conversation.order.number == jordans_order.number


def test_an_empty_foreign_key_is_cached_as_none(jordans_order, django_assert_num_queries):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    pk = Conversation.objects.get(order=jordans_order).pk
    Conversation.objects.filter(pk=pk).update(order=None)

    with django_assert_num_queries(1):
        conversation, _ = _read(pk)
        assert conversation.order is None
        assert conversation.product is None


def test_a_row_under_its_own_alias_is_read_from_the_columns_after_another(jordans_order):
    """A left-joined row (the order's conversation beside the order) has its own alias and
    is made from the first row's extra columns."""
    factories.buyer_message(jordans_order, "Where is my parcel?")
    order_row = JoinedRow(Order)
    conversation_row = JoinedRow(Conversation, alias="c")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {order_row.columns}, {conversation_row.columns}, 7"
            f" FROM {order_row.tables} LEFT JOIN {Conversation._meta.db_table} c"
            f" ON c.order_id = {MAIN}.id WHERE {MAIN}.id = %s",
            [jordans_order.pk],
        )
        row = cursor.fetchone()

    order, rest = order_row.instance(row)
    conversation, after = conversation_row.instance(rest)

    assert conversation_row.columns.startswith("c.id, ")
    assert len(rest) == conversation_row.width + 1 and list(after) == [7]
    assert order.pk == jordans_order.pk
    assert conversation == Conversation.objects.get(order=jordans_order)


def test_columns_left_unread_are_deferred_as_with_only(jordans_order, django_assert_num_queries):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    message = Message.objects.get(conversation__order=jordans_order)
    row = JoinedRow(Message, only=("subject", "created_at", "status"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {row.columns} FROM {row.tables} WHERE {MAIN}.id = %s", [message.pk])
        read, _ = row.instance(cursor.fetchone())

    expected = Message.objects.only("subject", "created_at", "status").get(pk=message.pk)
    assert read.get_deferred_fields() == expected.get_deferred_fields()
    assert (read.pk, read.subject, read.created_at) == (
        message.pk,
        message.subject,
        message.created_at,
    )
    assert read._state.adding is False and read._state.db == "default"
    with django_assert_num_queries(1):  # a deferred column is read when touched
        assert read.body_html == message.body_html
