"""Manage Orders: the text search and the newer / older pages, as the seller sees them."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from messagecenter.accounts.models import Membership
from messagecenter.core.keyset import older_than
from messagecenter.core.pagination import PAGE_SIZE
from messagecenter.threads.selectors import InboxSort, inbox_sort_keys
from orders.models import Order, OrderLine
from tests import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _order_numbers(body: str) -> list[str]:
    """The order numbers the page lists, top to bottom."""
    return re.findall(r'href="/seller/orders/([\d-]+)/"', body)


def _page(client, **query) -> str:
    response = client.get(reverse("seller_orders"), query)
    assert response.status_code == 200
    return response.content.decode()


def _link(body: str, rel: str) -> str | None:
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', body)
    return found.group(1).replace("&amp;", "&") if found else None


# --- Search -------------------------------------------------------------------------------


@pytest.fixture
def orders_to_search(db, northwind, cascade):
    hoffmann = factories.user("lena@example.com", "Lena Hoffmann")
    carter = factories.user("sam.carter@example.com", "Sam Carter")
    return {
        "duvet": factories.order(buyer=hoffmann, seller=northwind, title="Linen Duvet Cover"),
        "lamp": factories.order(buyer=carter, seller=northwind, title="Brass Desk Lamp"),
        # Another seller's order for the same buyer must never show up.
        "elsewhere": factories.order(buyer=hoffmann, seller=cascade, title="Trail Tent"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hoffMANN", ["duvet"]),  # a buyer's name, any case
        ("desk lamp", ["lamp"]),  # part of a product title
        ("carter", ["lamp"]),
    ],
)
def test_search_finds_orders_by_buyer_and_product(client, avery, orders_to_search, text, expected):
    client.force_login(avery)

    shown = _order_numbers(_page(client, q=text))

    assert shown == [orders_to_search[key].number for key in expected]


def test_search_finds_an_order_by_part_of_its_number(client, avery, orders_to_search):
    client.force_login(avery)
    number = orders_to_search["lamp"].number

    assert _order_numbers(_page(client, q=number[4:11])) == [number]


def test_search_matches_a_sku_whole_and_in_any_case(client, avery, orders_to_search):
    client.force_login(avery)
    sku = OrderLine.objects.get(order=orders_to_search["duvet"]).sku

    assert _order_numbers(_page(client, q=sku.lower())) == [orders_to_search["duvet"].number]
    # Part of a SKU is not a SKU (and this part is in no number, title or name).
    assert _order_numbers(_page(client, q=sku.split("-", 1)[1] + "-x")) == []


def test_search_with_no_match_says_so(client, avery, orders_to_search):
    client.force_login(avery)

    body = _page(client, q="Trail Tent")  # only in the other seller's order

    assert _order_numbers(body) == []
    assert "No orders match." in body


def test_search_combines_with_the_status_filter(client, avery, northwind, orders_to_search):
    client.force_login(avery)
    buyer = orders_to_search["duvet"].buyer
    pending = factories.order(buyer=buyer, seller=northwind, status="pending", days_ago=1)

    assert _order_numbers(_page(client, q="Hoffmann", status="pending")) == [pending.number]


def test_a_search_reads_only_what_its_rows_show(client, avery, orders_to_search):
    """The seller's orders are matched from their index (order_seller_recent covers the
    buyer, number and status), so the page's query asks for those and the buyer's names,
    not every column of the order and of the buyer."""
    client.force_login(avery)

    with CaptureQueriesContext(connection) as captured:
        body = _page(client, q="hoffmann")

    assert _order_numbers(body) == [orders_to_search["duvet"].number]
    assert "Lena Hoffmann" in body
    rows = [q["sql"] for q in captured.captured_queries if 'FROM "orders_order"' in q["sql"]]
    assert len(rows) == 1
    for column in ("shipped_at", "delivered_at", '"password"', '"email"'):
        assert column not in rows[0]


@pytest.mark.parametrize("text", ["%", "_", "\\"])
def test_wildcards_in_the_search_are_plain_characters(client, avery, orders_to_search, text):
    """The statement is written by hand (orders/seller_order_page.py): what was typed is
    matched as typed, not as a LIKE pattern that would match every order."""
    client.force_login(avery)

    assert _order_numbers(_page(client, q=text)) == []


def test_a_name_with_a_wildcard_is_found_by_it(client, avery, northwind, orders_to_search):
    buyer = factories.user("percent@example.com", "Dana 100% Cotton")
    found = factories.order(buyer=buyer, seller=northwind, title="Wool Throw")
    client.force_login(avery)

    assert _order_numbers(_page(client, q="100%")) == [found.number]
    assert _order_numbers(_page(client, q="0% c")) == [found.number]


def test_the_date_bounds_take_whole_days(client, avery, northwind):
    buyer = factories.user("dates@example.com", "Robin Dates")
    made = {
        days: factories.order(buyer=buyer, seller=northwind, days_ago=days) for days in (1, 5, 10)
    }
    today = timezone.localdate()
    client.force_login(avery)

    shown = _order_numbers(
        _page(
            client,
            ordered_from=(today - timedelta(days=6)).isoformat(),
            ordered_to=(today - timedelta(days=2)).isoformat(),
        )
    )

    assert shown == [made[5].number]


def test_a_member_of_two_businesses_finds_the_orders_of_both(
    client, avery, cascade, orders_to_search
):
    Membership.objects.create(user=avery, business=cascade, role="agent")
    client.force_login(avery)

    shown = _order_numbers(_page(client, q="hoffmann"))

    # Newest first: the other business's tent and the duvet were ordered the same day.
    assert sorted(shown) == sorted(
        [orders_to_search["duvet"].number, orders_to_search["elsewhere"].number]
    )
    assert _order_numbers(_page(client, q="carter")) == [orders_to_search["lamp"].number]


# --- Newer and older pages ----------------------------------------------------------------


@pytest.fixture
def many_orders(db, northwind):
    """PAGE_SIZE + 5 orders, newest first; two share a moment so the id breaks the tie."""
    buyer = factories.user("regular@example.com", "Robin Regular")
    made = [
        factories.order(buyer=buyer, seller=northwind, days_ago=i) for i in range(PAGE_SIZE + 5)
    ]
    same_moment = timezone.now() - timedelta(days=PAGE_SIZE, hours=1)
    Order.objects.filter(pk__in=[made[PAGE_SIZE - 1].pk, made[PAGE_SIZE].pk]).update(
        ordered_at=same_moment
    )
    made[PAGE_SIZE - 1], made[PAGE_SIZE] = sorted(
        [made[PAGE_SIZE - 1], made[PAGE_SIZE]], key=lambda o: -o.pk
    )
    return [o.number for o in made]


def test_older_and_newer_pages_walk_the_orders_without_gaps(client, avery, many_orders):
    client.force_login(avery)

    first = _page(client)
    assert _order_numbers(first) == many_orders[:PAGE_SIZE]
    assert _link(first, "prev") is None
    assert "Page 1 of" not in first  # no count of all the pages any more

    older = client.get(reverse("seller_orders") + "?" + _link(first, "next")).content.decode()
    assert _order_numbers(older) == many_orders[PAGE_SIZE:]
    assert _link(older, "next") is None

    back = client.get(reverse("seller_orders") + "?" + _link(older, "prev")).content.decode()
    assert _order_numbers(back) == many_orders[:PAGE_SIZE]


def test_the_pages_keep_the_search(client, avery, northwind, many_orders):
    client.force_login(avery)

    first = _page(client, q="Regular", status="shipped")
    link = _link(first, "next")

    assert "q=Regular" in link and "status=shipped" in link
    older = client.get(reverse("seller_orders") + "?" + link).content.decode()
    assert _order_numbers(older) == many_orders[PAGE_SIZE:]


@pytest.mark.parametrize("cursor", ["not-a-cursor", "!!", "MjAyNnxhYmM", "x" * 500])
def test_a_malformed_cursor_shows_the_first_page(client, avery, many_orders, cursor):
    client.force_login(avery)

    assert _order_numbers(_page(client, cursor=cursor)) == many_orders[:PAGE_SIZE]


def test_a_cursor_is_signed_so_a_changed_one_shows_the_first_page(client, avery, many_orders):
    """The cursor carries the key of the row to continue from; one whose key was changed
    (to skip ahead, or to reach another seller's rows) fails its signature."""
    client.force_login(avery)
    older = dict(parse_qsl(_link(_page(client), "next") or ""))
    value, signature = older["cursor"].rsplit(":", 1)
    forged = f"{value[:-2]}AA:{signature}"

    assert _order_numbers(_page(client, cursor=older["cursor"])) == many_orders[PAGE_SIZE:]
    assert _order_numbers(_page(client, cursor=forged)) == many_orders[:PAGE_SIZE]
    # A cursor of another list (the inbox, three keys) is not one of these either.
    now = timezone.now()
    row = SimpleNamespace(due_key=now, last_message_at=now, id=1)
    inbox_cursor = older_than(row, inbox_sort_keys(InboxSort.DUE_FIRST))
    assert _order_numbers(_page(client, cursor=inbox_cursor)) == many_orders[:PAGE_SIZE]
