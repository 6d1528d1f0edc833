"""Conversation pages and Contact pages read what their messages show and no more: files
and email bounces only when a message on the page has any, the senders' names only on the
seller's side (the buyer's page names no team member), and none of a message's other
columns. The query budgets of pages whose messages do have files are in
test_query_counts.py."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messagecenter.relay.models import EmailBounce
from messagecenter.threads.models import Conversation, Side
from tests import factories

FEW = 3
MANY = 50

# session, user, conversation (read marker joined in), messages (whether each has files
# or bounced read with them), the navigation (2 here); the seller's page adds the team
# members, and the workspace the list beside it (rows, "Assigned to me" count) and the
# order panel's lines.
BUYER_CONVERSATION_BUDGET = 6
SELLER_CONVERSATION_BUDGET = 10
# session, user, order (its conversation joined in), lines, messages, the navigation (2
# here for the buyer, 1 for the seller); Contact Buyer adds the seller's facts for the
# message types.
CONTACT_SELLER_BUDGET = 7
CONTACT_BUYER_BUDGET = 7


@dataclass(frozen=True)
class Measured:
    sql: list[str]
    body: str

    def reads(self, table: str) -> int:
        """Queries that read this table itself (not in a subquery of another's)."""
        return sum(1 for q in self.sql if q.startswith(f'SELECT "{table}".'))


def _measure(client, url: str) -> Measured:
    assert client.get(url).status_code == 200  # first-visit writes happen here
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return Measured([q["sql"] for q in captured.captured_queries], response.content.decode())


def _exchange(order, seller_sender, count: int, *, with_files: bool = False) -> Conversation:
    for i in range(count):
        files = {"attachments": [factories.pdf_upload(f"photo-{i}.pdf")]} if with_files else {}
        if i % 2 == 0:
            factories.buyer_message(order, f"Question {i}: where is the parcel?", **files)
        else:
            factories.reply(
                Conversation.objects.get(order=order),
                seller_sender,
                Side.SELLER,
                f"Answer {i}: it is on its way.",
                **files,
            )
    return Conversation.objects.get(order=order)


PAGES = [
    ("jordan", "buyer_conversation", BUYER_CONVERSATION_BUDGET),
    ("avery", "seller_conversation", SELLER_CONVERSATION_BUDGET),
    ("jordan", "contact_seller", CONTACT_SELLER_BUDGET),
    ("sam", "contact_buyer", CONTACT_BUYER_BUDGET),
]


@dataclass(frozen=True)
class Page:
    url: str
    budget: int


@pytest.fixture(params=PAGES, ids=[url_name for _, url_name, _ in PAGES])
def page(request, client, jordans_order, sam) -> Page:
    """Each page, its viewer logged in, on a conversation of FEW messages without files."""
    viewer, url_name, budget = request.param
    client.force_login(request.getfixturevalue(viewer))
    conversation = _exchange(jordans_order, sam, FEW)
    if url_name.startswith("contact"):
        return Page(reverse(url_name, args=[jordans_order.number]), budget)
    return Page(reverse(url_name, args=[conversation.pk]), budget)


def test_messages_without_files_or_bounces_cost_no_query_for_them(client, page, jordans_order, sam):
    few = _measure(client, page.url)
    _exchange(jordans_order, sam, MANY - FEW)
    many = _measure(client, page.url)

    assert "Answer 1: it is on its way." in few.body
    assert many.body.count('<article class="message') == MANY
    assert len(few.sql) == len(many.sql), "\n".join(many.sql)
    assert len(many.sql) <= page.budget, "\n".join(many.sql)
    for measured in (few, many):
        assert measured.reads("messaging_attachment") == 0
        assert measured.reads("relay_emailbounce") == 0


def test_files_on_the_page_cost_one_query(client, page, jordans_order, sam):
    without = _measure(client, page.url)
    _exchange(jordans_order, sam, FEW, with_files=True)

    measured = _measure(client, page.url)

    assert measured.reads("messaging_attachment") == 1
    assert len(measured.sql) == len(without.sql) + 1 <= page.budget + 1, "\n".join(measured.sql)
    assert measured.body.count('class="attachment"') == FEW


def test_a_bounce_is_read_only_for_the_page_that_has_one(client, jordans_order, sam, avery):
    conversation = _exchange(jordans_order, sam, 2)
    answer = conversation.messages.get(sender_side=Side.SELLER)
    client.force_login(avery)
    url = reverse("seller_conversation", args=[conversation.pk])
    before = _measure(client, url)

    EmailBounce.objects.create(
        message=answer,
        recipient_address="jordan@example.com",
        status="5.1.1",
        diagnostic="550 5.1.1 User unknown",
    )
    after = _measure(client, url)

    assert before.reads("relay_emailbounce") == 0
    assert "bounced" not in before.body
    assert after.reads("relay_emailbounce") == 1
    assert len(after.sql) == len(before.sql) + 1
    assert "Your email copy to the buyer bounced:" in after.body


def test_only_the_sellers_page_reads_who_on_the_team_wrote(client, jordans_order, sam, jordan):
    conversation = _exchange(jordans_order, sam, 2)

    pages = {}
    for viewer, url_name in ((sam, "seller_conversation"), (jordan, "buyer_conversation")):
        client.force_login(viewer)
        pages[url_name] = _measure(client, reverse(url_name, args=[conversation.pk]))

    def messages_query(measured: Measured) -> str:
        [query] = [q for q in measured.sql if " FROM messaging_message " in q]
        return query

    seller_sql, buyer_sql = (messages_query(pages[name]) for name in pages)
    assert "Northwind Home Goods · Sam Carter" in pages["seller_conversation"].body
    assert "Sam Carter" not in pages["buyer_conversation"].body
    assert "accounts_user" in seller_sql
    assert "accounts_user" not in buyer_sql
    # The body as written and the email bookkeeping are not shown: not read.
    for sql in (seller_sql, buyer_sql):
        assert "body_text" not in sql and "email_message_id" not in sql


def test_the_sellers_page_names_each_team_member_on_their_own_messages(
    client, jordans_order, sam, avery
):
    # Avery has no display name: the page falls back to the first and last names.
    type(avery).objects.filter(pk=avery.pk).update(
        display_name="", first_name="Avery", last_name="Lee"
    )
    conversation = _exchange(jordans_order, sam, 2)
    factories.reply(conversation, avery, Side.SELLER, "Avery here: it ships today.")
    factories.reply(conversation, sam, Side.SELLER, "Sam again: tracking sent.")
    client.force_login(avery)

    body = _measure(client, reverse("seller_conversation", args=[conversation.pk])).body

    articles = body.split('<article class="message')[1:]
    named = [("Sam Carter" in a, "Avery Lee" in a) for a in articles if "message--seller" in a[:40]]
    assert named == [(True, False), (False, True), (True, False)]
    assert "Northwind Home Goods · Avery Lee" in body
