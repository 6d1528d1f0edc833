"""What the review pages read: the staff navigation's held count (once, with the queue's
pages), no unread counts it does not show, and the queue's rules with its lines."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messagecenter.accounts.models import Membership
from messagecenter.messaging.models import Message
from messagecenter.moderation.models import MessageViolation
from tests import factories


def _hold(order, sender, count: int) -> None:
    for i in range(count):
        message = factories.seller_message(order, sender, f"Please check the address, {i}.")
        Message.objects.filter(pk=message.pk).update(status=Message.Status.HELD)


def _queries(client, url: str) -> list[str]:
    client.get(url)  # warm up: kept restrictions and first-visit writes
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_a_review_page_reads_no_unread_count(client, morgan, jordans_order, sam):
    """The staff navigation shows the review queue, not a Messages badge: an
    administrator's unread conversations are neither read nor counted."""
    _hold(jordans_order, sam, 2)
    client.force_login(morgan)

    for url in (
        reverse("review_queue"),
        reverse(
            "review_message",
            args=[Message.objects.get(status=Message.Status.HELD, body_text__endswith="0.").pk],
        ),
    ):
        queries = _queries(client, url)
        assert not [sql for sql in queries if "threads_unreadcount" in sql], url
        assert not [sql for sql in queries if 'FROM "threads_conversation"' in sql], url


def test_the_queue_counts_what_is_waiting_once_for_the_badge_and_its_pages(
    client, morgan, jordans_order, sam
):
    _hold(jordans_order, sam, 30)
    client.force_login(morgan)

    queries = _queries(client, reverse("review_queue"))
    page = client.get(reverse("review_queue")).content.decode()

    assert len([sql for sql in queries if "COUNT(" in sql]) == 1
    assert re.search(r'<span class="badge" aria-label="30 waiting">30</span>', page)
    assert "Page 1 of 2" in page
    assert len(set(re.findall(r'href="/review/(\d+)/"', page))) == 25
    second = client.get(reverse("review_queue") + "?page=2").content.decode()
    assert len(set(re.findall(r'href="/review/(\d+)/"', second))) == 5


def test_a_filtered_queue_counts_its_own_pages(client, morgan, jordans_order, sam, cascade):
    """The navigation's badge counts every held message; a seller's filter pages by that
    seller's own."""
    _hold(jordans_order, sam, 30)
    client.force_login(morgan)

    page = client.get(reverse("review_queue") + f"?seller={cascade.pk}").content.decode()

    assert 'aria-label="30 waiting"' in page
    assert "Nothing is waiting for review." in page
    assert "Page 1 of 2" not in page


def test_staff_who_work_for_a_seller_still_see_the_sellers_settings(client, morgan, northwind):
    """The navigation's seller facts are read when a page asks for them."""
    Membership.objects.create(user=morgan, business=northwind, role="agent")
    client.force_login(morgan)

    page = client.get(reverse("notification_settings")).content.decode()

    assert "Sending addresses" in page


def test_each_line_shows_its_rules_once_in_the_order_found(client, morgan, jordans_order, sam):
    """The rules are read with the lines; filtering by a rule keeps every rule of a line."""
    _hold(jordans_order, sam, 2)
    first, second = Message.objects.filter(status=Message.Status.HELD).order_by("created_at", "id")
    for message, rules in (
        (first, ["link.external", "contact.email", "link.external"]),
        (second, []),
    ):
        for rule in rules:
            MessageViolation.objects.create(
                message=message, rule=rule, action="flag", explanation="", location="body"
            )
    client.force_login(morgan)

    for query in ("", "?rule=contact.email"):
        response = client.get(reverse("review_queue") + query)
        assert response.status_code == 200
        page = response.content.decode()
        line = page.split(f'href="/review/{first.pk}/"')[1].split("</tr>")[0]
        assert re.findall(r'chip--attention">([\w.]+)<', line) == ["link.external", "contact.email"]
