"""A conversation's messages, the inbox and order lists' rows, the product cards and Manage
Orders' search form are rendered once and then shown from
the fragment cache, and whatever a row shows that changes (a status, a name, a body, a
line) is shown changed at once: the fragment's key is its version."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation, Side
from orders.models import Order, OrderLine, Product
from tests import factories

MESSAGE_TEMPLATE = "includes/message.html"


def _rendered_messages(response) -> int:
    """How many messages the page rendered through the template (not taken as kept)."""
    return sum(1 for t in response.templates if t.name == MESSAGE_TEMPLATE)


def _articles(body: str) -> list[str]:
    return re.findall(r'<article class="message.*?</article>', body, flags=re.S)


@pytest.fixture
def conversation(jordans_order, sam) -> Conversation:
    factories.buyer_message(jordans_order, "Where is my parcel?")
    conversation = Conversation.objects.get(order=jordans_order)
    factories.reply(conversation, sam, Side.SELLER, "It left our warehouse today.")
    return conversation


@pytest.mark.parametrize("page", ["seller_conversation", "contact_buyer"])
def test_messages_are_rendered_once_and_shown_the_same_after(client, sam, conversation, page):
    client.force_login(sam)
    args = [conversation.pk] if page == "seller_conversation" else [conversation.order.number]
    url = reverse(page, args=args)

    first = client.get(url)
    again = client.get(url)

    assert _rendered_messages(first) == 2
    assert _rendered_messages(again) == 0
    body = again.content.decode()
    assert "Where is my parcel?" in body and "It left our warehouse today." in body
    assert _articles(first.content.decode()) == _articles(body)


def test_a_changed_status_name_or_body_shows_at_once(client, sam, jordan, conversation):
    client.force_login(sam)
    url = reverse("seller_conversation", args=[conversation.pk])
    client.get(url)
    answer = Message.objects.get(conversation=conversation, sender_side=Side.SELLER)

    Message.objects.filter(pk=answer.pk).update(
        status=Message.Status.REJECTED, rejection_reason="It names a payment outside the site."
    )
    jordan.display_name = "Jordan L."
    jordan.save(update_fields=["display_name"])
    question = Message.objects.get(conversation=conversation, sender_side=Side.BUYER)
    Message.objects.filter(pk=question.pk).update(body_html="<p>Redacted by review.</p>")

    page = client.get(url)
    body = page.content.decode()
    assert _rendered_messages(page) == 2
    assert "Not delivered: rejected by review." in body
    assert "It names a payment outside the site." in body
    assert 'aria-label="Message from Jordan L."' in body
    assert "Redacted by review." in body and "Where is my parcel?" not in body


ORDER_ROW_TEMPLATE = "includes/seller_order_row.html"


def _rendered_order_rows(response) -> int:
    return sum(1 for t in response.templates if t.name == ORDER_ROW_TEMPLATE)


def test_order_rows_are_rendered_once_and_a_change_shows_at_once(
    client, avery, jordan, jordans_order, northwind
):
    other = factories.order(buyer=jordan, seller=northwind, days_ago=9)
    client.force_login(avery)
    url = reverse("seller_orders")

    first = client.get(url)
    again = client.get(url)
    assert (_rendered_order_rows(first), _rendered_order_rows(again)) == (2, 0)
    assert first.content.decode().count("<tr>") == again.content.decode().count("<tr>")

    Order.objects.filter(pk=other.pk).update(status="delivered")
    OrderLine.objects.filter(order=jordans_order).update(title="Wool Throw Blanket", quantity=3)
    changed = client.get(url)
    body = changed.content.decode()
    assert _rendered_order_rows(changed) == 2
    assert "3 × Wool Throw Blanket" in body
    assert '<span class="status status--delivered">Delivered</span>' in body


INBOX_ROW_TEMPLATE = "includes/inbox_row.html"


def test_inbox_rows_are_rendered_once_and_show_a_change_at_once(client, sam, conversation):
    client.force_login(sam)
    url = reverse("seller_inbox")
    first = client.get(url)
    again = client.get(url)
    rendered = [sum(1 for t in r.templates if t.name == INBOX_ROW_TEMPLATE) for r in (first, again)]
    assert rendered == [1, 0]
    assert "inbox__row--unread" not in again.content.decode()  # Sam answered it

    factories.buyer_message(conversation.order, "One more question.")
    changed = client.get(url).content.decode()
    assert "inbox__row--unread" in changed
    assert "One more question." in changed
    assert "Awaiting reply" in changed and "due in 23 h" in changed


def _rendered(response, template_name: str) -> int:
    return sum(1 for t in response.templates if t.name == template_name)


def _without_csrf_token(response) -> str:
    """The page as shown, less the token that is masked anew in every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _rendered_once(client, url: str, card: str):
    """Visit twice: the one card is rendered on the first visit only, and the second page
    is the same. Returns the second response."""
    first = client.get(url)
    again = client.get(url)
    assert (_rendered(first, card), _rendered(again, card)) == (1, 0)
    assert _without_csrf_token(first) == _without_csrf_token(again)
    return again


