"""Inbox pages go Older and Newer by position (a signed cursor), not by page number: every
conversation shows exactly once going forward and back, in the same order, with rows that
tie on their time, on each sort and filter."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from messagecenter.core.keyset import older_than
from messagecenter.core.pagination import PAGE_SIZE
from messagecenter.threads.models import Conversation
from messagecenter.threads.selectors import inbox_sort_keys
from tests import factories


def _rows(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/(?:seller/)?messages/(\d+)/(?:\?[^"]*)?"', body)]


def _link(body: str, rel: str) -> str | None:
    found = re.search(rf'href="(\?[^"]*)" rel="{rel}"', body)
    return found.group(1).replace("&amp;", "&") if found else None


def _walk(client, url: str) -> tuple[list[list[int]], list[list[int]]]:
    """Every page going Older from the top, then every page going Newer from the end."""
    forward, body = [], client.get(url).content.decode()
    forward.append(_rows(body))
    while (older := _link(body, "next")) is not None:
        body = client.get(url.split("?")[0] + older).content.decode()
        forward.append(_rows(body))
    backward = [_rows(body)]
    while (newer := _link(body, "prev")) is not None:
        body = client.get(url.split("?")[0] + newer).content.decode()
        backward.append(_rows(body))
    return forward, backward[::-1]


@pytest.fixture
def many(sam, northwind):
    """60 conversations waiting for an answer; every three share a last-message time, and
    every other one is due at the same moment, so the sort keys tie."""
    conversations = []
    base = timezone.now() - timedelta(days=2)
    for n in range(60):
        buyer = factories.user(f"buyer{n}@example.com")
        factories.buyer_message(factories.order(buyer=buyer, seller=northwind))
        conversation = Conversation.objects.get(buyer=buyer)
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_at=base + timedelta(minutes=n // 3),
            reply_due_at=base + timedelta(hours=1 if n % 2 else 60),
        )
        conversations.append(conversation.pk)
    return conversations


@pytest.mark.parametrize(
    ("query", "expected_order"),
    [
        ("", lambda rows: rows.order_by("-last_message_at", "-id")),
        ("?filter=awaiting", lambda rows: rows.order_by("-last_message_at", "-id")),
        (
            "?filter=overdue",
            lambda rows: rows.filter(reply_due_at__lte=timezone.now()).order_by(
                "-last_message_at", "-id"
            ),
        ),
        ("?sort=due", lambda rows: rows.order_by("reply_due_at", "-last_message_at", "-id")),
    ],
)
def test_seller_pages_show_every_conversation_once_in_order_both_ways(
    client, sam, many, query, expected_order
):
    client.force_login(sam)
    forward, backward = _walk(client, reverse("seller_inbox") + query)

    expected = list(expected_order(Conversation.objects.all()).values_list("pk", flat=True))
    assert [pk for page in forward for pk in page] == expected
    assert all(len(page) == PAGE_SIZE for page in forward[:-1])
    assert backward == forward


def test_due_first_puts_conversations_without_a_due_time_last_across_pages(
    client, sam, northwind, many
):
    for n in range(30):
        buyer = factories.user(f"answered{n}@example.com")
        factories.buyer_message(factories.order(buyer=buyer, seller=northwind))
    answered = Conversation.objects.filter(buyer__email__startswith="answered")
    answered.update(reply_due_at=None)
    client.force_login(sam)

    forward, backward = _walk(client, reverse("seller_inbox") + "?sort=due")

    shown = [pk for page in forward for pk in page]
    assert shown[:60] == list(
        Conversation.objects.filter(pk__in=many)
        .order_by("reply_due_at", "-last_message_at", "-id")
        .values_list("pk", flat=True)
    )
    assert set(shown[60:]) == set(answered.values_list("pk", flat=True))
    assert backward == forward


def test_the_buyer_pages_go_both_ways(client, jordan, northwind, cascade):
    for n in range(PAGE_SIZE + 3):
        factories.seller_message(
            factories.order(buyer=jordan, seller=northwind if n % 2 else cascade),
            factories.member(northwind if n % 2 else cascade, f"s{n}@shop.example"),
        )
    client.force_login(jordan)

    forward, backward = _walk(client, reverse("buyer_inbox"))

    assert [len(page) for page in forward] == [PAGE_SIZE, 3]
    assert backward == forward


def test_a_forged_or_garbled_cursor_starts_at_the_top(client, sam, many):
    client.force_login(sam)
    top = _rows(client.get(reverse("seller_inbox")).content.decode())

    for cursor in ["nonsense", "WyJvIiwgWzFdXQ:forged:signature", ""]:
        response = client.get(reverse("seller_inbox"), {"cursor": cursor})
        assert response.status_code == 200
        assert _rows(response.content.decode()) == top


def test_a_short_inbox_shows_no_page_links(client, sam, jordans_order):
    factories.buyer_message(jordans_order)
    client.force_login(sam)

    body = client.get(reverse("seller_inbox")).content.decode()

    assert len(_rows(body)) == 1
    assert 'rel="next"' not in body and 'rel="prev"' not in body


def test_a_deep_page_costs_the_same_queries_as_the_first(
    client, sam, many, django_assert_num_queries
):
    client.force_login(sam)
    url = reverse("seller_inbox")
    first = client.get(url).content.decode()
    second = client.get(url + _link(first, "next")).content.decode()
    last_link = _link(second, "next")
    assert last_link is not None

    with CaptureQueriesContext(connection) as on_first:
        client.get(url)
    with django_assert_num_queries(len(on_first.captured_queries)):
        third = client.get(url + last_link).content.decode()

    assert len(_rows(third)) == 60 - 2 * PAGE_SIZE
    # No page number to skip to, and no total counted over every conversation (the
    # "Assigned to me" tab counts only the viewer's own: a range of one index).
    sql = [q["sql"] for q in on_first.captured_queries]
    assert not any(
        "OFFSET" in q or (q.startswith("SELECT COUNT(*)") and '"assigned_to_id" =' not in q)
        for q in sql
    )


def test_a_cursor_made_from_a_row_opens_the_page_after_it(client, sam, many):
    """What bench/pages.py uses to open a deep page directly: older_than(the last row of a
    page) leads where that page's Older link leads."""
    client.force_login(sam)
    keys = inbox_sort_keys()
    newest_first = list(Conversation.objects.order_by("-last_message_at", "-id"))
    cursor = older_than(newest_first[PAGE_SIZE - 1], keys)
    body = client.get(reverse("seller_inbox"), {"cursor": cursor}).content.decode()
    assert _rows(body) == [c.pk for c in newest_first[PAGE_SIZE : 2 * PAGE_SIZE]]


def test_a_row_shows_the_other_side_the_product_and_the_assignee(client, sam, jordan, northwind):
    """Rows are read as values: the names still follow public_name (the display name, else
    first and last name, else "Customer"), and an unassigned row shows no assignee."""
    unnamed = factories.user("unnamed@example.com", first_name="Robin", last_name="Hoffmann")
    product = factories.product(northwind, "Enamel Kettle")
    factories.buyer_message(factories.order(buyer=jordan, seller=northwind))
    factories.buyer_message(factories.order(buyer=unnamed, seller=northwind))
    Conversation.objects.filter(buyer=jordan).update(assigned_to=sam, product=product)

    client.force_login(sam)
    seller_side = client.get(reverse("seller_inbox")).content.decode()
    client.force_login(jordan)
    buyer_side = client.get(reverse("buyer_inbox")).content.decode()

    assert "Jordan Miles" in seller_side and "Robin Hoffmann" in seller_side
    assert seller_side.count("Assigned: Sam Carter") == 1
    assert seller_side.count("Product: Enamel Kettle") == 1
    assert "Northwind Home Goods" in buyer_side and "Product: Enamel Kettle" in buyer_side
    assert "Assigned:" not in buyer_side and "Awaiting reply" not in buyer_side
