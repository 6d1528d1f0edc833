"""The seller's workspace as the server renders it: the list beside the open conversation,
the pane alone for the page's script, the order panel, the filter tabs' counts, and what
each costs (who may open the pane: test_authorization.py's matrix)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from messagecenter.messaging.business_counts import business_counts_changed
from messagecenter.threads.assignment import conversation_assign
from messagecenter.threads.models import Conversation
from tests import factories

PANE_BUDGET = 8  # session, user, navigation, conversation, messages (+ team), files, lines + 1
WORKSPACE_BUDGET = 10  # tests/test_query_counts.py: SELLER_CONVERSATION_BUDGET


def _conversation(order) -> Conversation:
    factories.buyer_message(order)
    return Conversation.objects.get(order=order)


def _tabs(body: str) -> dict[str, int]:
    found = re.findall(r'>([A-Z][a-z0-9 ]+) <span class="tabs__count">(\d+)</span></a>', body)
    return {label: int(n) for label, n in found}


def test_the_conversation_opens_beside_the_list_of_the_filter_it_came_from(
    client, avery, northwind, jordans_order
):
    conversation = _conversation(jordans_order)
    lee = factories.user("lee@example.com")
    other = _conversation(factories.order(buyer=lee, seller=northwind))
    client.force_login(avery)

    url = reverse("seller_conversation", args=[conversation.pk]) + "?filter=awaiting&sort=due"
    body = client.get(url).content.decode()

    # The list of that filter and order, each row keeping them, the open one marked.
    open_row = f'href="/seller/messages/{conversation.pk}/?filter=awaiting&amp;sort=due"'
    assert open_row in body
    assert re.search(re.escape(open_row) + r'[^>]*aria-current="page"', body)
    assert f'href="/seller/messages/{other.pk}/?filter=awaiting&amp;sort=due"' in body
    assert not re.search(rf'messages/{other.pk}/\?[^"]*"[^>]*aria-current', body)
    # ... and the conversation: its thread, its reply form posting back here, its tools.
    assert "Where is my parcel?" in body
    assert f'action="/seller/messages/{conversation.pk}/?filter=awaiting&amp;sort=due"' in body
    assert 'data-shortcut="a"' in body and 'data-shortcut="n"' in body
    assert 'data-shortcut="r"' in body
    assert 'href="/seller/messages/?filter=awaiting&amp;sort=due" data-pane-back' in body


def test_the_inbox_shows_the_list_with_an_empty_pane(client, sam, jordans_order):
    conversation = _conversation(jordans_order)
    client.force_login(sam)
    body = client.get(reverse("seller_inbox")).content.decode()
    assert "No conversation open." in body
    assert f'data-pane-link="/seller/messages/{conversation.pk}/pane"' in body
    assert 'aria-current="page" >' not in body
    # The live refresh asks for the list with the open row marked.
    marked = client.get(reverse("seller_inbox") + f"?open={conversation.pk}").content.decode()
    assert re.search(rf'href="/seller/messages/{conversation.pk}/"[^>]*aria-current="page"', marked)


def test_the_pane_alone_is_the_conversation_without_the_list(client, avery, jordans_order):
    conversation = _conversation(jordans_order)
    client.force_login(avery)

    response = client.get(
        reverse("seller_conversation_pane", args=[conversation.pk]) + "?filter=unread"
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<div data-pane-fragment")
    assert f'data-pane-title="Order {jordans_order.number} · Message Center"' in body
    assert "Where is my parcel?" in body
    assert "<html" not in body and "data-live-region" not in body  # no page, no list
    # Its live settings, for the page to follow this conversation.
    assert 'id="live" data-socket="/ws/live/"' in body
    assert f'data-conversation="{conversation.pk}"' in body
    # Its forms lead to the workspace page of the same list, not to the fragment.
    assert f'action="/seller/messages/{conversation.pk}/?filter=unread"' in body
    assert f'action="/seller/messages/{conversation.pk}/assign/?filter=unread"' in body
    # Opening it read it, as the page does.
    assert (
        client.get(reverse("seller_inbox") + "?filter=unread")
        .content.decode()
        .count("inbox__row--unread")
        == 0
    )


def test_the_pane_answers_only_get(client, avery, jordans_order):
    conversation = _conversation(jordans_order)
    client.force_login(avery)
    url = reverse("seller_conversation_pane", args=[conversation.pk])
    assert client.post(url, {"body": "Hello"}).status_code == 405
    assert conversation.messages.count() == 1


def test_assigning_from_the_workspace_comes_back_to_the_same_list(
    client, sam, avery, jordans_order
):
    conversation = _conversation(jordans_order)
    client.force_login(sam)
    response = client.post(
        reverse("conversation_assign", args=[conversation.pk]) + "?filter=mine&sort=due",
        {"assignee": avery.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/seller/messages/{conversation.pk}/?filter=mine&sort=due"


def test_the_order_panel_shows_items_status_dates_and_the_opt_out(client, avery, jordan, northwind):
    order = factories.order(buyer=jordan, seller=northwind, status="shipped", lines=2)
    conversation = _conversation(order)
    client.force_login(avery)
    url = reverse("seller_conversation", args=[conversation.pk])

    body = client.get(url).content.decode()
    panel = body[body.index('class="card order-panel"') :]
    assert "2 × Linen Duvet Cover #1" in panel and "2 × Linen Duvet Cover #2" in panel
    assert "$19.99 each · $39.98" in panel  # Decimal prices, quantity times unit price
    assert "Total <strong>$79.96</strong>" in panel
    assert "Shipped" in panel and order.ordered_at.strftime("%Y") in panel
    assert 'class="status status--shipped"' in panel or "Shipped" in panel
    assert 'data-opt-out="in"' in panel
    assert "Jordan Miles receives every message type." in panel or "receives every" in panel

    jordan.opted_out_of_unsolicited = True
    jordan.save(update_fields=["opted_out_of_unsolicited"])
    panel = client.get(url).content.decode()
    assert 'data-opt-out="out"' in panel
    assert "has opted out of unsolicited messages." in panel
    assert "Your replies here still reach them" in panel  # the buyer started it


def test_every_tab_shows_its_count(client, sam, avery, jordan, northwind):
    orders = [
        factories.order(buyer=factories.user(f"b{n}@example.com"), seller=northwind)
        for n in range(3)
    ]
    conversations = [_conversation(order) for order in orders]
    conversation_assign(conversation=conversations[0], assignee=avery, by=sam)
    factories.reply(conversations[1], sam, "seller", "It ships today.")
    Conversation.objects.filter(pk=conversations[2].pk).update(
        reply_due_at=timezone.now() + timedelta(hours=2)
    )
    business_counts_changed(northwind.pk)  # a due time written around the services
    client.force_login(avery)

    tabs = _tabs(client.get(reverse("seller_inbox")).content.decode())

    assert tabs == {
        "All": 3,
        "Unread": 3,
        "Awaiting reply": 2,
        "Due within 4 hours": 1,
        "Assigned to me": 1,
        "Unassigned": 2,
    }


def test_a_new_conversation_and_an_assignment_change_the_kept_counts(
    client, sam, avery, jordans_order, northwind
):
    client.force_login(sam)
    assert _tabs(client.get(reverse("seller_inbox")).content.decode()) == {}
    conversation = _conversation(jordans_order)
    tabs = _tabs(client.get(reverse("seller_inbox")).content.decode())
    assert tabs["All"] == 1 and tabs["Unassigned"] == 1
    conversation_assign(conversation=conversation, assignee=sam, by=sam)
    tabs = _tabs(client.get(reverse("seller_inbox")).content.decode())
    assert tabs["Assigned to me"] == 1 and "Unassigned" not in tabs


def _measure(client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm up: first-visit writes happen here
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_two_panes_cost_the_same_however_many_rows_and_messages(
    client, sam, avery, northwind, jordans_order
):
    conversation = _conversation(jordans_order)
    # One unread beside it, so Avery's unread count is kept from the start (a count of 0
    # is counted on each page, not stored: threads/unread.py).
    _conversation(factories.order(buyer=factories.user("first@example.com"), seller=northwind))
    client.force_login(avery)
    page = reverse("seller_conversation", args=[conversation.pk])
    pane = reverse("seller_conversation_pane", args=[conversation.pk])
    few = _measure(client, page), _measure(client, pane)

    for n in range(30):
        other = factories.order(buyer=factories.user(f"many{n}@example.com"), seller=northwind)
        conversation_assign(conversation=_conversation(other), assignee=avery, by=sam)
    for n in range(5):  # within one page of messages (a longer one: test_query_counts.py)
        factories.reply(conversation, sam, "seller", f"Answer {n}")
        factories.reply(conversation, jordans_order.buyer, "buyer", f"Question {n}")
    many = _measure(client, page), _measure(client, pane)

    assert few == many
    assert many[0] <= WORKSPACE_BUDGET
    assert many[1] <= PANE_BUDGET
