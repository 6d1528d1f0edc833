"""Buyer topics: Jordan says what a new conversation is about; the topic labels it on both
sides, narrows Northwind's inbox, and routes it to the member Sam (the owner) chose."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from messagecenter.accounts.models import Membership
from messagecenter.core.pagination import PAGE_SIZE
from messagecenter.messaging.models import Message
from messagecenter.threads.assignment import conversation_assign
from messagecenter.threads.models import (
    Conversation,
    ConversationAssignment,
    ConversationTopic,
    TopicRoute,
)
from messagecenter.threads.topic_routing import topic_routing_save
from tests import factories
from tests.test_query_counts import (
    BUYER_INBOX_BUDGET,
    FEW,
    MANY,
    SELLER_INBOX_BUDGET,
    _assert_same_cost,
    _buyer_for_row,
    _measure,
    _shown,
)

QUESTION = {"subject": "Order question", "body": "My parcel has not arrived yet."}


def _contact(client, order, **fields):
    return client.post(reverse("contact_seller", args=[order.number]), {**QUESTION, **fields})


def _route(business, owner, **routes):
    topic_routing_save(business=business, routes=routes, by=owner)


# --- Choosing a topic ------------------------------------------------------------------


def test_the_buyers_topic_is_stored_and_labels_the_conversation_on_both_sides(
    client, jordan, sam, jordans_order
):
    client.force_login(jordan)
    response = _contact(client, jordans_order, topic="where_is_my_order")

    conversation = Conversation.objects.get(order=jordans_order)
    assert response.status_code == 302
    assert conversation.topic == ConversationTopic.WHERE_IS_MY_ORDER
    assert "Topic: Where is my order" in client.get(reverse("buyer_inbox")).content.decode()
    page = client.get(reverse("buyer_conversation", args=[conversation.pk])).content.decode()
    assert "Topic: Where is my order" in page

    client.force_login(sam)
    assert "Topic: Where is my order" in client.get(reverse("seller_inbox")).content.decode()
    page = client.get(reverse("seller_conversation", args=[conversation.pk])).content.decode()
    assert "Topic: Where is my order" in page


def test_the_contact_page_asks_for_a_topic_in_a_labelled_radio_group(client, jordan, jordans_order):
    client.force_login(jordan)
    page = client.get(reverse("contact_seller", args=[jordans_order.number])).content.decode()

    assert '<fieldset class="field topic-picker' in page
    assert "<legend" in page and "What is your message about?" in page
    for value in ConversationTopic.values:
        assert f'value="{value}"' in page
    assert "checked" not in page.split("</fieldset>")[0]  # no guess for an order


def test_a_product_question_starts_with_its_topic_chosen(client, jordan, northwind):
    product = factories.product(northwind, "Enamel Kettle")
    client.force_login(jordan)
    page = client.get(reverse("ask_product", args=[product.pk])).content.decode()

    assert 'value="product_question" id="id_topic_3" required checked' in page

    client.post(
        reverse("ask_product", args=[product.pk]),
        {"topic": "product_question", "subject": "Size", "body": "How many litres is it?"},
    )
    assert Conversation.objects.get(product=product).topic == ConversationTopic.PRODUCT_QUESTION


@pytest.mark.parametrize(
    ("topic", "error"),
    [("", "Choose what your message is about."), ("refund_now", "Choose one of the topics")],
)
def test_a_missing_or_unknown_topic_is_explained_and_the_draft_kept(
    client, jordan, jordans_order, topic, error
):
    client.force_login(jordan)
    response = _contact(client, jordans_order, topic=topic)

    page = response.content.decode()
    assert response.status_code == 400
    assert error in page
    assert 'aria-describedby="id_topic_error"' in page
    assert 'value="Order question"' in page
    assert "My parcel has not arrived yet." in page
    assert not Message.objects.exists()


def test_a_conversation_with_a_topic_keeps_it_and_asks_no_more(client, jordan, jordans_order):
    client.force_login(jordan)
    _contact(client, jordans_order, topic="return")

    page = client.get(reverse("contact_seller", args=[jordans_order.number])).content.decode()
    again = _contact(client, jordans_order, topic="damaged_item")

    assert "topic-picker" not in page
    assert again.status_code == 302
    assert Conversation.objects.get(order=jordans_order).topic == ConversationTopic.RETURN
    assert Message.objects.count() == 2


def test_a_seller_started_conversation_gets_the_buyers_topic_when_they_write(
    client, jordan, sam, jordans_order
):
    factories.seller_message(jordans_order, sam)
    client.force_login(jordan)

    page = client.get(reverse("contact_seller", args=[jordans_order.number])).content.decode()
    _contact(client, jordans_order, topic="damaged_item")

    assert "topic-picker" in page
    assert Conversation.objects.get(order=jordans_order).topic == ConversationTopic.DAMAGED_ITEM


# --- Routing -----------------------------------------------------------------------------


def test_a_new_conversation_goes_to_the_member_its_topic_is_routed_to(
    client, django_capture_on_commit_callbacks, jordan, sam, avery, jordans_order
):
    _route(jordans_order.seller, sam, **{"return": avery})
    client.force_login(jordan)
    with django_capture_on_commit_callbacks(execute=True):
        _contact(client, jordans_order, topic="return")

    conversation = Conversation.objects.get(order=jordans_order)
    record = ConversationAssignment.objects.get(conversation=conversation)
    assert conversation.assigned_to == avery
    assert record.by_topic_routing and record.assigned_by is None and record.assignee == avery
    [notice] = [m for m in mail.outbox if m.subject.startswith("New conversation about")]
    assert notice.to == [avery.email]
    assert notice.subject == f"New conversation about Return for you: Order {jordans_order.number}"
    assert "Jordan Miles started a conversation about “Return”" in notice.body

    client.force_login(sam)
    assert "Assigned: Avery Lee" in client.get(reverse("seller_inbox")).content.decode()


def test_a_topic_without_a_route_stays_with_the_whole_team(
    client, jordan, sam, avery, jordans_order
):
    _route(jordans_order.seller, sam, **{"return": avery})
    client.force_login(jordan)
    _contact(client, jordans_order, topic="where_is_my_order")

    conversation = Conversation.objects.get(order=jordans_order)
    assert conversation.assigned_to is None
    assert not ConversationAssignment.objects.exists()


def test_a_topic_routed_to_someone_who_left_the_team_goes_to_the_whole_team(
    client, jordan, sam, avery, jordans_order
):
    _route(jordans_order.seller, sam, **{"return": avery})
    Membership.objects.filter(user=avery).delete()
    client.force_login(jordan)
    _contact(client, jordans_order, topic="return")

    assert Conversation.objects.get(order=jordans_order).assigned_to is None
    assert not ConversationAssignment.objects.exists()


def test_a_deactivated_member_gets_nothing_routed(client, jordan, sam, avery, jordans_order):
    _route(jordans_order.seller, sam, **{"return": avery})
    avery.is_active = False
    avery.save(update_fields=["is_active"])
    client.force_login(jordan)
    _contact(client, jordans_order, topic="return")

    assert Conversation.objects.get(order=jordans_order).assigned_to is None


def test_routing_leaves_a_conversation_someone_already_assigned(
    client, jordan, sam, avery, jordans_order
):
    _route(jordans_order.seller, sam, **{"return": avery})
    factories.seller_message(jordans_order, sam)
    conversation = Conversation.objects.get(order=jordans_order)
    conversation_assign(conversation=conversation, assignee=sam, by=sam)
    client.force_login(jordan)
    _contact(client, jordans_order, topic="return")

    conversation.refresh_from_db()
    assert conversation.topic == ConversationTopic.RETURN
    assert conversation.assigned_to == sam


def test_a_blocked_first_message_neither_labels_nor_routes(
    client, jordan, sam, avery, jordans_order
):
    _route(jordans_order.seller, sam, **{"return": avery})
    client.force_login(jordan)
    response = _contact(client, jordans_order, topic="return", body="x" * 2001)

    assert response.status_code == 400
    assert 'value="return" id="id_topic_1" required checked' in response.content.decode()
    conversation = Conversation.objects.get(order=jordans_order)
    assert conversation.topic == "" and conversation.assigned_to is None


# --- The seller inbox's topic filter --------------------------------------------------------


def test_the_seller_inbox_shows_only_the_chosen_topic(client, jordan, priya, sam, northwind):
    asked = {}
    for buyer, topic in ((jordan, "return"), (priya, "damaged_item")):
        order = factories.order(buyer=buyer, seller=northwind)
        client.force_login(buyer)
        _contact(client, order, topic=topic)
        asked[topic] = Conversation.objects.get(order=order).pk
    client.force_login(sam)

    returns = client.get(reverse("seller_inbox"), {"topic": "return"}).content.decode()
    anything = client.get(reverse("seller_inbox"), {"topic": "nonsense"}).content.decode()

    assert reverse("seller_conversation", args=[asked["return"]]) in returns
    assert reverse("seller_conversation", args=[asked["damaged_item"]]) not in returns
    assert 'href="?filter=all&amp;sort=newest&amp;topic=return" aria-current="page"' in returns
    assert "?filter=unread&amp;sort=newest&amp;topic=return" in returns  # the tabs keep it
    for pk in asked.values():
        assert reverse("seller_conversation", args=[pk]) in anything


# --- The routing page, for everyone who might open it -------------------------------------


def _routing_post(business, **routes):
    data = {"business": business.pk}
    for topic in ConversationTopic.values:
        data[f"route_{topic}"] = routes.get(topic, "")
    return data


def test_the_owner_routes_a_topic_to_a_member_and_back_to_the_team(client, sam, avery, northwind):
    client.force_login(sam)
    url = reverse("topic_routing")

    page = client.get(url).content.decode()
    saved = client.post(url, _routing_post(northwind, damaged_item=avery.pk))
    shown = client.get(url).content.decode()
    reset = client.post(url, _routing_post(northwind))

    assert 'name="route_damaged_item"' in page and "The whole team" in page
    assert saved.status_code == 302
    assert f'<option value="{avery.pk}" selected>Avery Lee</option>' in shown
    assert reset.status_code == 302
    assert not TopicRoute.objects.exists()


def test_the_owner_cannot_route_to_someone_outside_the_team(client, sam, maria, northwind):
    client.force_login(sam)
    response = client.post(reverse("topic_routing"), _routing_post(northwind, other=maria.pk))

    assert response.status_code == 400
    assert "Choose a member of your team, or the whole team." in response.content.decode()
    assert not TopicRoute.objects.exists()


def test_an_agent_sees_the_routing_but_cannot_change_it(client, sam, avery, northwind):
    _route(northwind, sam, **{"return": avery})
    client.force_login(avery)
    url = reverse("topic_routing")

    page = client.get(url).content.decode()
    response = client.post(url, _routing_post(northwind))

    assert "Only an owner of the business can change where topics go." in page
    assert '<form method="post" class="topic-routing">' not in page
    assert "<dd>Avery Lee</dd>" in page
    assert response.status_code == 403
    assert TopicRoute.objects.count() == 1


def test_another_seller_sees_only_their_own_business(client, maria, sam, northwind, cascade):
    client.force_login(maria)
    url = reverse("topic_routing")

    page = client.get(url).content.decode()
    response = client.post(url, _routing_post(northwind))

    assert cascade.name in page and northwind.name not in page
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["jordan", "priya", "morgan"])
def test_buyers_and_administrators_have_no_routing_page(request, client, who, sam, northwind):
    client.force_login(request.getfixturevalue(who))
    url = reverse("topic_routing")

    assert client.get(url).status_code == 404
    assert client.post(url, _routing_post(northwind)).status_code == 404


def test_an_anonymous_visitor_is_asked_to_log_in(client, northwind):
    url = reverse("topic_routing")

    response = client.post(url, _routing_post(northwind))

    assert client.get(url).status_code == 302
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not TopicRoute.objects.exists()


def test_a_team_member_who_left_is_shown_as_the_whole_team(client, sam, avery, northwind):
    _route(northwind, sam, **{"return": avery})
    Membership.objects.filter(user=avery).delete()
    client.force_login(sam)

    page = client.get(reverse("topic_routing")).content.decode()

    assert "Avery Lee" not in page
    assert '<option value="" selected>The whole team</option>' in page


# --- Query budgets with the labels and the filter -----------------------------------------


def _topic_conversations(count: int, start: int, seller, seller_sender, topic: str) -> None:
    """Conversations about a topic, each with a buyer of its own, both sides having written."""
    buyers = _buyer_for_row(f"topic-{topic}")
    for i in range(start, start + count):
        order = factories.order(buyer=buyers(i), seller=seller)
        factories.buyer_message(order, f"About parcel {i}")
        factories.seller_message(order, seller_sender)
        Conversation.objects.filter(order=order).update(topic=topic)


@pytest.mark.parametrize("query", ["", "?topic=return", "?filter=unread&sort=due&topic=return"])
def test_the_seller_inbox_with_topics_costs_the_same_for_a_full_page(
    client, avery, sam, northwind, query
):
    client.force_login(avery)
    url = reverse("seller_inbox") + query
    _topic_conversations(FEW, 0, northwind, sam, "return")
    _topic_conversations(FEW, 0, northwind, sam, "other")
    few = _measure(client, url)
    _topic_conversations(MANY - FEW, FEW, northwind, sam, "return")
    many = _measure(client, url)

    assert _shown(many.body, "seller_conversation") == PAGE_SIZE
    assert "Topic: Return" in many.body
    _assert_same_cost(few, many, SELLER_INBOX_BUDGET)


def test_the_buyer_inbox_with_topic_labels_costs_the_same_for_a_full_page(
    client, jordan, sam, northwind
):
    client.force_login(jordan)
    url = reverse("buyer_inbox")

    def add(count: int) -> None:
        for _ in range(count):
            order = factories.order(buyer=jordan, seller=northwind)
            factories.buyer_message(order, "Where is it?")
            factories.seller_message(order, sam)
            Conversation.objects.filter(order=order).update(topic="where_is_my_order")

    add(FEW)
    few = _measure(client, url)
    add(MANY - FEW)
    many = _measure(client, url)

    assert many.body.count("Topic: Where is my order") == PAGE_SIZE
    _assert_same_cost(few, many, BUYER_INBOX_BUDGET)
