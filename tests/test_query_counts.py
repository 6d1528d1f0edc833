"""Query budgets: a page costs the same number of queries with 5 rows as with a full page.

Each case measures a page with a few rows, adds enough rows to fill the first page (the
pages show 25 rows), measures again and asserts the two counts are equal, so an N+1
shows up as a difference. The absolute budget catches a regression that adds a query per
page. Every page is loaded once before it is measured, so one-off writes (the read marker
a conversation page records on a first visit) do not blur the comparison.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messagecenter.core.pagination import PAGE_SIZE
from messagecenter.messaging.models import Attachment, Message
from messagecenter.moderation.review import review_reject
from messagecenter.threads.models import Conversation, Side
from tests import factories

FEW = 5
MANY = 50  # more than a page of inbox and order rows; 50 messages in one conversation


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The inbox and order cases create a buyer per row.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Measured:
    queries: int
    sql: list[str]
    body: str


def _measure(client, url: str) -> Measured:
    assert client.get(url).status_code == 200  # warm up: first-visit writes happen here
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return Measured(
        queries=len(captured.captured_queries),
        sql=[q["sql"] for q in captured.captured_queries],
        body=response.content.decode(),
    )


def _few_then_many(client, url: str, add: Callable[[int], None]) -> tuple[Measured, Measured]:
    """The page measured with FEW rows added, then with MANY in all."""
    add(FEW)
    few = _measure(client, url)
    add(MANY - FEW)
    return few, _measure(client, url)


def _assert_same_cost(few: Measured, many: Measured, budget: int) -> None:
    assert few.queries == many.queries, "\n".join(["Query count grows with the rows:", *many.sql])
    assert many.queries <= budget, "\n".join(
        [f"{many.queries} queries, budget {budget}:", *many.sql]
    )


def _shown(body: str, url_name: str) -> int:
    """How many distinct links to rows of this kind the page shows (a seller's row links keep
    the list's filter, order and topic in their query)."""
    pattern = re.escape(reverse(url_name, args=[0])).replace("0", r"[\w-]+", 1)
    return len(set(re.findall(f'href="({pattern})(?:\\?[^"]*)?"', body)))


# --- Inboxes -----------------------------------------------------------------------------


def _open_order_conversations(
    count: int, buyer_for: Callable[[int], object], seller, seller_sender
) -> None:
    """Conversations with both sides having written, each about its own order."""
    for i in range(count):
        order = factories.order(buyer=buyer_for(i), seller=seller, lines=2)
        factories.buyer_message(order, f"Where is parcel {i}?")
        factories.seller_message(order, seller_sender)


def _buyer_for_row(tag: str) -> Callable[[int], object]:
    return lambda i: factories.user(f"{tag}-{i}@example.com", f"Buyer {tag} {i}")


# Budgets are the counts measured when these tests were written; raise one on purpose,
# never by accident. Every page pays 3: session, user, and the navigation: the user's
# businesses read with their kept unread counts, as a seller and as a buyer, in one query
# (threads/unread.py; before the view on pages that check the businesses themselves:
# inbox/middleware.py). Seller pages read their active restrictions from those this process
# keeps (moderation/kept_restrictions.py): no query once kept, as after the warm-up.
BUYER_INBOX_BUDGET = 4  # + rows (keyset pages: no page count)
# + rows (keyset pages: no page count); the seller's tabs add the "Assigned to me" count
# (the others are the navigation's kept counts), and the bulk bar the team it assigns to
SELLER_INBOX_BUDGET = 6
# + conversation (the viewer's read marker joined in), messages (each saying whether it
# has files or a bounced email copy), files; the email bounces only when one bounced
# (test_conversation_page_reads.py), and these messages' copies did not
BUYER_CONVERSATION_BUDGET = 7
# the same: the team members (the assignment form and the reply clock card) are read with
# the messages, in one round trip (one query string, counted once); the workspace adds the
# list beside it (its rows, the "Assigned to me" count and the team its bulk bar assigns
# to) and the order panel's lines
SELLER_CONVERSATION_BUDGET = 11
# Orders pages: + 1 while the viewer's unread count is not kept yet (a count of 0 is counted,
# not stored: threads/unread.py); a kept one is read in the navigation's one query.
SELLER_ORDERS_BUDGET = 6  # + rows, lines (keyset pages: no page count)
BUYER_ORDERS_BUDGET = 6  # + rows, lines (keyset pages: no page count)


def test_buyer_inbox_costs_the_same_for_a_full_page(client, jordan, northwind, cascade, sam, maria):
    client.force_login(jordan)
    url = reverse("buyer_inbox")
    sellers = [(northwind, sam), (cascade, maria)]

    def add(count: int) -> None:
        for i in range(count):
            seller, sender = sellers[i % 2]
            _open_order_conversations(1, lambda _: jordan, seller, sender)

    few, many = _few_then_many(client, url, add)

    assert _shown(few.body, "buyer_conversation") == FEW
    assert _shown(many.body, "buyer_conversation") == PAGE_SIZE
    _assert_same_cost(few, many, BUYER_INBOX_BUDGET)


def test_seller_inbox_costs_the_same_for_a_full_page(client, avery, sam, northwind):
    client.force_login(avery)
    url = reverse("seller_inbox")
    buyers = _buyer_for_row("inbox")

    _open_order_conversations(FEW, buyers, northwind, sam)
    few = _measure(client, url)
    _open_order_conversations(MANY - FEW, lambda i: buyers(FEW + i), northwind, sam)
    many = _measure(client, url)

    assert _shown(few.body, "seller_conversation") == FEW
    assert _shown(many.body, "seller_conversation") == PAGE_SIZE
    _assert_same_cost(few, many, SELLER_INBOX_BUDGET)


# --- A conversation, from each side ---------------------------------------------------------


def _exchange_with_files(order, seller_sender, count: int) -> None:
    """Messages from both sides, each carrying a file."""
    for i in range(count):
        upload = factories.pdf_upload(f"photo-{i}.pdf")
        if i % 2 == 0:
            factories.buyer_message(
                order, f"Here is photo {i} of the damage.", attachments=[upload]
            )
        else:
            conversation = Conversation.objects.get(order=order)
            factories.reply(
                conversation,
                seller_sender,
                Side.SELLER,
                f"Thanks, file {i} received.",
                attachments=[upload],
            )


@pytest.mark.parametrize(
    ("viewer", "url_name", "budget"),
    [
        ("jordan", "buyer_conversation", BUYER_CONVERSATION_BUDGET),
        ("avery", "seller_conversation", SELLER_CONVERSATION_BUDGET),
    ],
)
def test_conversation_page_costs_the_same_with_many_messages(
    client, request, jordans_order, sam, avery, viewer, url_name, budget
):
    client.force_login(request.getfixturevalue(viewer))
    _exchange_with_files(jordans_order, sam, FEW)
    conversation = Conversation.objects.get(order=jordans_order)
    url = reverse(url_name, args=[conversation.pk])

    few = _measure(client, url)
    _exchange_with_files(jordans_order, sam, MANY - FEW)
    many = _measure(client, url)

    delivered = Message.objects.filter(conversation=conversation, status="delivered")
    assert delivered.count() == MANY
    assert Attachment.objects.filter(message__conversation=conversation).count() == MANY
    assert _shown(few.body, "attachment_download") == FEW
    assert _shown(many.body, "attachment_download") == MANY
    _assert_same_cost(few, many, budget)


def test_a_conversation_longer_than_a_page_costs_the_same_however_long(
    client, jordans_order, sam, avery, jordan
):
    """Past 50 messages the page shows the latest 50; the seller's page adds one query for
    the reply clock's older waiting messages, and no more as the conversation grows."""
    _exchange_with_files(jordans_order, sam, MANY + 2)
    conversation = Conversation.objects.get(order=jordans_order)
    pages = {
        jordan: (reverse("buyer_conversation", args=[conversation.pk]), BUYER_CONVERSATION_BUDGET),
        avery: (
            reverse("seller_conversation", args=[conversation.pk]),
            SELLER_CONVERSATION_BUDGET + 1,
        ),
    }
    first = {}
    for viewer, (url, _budget) in pages.items():
        client.force_login(viewer)
        first[viewer] = _measure(client, url)

    _exchange_with_files(jordans_order, sam, MANY)
    for viewer, (url, budget) in pages.items():
        client.force_login(viewer)
        longer = _measure(client, url)
        assert _shown(longer.body, "attachment_download") == MANY
        _assert_same_cost(first[viewer], longer, budget)


# session, user, order (the membership and the conversation joined in), lines, seller facts
# (standing, day's count, 30-day orders from the kept day rows, review requests: one
# query), messages, files, the navigation (businesses with their unread counts); the
# policy and restrictions are kept
CONTACT_BUYER_BUDGET = 8


# session, user, order (the conversation joined in), lines, messages, files, the
# navigation (businesses, then the buyer's unread count, counted here as no kept count
# has been written yet)
CONTACT_SELLER_BUDGET = 8


@pytest.mark.parametrize(
    ("page", "viewer", "budget"),
    [
        ("contact_buyer", "sam", CONTACT_BUYER_BUDGET),
        ("contact_seller", "jordan", CONTACT_SELLER_BUDGET),
    ],
)
def test_a_contact_page_costs_the_same_with_many_messages(
    client, request, jordans_order, sam, page, viewer, budget
):
    client.force_login(request.getfixturevalue(viewer))
    url = reverse(page, args=[jordans_order.number])
    _exchange_with_files(jordans_order, sam, FEW)
    few = _measure(client, url)
    _exchange_with_files(jordans_order, sam, MANY + 10 - FEW)
    many = _measure(client, url)

    assert _shown(few.body, "attachment_download") == FEW
    assert _shown(many.body, "attachment_download") == MANY  # the latest 50 of 60
    _assert_same_cost(few, many, budget)


# --- Order lists ------------------------------------------------------------------------------


def test_manage_orders_costs_the_same_for_a_full_page(client, avery, northwind):
    client.force_login(avery)
    url = reverse("seller_orders")
    buyers = _buyer_for_row("orders")

    def add(start: int, count: int) -> None:
        for i in range(start, start + count):
            factories.order(buyer=buyers(i), seller=northwind, lines=3, days_ago=i % 20)

    add(0, FEW)
    few = _measure(client, url)
    add(FEW, MANY - FEW)
    many = _measure(client, url)

    assert _shown(few.body, "seller_order") == FEW
    assert _shown(many.body, "seller_order") == PAGE_SIZE
    _assert_same_cost(few, many, SELLER_ORDERS_BUDGET)


def test_manage_orders_search_and_older_pages_cost_the_same(client, avery, northwind):
    """A search, and an older page of it, are one query for the rows like the plain list."""
    client.force_login(avery)
    buyers = _buyer_for_row("search")
    url = reverse("seller_orders") + "?q=Buyer+search"

    def add(start: int, count: int) -> None:
        for i in range(start, start + count):
            factories.order(buyer=buyers(i), seller=northwind, lines=3, days_ago=i % 20)

    add(0, FEW)
    few = _measure(client, url)
    add(FEW, MANY - FEW)
    many = _measure(client, url)
    older_link = re.search(r'href="\?([^"]*)" rel="next"', many.body)
    assert older_link is not None
    older = _measure(client, reverse("seller_orders") + "?" + older_link[1].replace("&amp;", "&"))

    assert _shown(few.body, "seller_order") == FEW
    assert _shown(many.body, "seller_order") == PAGE_SIZE
    assert _shown(older.body, "seller_order") == PAGE_SIZE
    _assert_same_cost(few, many, SELLER_ORDERS_BUDGET)
    _assert_same_cost(few, older, SELLER_ORDERS_BUDGET)


def test_your_orders_costs_the_same_for_a_full_page(client, jordan, northwind, cascade):
    client.force_login(jordan)
    url = reverse("buyer_orders")

    def add(count: int) -> None:
        for i in range(count):
            seller = northwind if i % 2 == 0 else cascade
            factories.order(buyer=jordan, seller=seller, lines=3, days_ago=i % 20)

    add(FEW)
    few = _measure(client, url)
    add(MANY - FEW)
    many = _measure(client, url)
    older_link = re.search(r'href="\?([^"]*)" rel="next"', many.body)
    assert older_link is not None
    older = _measure(client, url + "?" + older_link[1].replace("&amp;", "&"))

    assert _shown(few.body, "contact_seller") == FEW
    assert _shown(many.body, "contact_seller") == PAGE_SIZE
    assert _shown(older.body, "contact_seller") == PAGE_SIZE
    _assert_same_cost(few, many, BUYER_ORDERS_BUDGET)
    _assert_same_cost(few, older, BUYER_ORDERS_BUDGET)


# + 1 while the unread count is not kept (as the orders pages), the count of products
# (numbered pages), rows with their sellers
PRODUCTS_BUDGET = 6


@pytest.mark.parametrize("who", ["jordan", "sam"])  # a seller's own products are left out
def test_products_costs_the_same_for_a_full_page(request, client, who, northwind, cascade):
    client.force_login(request.getfixturevalue(who))
    url = reverse("products")

    def add(count: int) -> None:
        for i in range(count):
            factories.product(cascade, f"Product {count}-{i}")

    few, many = _few_then_many(client, url, add)

    assert _shown(few.body, "ask_product") == FEW
    assert _shown(many.body, "ask_product") == PAGE_SIZE
    _assert_same_cost(few, many, PRODUCTS_BUDGET)


# --- Review -----------------------------------------------------------------------------------

# Staff pages read no unread count (their navigation shows none): they pay session, user,
# the held count of the navigation's badge (the unfiltered queue's pages too) and the
# user's memberships (the restriction banner).
REVIEW_QUEUE_BUDGET = 6  # + rows with their rules, the sellers of the filter
# + the door (message, violations), history; files and decisions are read only when the
# message has them (one query each).
REVIEW_MESSAGE_BUDGET = 7


def _held(order, sender, count: int) -> list[Message]:
    """Seller messages held for review."""
    held = []
    for i in range(count):
        message = factories.seller_message(order, sender, f"Please check the address, {i}.")
        Message.objects.filter(pk=message.pk).update(status=Message.Status.HELD)
        held.append(message)
    return held


def test_the_review_queue_costs_the_same_for_a_full_page(client, morgan, jordan, sam, northwind):
    client.force_login(morgan)
    url = reverse("review_queue")
    order = factories.order(buyer=jordan, seller=northwind)
    _held(order, sam, FEW)
    few = _measure(client, url)
    _held(order, sam, MANY - FEW)
    for i in range(30):  # more sellers in the filter's list
        factories.business(f"Seller {i}")
    many = _measure(client, url)

    def held_rows(body: str) -> int:
        return len(set(re.findall(r'href="/review/(\d+)/"', body)))

    assert held_rows(few.body) == FEW
    assert held_rows(many.body) == PAGE_SIZE
    _assert_same_cost(few, many, REVIEW_QUEUE_BUDGET)


def test_a_held_message_costs_the_same_with_a_long_history(client, morgan, jordan, sam, northwind):
    client.force_login(morgan)
    order = factories.order(buyer=jordan, seller=northwind)
    first = _held(order, sam, 1)[0]
    few = _measure(client, reverse("review_message", args=[first.pk]))
    latest = _held(order, sam, 20)[-1]
    many = _measure(client, reverse("review_message", args=[latest.pk]))

    _assert_same_cost(few, many, REVIEW_MESSAGE_BUDGET)


def test_a_decided_message_shows_who_decided_at_the_same_cost(
    client, morgan, jordan, sam, northwind
):
    client.force_login(morgan)
    order = factories.order(buyer=jordan, seller=northwind)
    held, decided = _held(order, sam, 2)
    review_reject(message_id=decided.pk, reviewer=morgan, reason="It names a phone number.")

    waiting = _measure(client, reverse("review_message", args=[held.pk]))
    shown = _measure(client, reverse("review_message", args=[decided.pk]))

    # The decisions and who made them come in one query: none for the reviewer.
    assert "It names a phone number." in shown.body
    assert morgan.public_name in shown.body
    assert waiting.queries == REVIEW_MESSAGE_BUDGET
    assert shown.queries == REVIEW_MESSAGE_BUDGET + 1, "\n".join(shown.sql)
    assert not any('moderation_reviewdecision"."id"' in sql for sql in waiting.sql)
