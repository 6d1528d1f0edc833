"""What a live page fetches on an event (inbox/views/live.py): only what its viewer may
see, through the same access functions as the pages, at a cost that does not grow with
what is new."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.replying import replying_started, replying_stopped
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(jordans_order) -> Conversation:
    factories.buyer_message(jordans_order, "Where is my parcel?")
    return Conversation.objects.get(order=jordans_order)


def _shown_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'id="message-(\d+)"', html)]


def _answers(conversation: Conversation, sam, count: int) -> list[int]:
    return [
        factories.reply(conversation, sam, Side.SELLER, f"Update number {n} on your parcel.").pk
        for n in range(count)
    ]


SIDES = {
    "buyer": ("buyer_live_messages", "buyer_live_status"),
    "seller": ("seller_live_messages", "seller_live_status"),
}


@pytest.mark.parametrize(
    ("who", "side", "status"),
    [
        ("jordan", "buyer", 200),  # the conversation's buyer
        ("priya", "buyer", 404),  # another buyer
        ("sam", "buyer", 404),  # the seller is not the buyer
        ("sam", "seller", 200),  # the seller's owner
        ("avery", "seller", 200),  # a team member
        ("maria", "seller", 404),  # another seller
        ("jordan", "seller", 404),
        ("morgan", "buyer", 404),  # an administrator has no conversation page
        ("morgan", "seller", 404),
    ],
)
@pytest.mark.parametrize("fragment", [0, 1])
def test_each_fragment_answers_only_the_conversations_people(
    client, who, side, status, fragment, conversation, request
):
    client.force_login(request.getfixturevalue(who))
    url = reverse(SIDES[side][fragment], args=[conversation.pk])

    response = client.get(url, {"after": "0"} if fragment == 0 else {})

    assert response.status_code == status
    if status == 404:
        assert b"Where is my parcel" not in response.content


@pytest.mark.parametrize("name", ["buyer_live_messages", "seller_live_status", "live_badges"])
def test_anonymous_is_sent_to_log_in(client, conversation, name):
    url = reverse(name) if name == "live_badges" else reverse(name, args=[conversation.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_new_messages_are_those_after_the_last_one_shown(client, jordan, sam, conversation):
    first = conversation.messages.get().pk
    new = _answers(conversation, sam, 2)
    client.force_login(jordan)

    response = client.get(reverse("buyer_live_messages", args=[conversation.pk]), {"after": first})

    assert _shown_ids(response.content.decode()) == new
    assert "Update number 1 on your parcel." in response.content.decode()
    assert 'aria-label="Message from Northwind Home Goods"' in response.content.decode()
    assert response["X-Live-More"] == "0"


def test_the_page_that_fetched_them_has_read_them(client, jordan, sam, conversation):
    _answers(conversation, sam, 1)
    client.force_login(jordan)
    badge = re.compile(r'aria-label="(\d+) unread"')
    assert badge.search(client.get(reverse("live_badges")).content.decode()).group(1) == "1"

    client.get(reverse("buyer_live_messages", args=[conversation.pk]), {"after": "0"})

    assert badge.search(client.get(reverse("live_badges")).content.decode()) is None


def test_a_long_absence_comes_in_batches(client, jordan, sam, conversation, monkeypatch):
    from messagecenter.inbox.views import live

    monkeypatch.setattr(live, "BATCH", 2)
    new = _answers(conversation, sam, 3)
    client.force_login(jordan)
    url = reverse("buyer_live_messages", args=[conversation.pk])

    first = client.get(url, {"after": conversation.messages.order_by("pk").first().pk})
    rest = client.get(url, {"after": new[1]})

    assert (_shown_ids(first.content.decode()), first["X-Live-More"]) == (new[:2], "1")
    assert (_shown_ids(rest.content.decode()), rest["X-Live-More"]) == (new[2:], "0")


@pytest.mark.parametrize("after", ["abc", "-1", "1.5", "٣"])
def test_a_malformed_position_is_a_bad_request(client, jordan, conversation, after):
    client.force_login(jordan)

    response = client.get(reverse("buyer_live_messages", args=[conversation.pk]), {"after": after})

    assert response.status_code == 400


def test_the_messages_fragment_costs_the_same_for_one_new_message_or_twenty(
    client, jordan, sam, conversation
):
    client.force_login(jordan)
    url = reverse("buyer_live_messages", args=[conversation.pk])

    def measured(count: int) -> int:
        after = conversation.messages.order_by("-pk").first().pk
        _answers(conversation, sam, count)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"after": after})
        assert len(_shown_ids(response.content.decode())) == count
        return len(captured.captured_queries)

    one, twenty = measured(1), measured(20)

    assert one == twenty
    # session, user, conversation (with the viewer's marker), messages, files, the read
    # marker's lock and write, and the navigation's businesses (the login decorator's)
    assert twenty <= 9


def test_a_held_or_blocked_message_of_the_other_side_is_not_fetched(
    client, jordan, sam, conversation
):
    first = conversation.messages.get().pk
    held = factories.reply(
        conversation, sam, Side.SELLER, "Please leave us a 5-star review and get a discount!"
    )
    assert held.status != "delivered"
    client.force_login(jordan)

    response = client.get(reverse("buyer_live_messages", args=[conversation.pk]), {"after": first})

    assert _shown_ids(response.content.decode()) == []


def test_seen_once_the_other_side_opened_the_conversation(client, jordan, sam, conversation):
    _answers(conversation, sam, 1)
    client.force_login(sam)
    status_url = reverse("seller_live_status", args=[conversation.pk])
    assert "Seen" not in client.get(status_url).content.decode()

    client.force_login(jordan)
    client.get(reverse("buyer_conversation", args=[conversation.pk]))
    client.force_login(sam)

    assert "Seen" in client.get(status_url).content.decode()
    # The buyer's own page never says his last word was seen by himself.
    client.force_login(jordan)
    buyer_status = client.get(reverse("buyer_live_status", args=[conversation.pk]))
    assert "Seen" not in buyer_status.content.decode()


def test_the_seller_page_shows_seen_without_javascript(client, jordan, sam, conversation):
    _answers(conversation, sam, 1)
    client.force_login(jordan)
    client.get(reverse("buyer_conversation", args=[conversation.pk]))
    client.force_login(sam)

    page = client.get(reverse("seller_conversation", args=[conversation.pk])).content.decode()

    assert '<p class="live-status__seen">Seen</p>' in page


def test_who_is_replying_is_shown_to_teammates_only(client, jordan, sam, avery, conversation):
    replying_started(conversation.pk, avery.pk)
    try:
        client.force_login(sam)
        for url in (
            reverse("seller_live_status", args=[conversation.pk]),
            reverse("seller_conversation", args=[conversation.pk]),
        ):
            assert "Avery Lee is replying" in client.get(url).content.decode()
        client.force_login(avery)  # not herself
        status = client.get(reverse("seller_live_status", args=[conversation.pk]))
        assert "is replying" not in status.content.decode()
        client.force_login(jordan)  # never the buyer
        for url in (
            reverse("buyer_live_status", args=[conversation.pk]),
            reverse("buyer_conversation", args=[conversation.pk]),
        ):
            assert "is replying" not in client.get(url).content.decode()
    finally:
        replying_stopped(conversation.pk, avery.pk)

    client.force_login(sam)
    status = client.get(reverse("seller_live_status", args=[conversation.pk]))
    assert "is replying" not in status.content.decode()


def test_a_writer_who_stops_sending_frames_is_forgotten(avery, conversation, settings):
    from messagecenter.threads import replying

    settings.LIVE_REPLYING_SECONDS = 1
    replying_started(conversation.pk, avery.pk)
    assert replying.replying_user_ids(conversation.pk) == [avery.pk]

    import time

    time.sleep(1.1)

    assert replying.replying_user_ids(conversation.pk) == []


def test_the_badges_fragment_shows_the_navigation_counts(client, sam, avery, conversation):
    client.force_login(avery)

    html = client.get(reverse("live_badges")).content.decode()

    assert "data-live-badges" in html
    assert 'aria-label="1 unread"' in html


def test_a_tab_in_the_background_fetches_without_reading(client, jordan, sam, conversation):
    """The page asks with read=0 while hidden: the seller must not see "Seen" for a message
    nobody looked at, and the buyer's unread badge stays until the tab is shown."""
    _answers(conversation, sam, 1)
    client.force_login(jordan)
    badge = re.compile(r'aria-label="(\d+) unread"')
    url = reverse("buyer_live_messages", args=[conversation.pk])

    hidden = client.get(url, {"after": "0", "read": "0"})

    assert len(_shown_ids(hidden.content.decode())) == 2
    assert badge.search(client.get(reverse("live_badges")).content.decode()).group(1) == "1"
    client.force_login(sam)
    status_url = reverse("seller_live_status", args=[conversation.pk])
    assert "Seen" not in client.get(status_url).content.decode()

    client.force_login(jordan)
    client.get(url, {"after": "0"})  # the tab is shown

    assert badge.search(client.get(reverse("live_badges")).content.decode()) is None
    client.force_login(sam)
    assert "Seen" in client.get(status_url).content.decode()