@pytest.fixture
def no_kept_fragments() -> None:
    """Rows kept by an earlier test with the same ids and values would count as kept."""
    caches[settings.FRAGMENT_CACHE].clear()


def test_your_orders_cards_are_rendered_once_and_a_change_shows_at_once(
    client, jordan, jordans_order, no_kept_fragments
):
    client.force_login(jordan)
    url = reverse("buyer_orders")
    card = "includes/buyer_order_card.html"

    again = _rendered_once(client, url, card)
    assert f'Contact seller<span class="visually-hidden"> about order {jordans_order.number}' in (
        again.content.decode()
    )

    Order.objects.filter(pk=jordans_order.pk).update(status="delivered")
    OrderLine.objects.filter(order=jordans_order).update(title="Wool Throw Blanket", quantity=3)
    changed = client.get(url)
    body = changed.content.decode()
    assert _rendered(changed, card) == 1
    assert "3 × Wool Throw Blanket" in body
    assert '<span class="status status--delivered">Delivered</span>' in body


def test_product_cards_are_rendered_once_and_a_change_shows_at_once(
    client, jordan, northwind, no_kept_fragments
):
    product = factories.product(northwind, "Cast Iron Skillet", price="39.00")
    client.force_login(jordan)
    url = reverse("products")
    card = "includes/product_card.html"

    again = _rendered_once(client, url, card)
    assert reverse("ask_product", args=[product.pk]) in again.content.decode()

    Product.objects.filter(pk=product.pk).update(price=Decimal("35.50"))
    changed = client.get(url)
    assert _rendered(changed, card) == 1
    assert "$35.50" in changed.content.decode() and "$39.00" not in changed.content.decode()


def test_the_order_search_form_is_kept_by_what_was_typed(client, avery, no_kept_fragments):
    client.force_login(avery)
    url = reverse("seller_orders")
    form = "includes/order_search_form.html"

    hoffmann = client.get(url, {"q": "Hoffmann"})
    carter = client.get(url, {"q": "Carter"})
    hoffmann_again = client.get(url, {"q": "Hoffmann"})
    assert [_rendered(r, form) for r in (hoffmann, carter, hoffmann_again)] == [1, 1, 0]
    assert 'value="Hoffmann"' in hoffmann_again.content.decode()
    assert 'value="Carter"' in carter.content.decode()

    backwards = {"ordered_from": "2026-03-02", "ordered_to": "2026-03-01"}
    refused = client.get(url, backwards)
    refused_again = client.get(url, backwards)
    assert _rendered(refused_again, form) == 0
    for response in (refused, refused_again):
        assert "“Ordered from” must be on or before “Ordered to”." in response.content.decode()
    assert "must be on or before" not in client.get(url).content.decode()
