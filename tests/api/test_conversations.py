"""The seller's conversations through the API: filters, cursor pages, messages, replies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation, Side
from tests import factories


@pytest.fixture
def sams_api(api_as, sam):
    return api_as(sam)


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def _order_with_question(buyer, seller, body="Where is my parcel?"):
    order = factories.order(buyer=buyer, seller=seller)
    return factories.buyer_message(order, body).conversation


def test_filters_awaiting_reply_order_and_updated_since(sams_api, sam, jordan, northwind):
    waiting = _order_with_question(jordan, northwind)
    answered = _order_with_question(jordan, northwind)
    factories.reply(answered, sam, Side.SELLER, "It left our warehouse today.")
    old = _order_with_question(jordan, northwind)
    Conversation.objects.filter(pk=old.pk).update(
        last_message_at=timezone.now() - timedelta(days=3)
    )

    everything = _ids(sams_api.get("/api/v1/conversations"))
    awaiting = _ids(sams_api.get("/api/v1/conversations?awaiting_reply=true"))
    not_awaiting = _ids(sams_api.get("/api/v1/conversations?awaiting_reply=false"))
    by_order = _ids(sams_api.get(f"/api/v1/conversations?order={waiting.order.number}"))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    recent = _ids(sams_api.get("/api/v1/conversations", {"updated_since": since}))

    assert everything == [answered.pk, waiting.pk, old.pk]
    assert set(awaiting) == {waiting.pk, old.pk}
    assert not_awaiting == [answered.pk]
    assert by_order == [waiting.pk]
    assert set(recent) == {waiting.pk, answered.pk}


def test_only_the_callers_businesses_are_listed(api_as, maria, jordan, northwind, cascade):
    northwinds = _order_with_question(jordan, northwind)
    cascades = _order_with_question(jordan, cascade)

    assert _ids(api_as(maria).get("/api/v1/conversations")) == [cascades.pk]
    assert northwinds.pk not in _ids(api_as(maria).get("/api/v1/conversations"))


def test_a_malformed_filter_is_a_400(sams_api):
    response = sams_api.get("/api/v1/conversations?updated_since=yesterday")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "updated_since" in response.json()["details"]["fields"]


def test_cursor_pages_walk_every_conversation_once(sams_api, jordan, northwind):
    made = [_order_with_question(jordan, northwind, f"Question {i}") for i in range(5)]

    seen: list[int] = []
    url = "/api/v1/conversations?limit=2"
    while url:
        page = sams_api.get(url)
        seen += _ids(page)
        url = page.json()["next"]
        # A new message in a conversation already seen moves it to the front; the walk
        # neither repeats it nor skips the others (updated_since finds it next time).
        if len(seen) == 2:
            factories.buyer_message(made[4].order, "One more thing.")

    assert sorted(seen) == sorted(c.pk for c in made)
    assert len(seen) == len(set(seen))


def test_a_bad_cursor_is_a_404(sams_api):
    response = sams_api.get("/api/v1/conversations?cursor=not-a-cursor")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_messages_are_what_the_seller_side_sees_oldest_first(sams_api, sam, jordan, jordans_order):
    question = factories.buyer_message(jordans_order, "Is it in stock in blue?")
    conversation = question.conversation
    answer = factories.reply(conversation, sam, Side.SELLER, "Yes, it is.")
    buyers_held = Message.objects.create(
        conversation=conversation,
        sender=jordan,
        sender_side=Side.BUYER,
        message_type="buyer_inquiry",
        body_text="held",
        body_html="<p>held</p>",
        status=Message.Status.HELD,
    )
    sellers_held = Message.objects.create(
        conversation=conversation,
        sender=sam,
        sender_side=Side.SELLER,
        message_type="reply",
        body_text="ours",
        body_html="<p>ours</p>",
        status=Message.Status.HELD,
    )

    response = sams_api.get(f"/api/v1/conversations/{conversation.pk}/messages")

    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [question.pk, answer.pk, sellers_held.pk]
    assert buyers_held.pk not in [r["id"] for r in rows]
    assert rows[0]["sender_name"] == "Jordan Miles"
    assert rows[1]["sender_name"] == "Northwind Home Goods"
    assert rows[0]["text"] == "Is it in stock in blue?"


def test_reply_and_mark_read(sams_api, sam, jordans_order):
    conversation = factories.buyer_message(jordans_order, "Is it in stock in blue?").conversation
    detail = sams_api.get(f"/api/v1/conversations/{conversation.pk}").json()
    assert detail["unread"] is True and detail["awaiting_reply"] is True

    read = sams_api.post(f"/api/v1/conversations/{conversation.pk}/read")
    assert read.status_code == 200
    assert sams_api.get(f"/api/v1/conversations/{conversation.pk}").json()["unread"] is False

    reply = sams_api.post(
        f"/api/v1/conversations/{conversation.pk}/messages",
        {"text": "Yes, it is in stock in blue."},
        format="json",
    )
    assert reply.status_code == 201, reply.json()
    sent = Message.objects.get(pk=reply.json()["message"]["id"])
    assert (sent.message_type, sent.sender, sent.via) == ("reply", sam, "api")
    assert sent.subject == f"Re: {conversation.subject}"
    assert (
        sams_api.get(f"/api/v1/conversations/{conversation.pk}").json()["awaiting_reply"] is False
    )


def test_a_reply_where_the_buyer_never_wrote_is_refused_by_the_policy(sams_api, sam, jordans_order):
    conversation = factories.seller_message(jordans_order, sam).conversation

    response = sams_api.post(
        f"/api/v1/conversations/{conversation.pk}/messages", {"text": "Hello"}, format="json"
    )

    assert response.status_code == 422
    assert response.json()["details"]["violations"][0]["rule"] == "type.not_allowed"


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_reads_cost_the_same_few_queries_with_a_full_page(sams_api, sam, jordan, northwind):
    """No query per row: a page of 25 costs what a page of 2 does. The token is one query
    (its last use is written at most once a minute, not on these warmed-up calls); then
    the list reads the caller's business ids and the page; a conversation is one query
    with its access check; its messages are the access check with the seller's name, the
    page and the page's files."""
    first = [_order_with_question(jordan, northwind, f"Q{i}") for i in range(2)]
    conversation = first[0]
    urls = (
        "/api/v1/conversations",
        f"/api/v1/conversations/{conversation.pk}",
        f"/api/v1/conversations/{conversation.pk}/messages",
    )
    few = tuple(_queries(sams_api, url) for url in urls)
    for i in range(30):
        _order_with_question(jordan, northwind, f"More {i}")
        factories.reply(conversation, sam, Side.SELLER, f"Answer {i}")
        factories.buyer_message(
            conversation.order, f"Receipt {i}", attachments=[factories.pdf_upload()]
        )

    many = tuple(_queries(sams_api, url) for url in urls)

    assert many == few == (3, 2, 4)
