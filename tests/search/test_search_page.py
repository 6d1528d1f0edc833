"""The search box in the header and on each inbox, and the results page: its filters, its
pages, its capped count, and a query count that does not grow with the results."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from messagecenter.search import selectors
from messagecenter.threads.models import Conversation
from tests import factories


def _message_links(html: str) -> list[int]:
    return [int(i) for i in re.findall(r"#message-(\d+)\"", html)]


_buyers = iter(range(1_000_000))


def _questions(buyer_count: int, northwind, word: str = "aubergine") -> list:
    """One buyer question each in as many conversations with Northwind."""
    sent = []
    for i in range(buyer_count):
        buyer = factories.user(f"buyer-{next(_buyers)}@example.com", f"Buyer {i}")
        order = factories.order(buyer=buyer, seller=northwind)
        sent.append(factories.buyer_message(order, f"Is the {word} cushion in stock? ({i})"))
    return sent


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/", params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_results_page_costs_the_same_for_three_results_or_a_full_page(client, sam, northwind):
    client.force_login(sam)
    _questions(3, northwind)
    _queries(client, {"q": "aubergine", "side": "seller"})  # the navigation's first counts
    few = _queries(client, {"q": "aubergine", "side": "seller"})
    _questions(30, northwind)  # more than a page, and an Older link
    _queries(client, {"q": "aubergine", "side": "seller"})  # the navigation's new counts

    many = _queries(client, {"q": "aubergine", "side": "seller"})

    assert many == few + 1  # the capped count, asked only when there is more than a page
    assert many <= 10


def test_the_page_shows_the_newest_matches_first_and_pages_by_position(client, sam, northwind):
    sent = _questions(23, northwind)
    client.force_login(sam)

    first = client.get("/search/", {"q": "aubergine", "side": "seller"}).content.decode()
    older = re.search(r'href="\?([^"]*cursor=[^"]*)" rel="next"', first)
    assert older is not None
    second = client.get("/search/?" + older.group(1).replace("&amp;", "&")).content.decode()

    newest_first = [m.pk for m in reversed(sent)]
    assert _message_links(first) == newest_first[:20]
    assert _message_links(second) == newest_first[20:]
    assert "23</span>" in first  # counted: fewer than the cap


def test_a_count_past_the_cap_says_more_than(client, sam, northwind, monkeypatch):
    monkeypatch.setattr("messagecenter.search.views.COUNT_CAP", 21)
    monkeypatch.setattr(selectors, "COUNT_CAP", 21)
    _questions(23, northwind)
    client.force_login(sam)

    page = client.get("/search/", {"q": "aubergine", "side": "seller"}).content.decode()

    assert "more than 21" in page


def test_the_inbox_filters_carry_into_the_search(client, sam, avery, northwind, jordan):
    waiting, answered, mine = _questions(3, northwind)
    factories.reply(answered.conversation, sam, "seller", "Yes, in stock.")
    Conversation.objects.filter(pk=mine.conversation_id).update(assigned_to=avery)
    Conversation.objects.filter(pk=waiting.conversation_id).update(
        reply_due_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(avery)

    def found(search_filter: str) -> set[int]:
        params = {"q": "aubergine", "side": "seller", "filter": search_filter}
        return set(_message_links(client.get("/search/", params).content.decode()))

    assert found("all") == {waiting.pk, answered.pk, mine.pk}
    assert found("awaiting") == {waiting.pk, mine.pk}
    assert found("overdue") == {waiting.pk}
    assert found("mine") == {mine.pk}
    assert found("unassigned") == {waiting.pk, answered.pk}


def test_the_held_filter_finds_the_teams_held_messages(client, sam, jordan, northwind):
    from tests.search.conftest import REVIEW_ASK

    factories.buyer_message(factories.order(buyer=jordan, seller=northwind), "Marmalade jar?")
    order = factories.order(buyer=jordan, seller=northwind, status="delivered", days_ago=10)
    held = factories.seller_message(
        order, sam, REVIEW_ASK, message_type="review_request", subject="[Important] Your cover"
    )
    client.force_login(sam)

    page = client.get("/search/", {"q": "marmalade", "side": "seller", "filter": "held"})

    assert _message_links(page.content.decode()) == [held.pk]
    assert "Held" in page.content.decode()


def test_the_header_and_each_inbox_have_the_search_box(client, sam, jordan):
    client.force_login(sam)
    inbox = client.get("/seller/messages/", {"filter": "awaiting"}).content.decode()
    client.force_login(jordan)
    buyer_inbox = client.get("/messages/").content.decode()

    assert 'id="header-search-q"' in inbox and 'name="side" value="seller"' in inbox
    assert '<option value="awaiting" selected>' in inbox  # the inbox's filter, kept
    assert 'id="header-search-q"' in buyer_inbox
    assert 'id="search-q-inbox"' in buyer_inbox and 'name="side" value="buyer"' in buyer_inbox


def test_an_empty_search_asks_for_words(client, jordan):
    client.force_login(jordan)

    page = client.get("/search/", {"q": "  "}).content.decode()

    assert "Type what you are looking for." in page


def test_a_result_opens_its_conversation_where_the_message_is(client, sam, jordans_order):
    """However many messages came after it, the link shows the window that ends with the
    found message, scrolled to it."""
    found = factories.buyer_message(jordans_order, "Does the walrus lamp come with a bulb?")
    for i in range(55):
        factories.buyer_message(jordans_order, f"Another question, number {i}.")
    client.force_login(sam)

    results = client.get("/search/", {"q": "walrus", "side": "seller"}).content.decode()
    link = re.search(r'href="(/seller/messages/[^"]+)"', results)
    assert link is not None and link.group(1).endswith(f"#message-{found.pk}")
    page = client.get(link.group(1).replace("&amp;", "&").split("#")[0])

    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="message-{found.pk}"' in html
    assert "walrus lamp" in html and "Show the latest messages" in html


def test_an_unknown_filter_or_side_still_searches_the_words(client, jordan, jordans_order):
    asked = factories.buyer_message(jordans_order, "Is the pelican mug dishwasher safe?")
    client.force_login(jordan)

    page = client.get("/search/", {"q": "pelican", "filter": "bogus", "side": "nobody"})

    assert _message_links(page.content.decode()) == [asked.pk]
