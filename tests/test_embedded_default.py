"""The embedded default works: `make run` with no DATABASE_URL runs on SQLite.

The SQLite lane of `make test` runs this module (and a chosen part of the suite) with
DATABASE_URL pointing at a SQLite file: the test database is built by the migrations, the
demo is seeded with `seed_demo`, and the people of the demo walk the main flows through
the real views and services, the way `make run` serves them. After every write the kept
counts are checked against a recount (`repair_counts --check`, `repair_rollup --check`),
so a SQLite body of a PostgreSQL statement that drifts fails here.

On PostgreSQL the rest of the suite covers these flows; the module is skipped there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from messagecenter.accounts.models import SellerBusiness, User
from messagecenter.api.tokens import api_token_create
from messagecenter.clock.models import ReplyReminder, ResponseDay
from messagecenter.clock.reminders import reply_clock_sweep
from messagecenter.clock.tasks import sweep_reply_clocks
from messagecenter.core.keyset import older_than
from messagecenter.messaging.models import Message
from messagecenter.relay.inbound import receive_email
from messagecenter.threads.models import Conversation, UnreadCount
from messagecenter.threads.selectors import InboxFilter, InboxSort, inbox_sort_keys, seller_inbox
from orders.models import Order
from orders.selectors import ORDER_KEYS
from tests.relay.emails import email_from, seller_address

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the embedded default's lane: runs with DATABASE_URL=sqlite:///... (make test)",
)

FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The demo, seeded once for the module; each test's writes roll back after it."""
    with (
        override_settings(PASSWORD_HASHERS=[FAST_HASHER]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(_seeded_once, db) -> None:
    """The seeded demo, and no email sent yet."""
    mail.outbox.clear()


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """``with worker():`` runs what the writes inside queued after their commit (emails,
    reminders), as a worker would: the test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def person(email: str) -> User:
    return User.objects.get(email=email)


def logged_in(client, email: str):
    client.force_login(person(email))
    return client


def northwind() -> SellerBusiness:
    return SellerBusiness.objects.get(name="Northwind Home Goods")


def conversation_of(buyer_email: str, business: str) -> Conversation:
    return Conversation.objects.get(buyer__email=buyer_email, seller__name=business)


def counts_and_rollup_are_right() -> None:
    """Both repair commands' checks pass: the kept counts equal a recount."""
    out = StringIO()
    call_command("repair_counts", "--check", stdout=out)
    call_command("repair_rollup", "--check", stdout=out)
    assert "Every unread count is right." in out.getvalue()
    assert "The rollup matches the messages." in out.getvalue()


def unread_badge(page: str) -> int:
    """The navigation's unread count, as the page shows it (0 when there is none)."""
    found = re.search(r'aria-label="(\d+) unread"', page)
    return int(found.group(1)) if found else 0


def test_the_demo_is_seeded_on_sqlite(demo, _seeded_once):
    assert connection.vendor == "sqlite"
    assert "Demo marketplace ready." in _seeded_once
    assert Order.objects.count() >= 40
    assert Message.objects.filter(status=Message.Status.HELD).count() == 1
    assert Conversation.objects.filter(reply_due_at__isnull=False).exists()
    counts_and_rollup_are_right()


def test_buyer_reads_the_inbox_and_a_conversation(demo, client):
    logged_in(client, "buyer@example.com")
    inbox = client.get(reverse("buyer_inbox")).content.decode()
    assert "Northwind Home Goods" in inbox and "Cascade Outdoor Supply" in inbox
    unread_before = unread_badge(inbox)
    assert unread_before >= 1

    conversation = conversation_of("buyer@example.com", "Cascade Outdoor Supply")
    page = client.get(reverse("buyer_conversation", args=[conversation.pk])).content.decode()
    assert "back-ordered by about four days" in page

    assert unread_badge(client.get(reverse("buyer_inbox")).content.decode()) == unread_before - 1
    counts_and_rollup_are_right()


def test_seller_inbox_tabs_sorts_and_pages(demo, client):
    logged_in(client, "seller@example.com")
    everything = client.get(reverse("seller_inbox"), {"filter": "all"}).content.decode()
    for buyer in ("Jordan Miles", "Priya", "Tom"):
        assert buyer in everything
    awaiting = client.get(reverse("seller_inbox"), {"filter": "awaiting"}).content.decode()
    assert "Priya" in awaiting and "Tom" not in awaiting
    unread = client.get(reverse("seller_inbox"), {"filter": "unread"}).content.decode()
    assert "Priya" in unread
    for sort in InboxSort:
        by_sort = client.get(reverse("seller_inbox"), {"sort": sort.value}).content.decode()
        assert "Priya" in by_sort

    # An Older page starts after the row its cursor was taken from.
    rows = list(seller_inbox(person("seller@example.com"), InboxFilter.ALL))
    cursor = older_than(rows[0], inbox_sort_keys())
    older = client.get(reverse("seller_inbox"), {"cursor": cursor}).content.decode()
    assert reverse("seller_conversation", args=[rows[0].pk]) not in older
    assert reverse("seller_conversation", args=[rows[1].pk]) in older


def test_manage_orders_searches_and_pages(demo, client):
    logged_in(client, "seller@example.com")
    priya = person("priya@example.com")
    by_name = client.get(reverse("seller_orders"), {"q": "priya"}).content.decode()
    priyas = Order.objects.filter(buyer=priya, seller=northwind())
    assert priyas.exists()
    for order in priyas:
        assert order.number in by_name
    others = Order.objects.filter(seller=northwind()).exclude(buyer=priya)
    assert not any(order.number in by_name for order in others)

    duvet = Order.objects.filter(seller=northwind(), lines__sku="NW-DUV-Q-SG").first()
    assert duvet is not None
    by_sku = client.get(reverse("seller_orders"), {"q": "NW-DUV-Q-SG"}).content.decode()
    assert duvet.number in by_sku

    newest_first = list(Order.objects.filter(seller=northwind()).order_by("-ordered_at", "-id"))
    edge = newest_first[4]
    older = client.get(
        reverse("seller_orders"), {"cursor": older_than(edge, ORDER_KEYS)}
    ).content.decode()
    assert edge.number not in older and newest_first[5].number in older


def test_contact_buyer_sends_and_the_buyer_sees_it(demo, client, worker):
    order = Order.objects.filter(
        buyer__email="buyer@example.com", seller=northwind(), status="shipped"
    ).first()
    logged_in(client, "seller@example.com")
    form = client.get(reverse("contact_buyer", args=[order.number]))
    assert form.status_code == 200

    with worker():
        response = client.post(
            reverse("contact_buyer", args=[order.number]),
            {
                "message_type": "confirm_delivery_details",
                "subject": "Delivery window",
                "body": "Which day suits you for delivery?",
            },
        )

    assert response.status_code == 302
    sent = Message.objects.get(subject="Delivery window")
    assert sent.status == Message.Status.DELIVERED
    assert any(email.to == ["buyer@example.com"] for email in mail.outbox)
    logged_in(client, "buyer@example.com")
    inbox = client.get(reverse("buyer_inbox")).content.decode()
    assert "Which day suits you" in inbox
    counts_and_rollup_are_right()


def test_a_seller_reply_from_the_web_form_stops_the_clock(demo, client, worker):
    conversation = conversation_of("priya@example.com", "Northwind Home Goods")
    assert conversation.reply_due_at is not None
    logged_in(client, "agent@example.com")

    with worker():
        response = client.post(
            reverse("seller_conversation", args=[conversation.pk]),
            {"body": "We will post a replacement tie today; no need to return the cover."},
        )

    assert response.status_code == 302
    reply = Message.objects.get(body_text__startswith="We will post a replacement tie")
    assert (reply.sender.email, reply.status) == ("agent@example.com", "delivered")
    question = Message.objects.get(body_text__startswith="The duvet cover arrived")
    assert question.answered_by_message == reply and question.response_seconds is not None
    conversation.refresh_from_db()
    assert conversation.reply_due_at is None
    assert any(email.to == ["priya@example.com"] for email in mail.outbox)
    counts_and_rollup_are_right()

    performance = logged_in(client, "seller@example.com").get(reverse("seller_performance"))
    assert performance.status_code == 200
    assert "Avery Lee" in performance.content.decode()


def test_a_seller_reply_through_the_api(demo):
    conversation = conversation_of("buyer@example.com", "Northwind Home Goods")
    key = api_token_create(user=person("seller@example.com"), name="Helpdesk").key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/conversations").status_code == 200

    reply = api.post(
        f"/api/v1/conversations/{conversation.pk}/messages",
        {"text": "The courier has the concierge note."},
        format="json",
    )

    assert reply.status_code == 201, reply.json()
    sent = Message.objects.get(pk=reply.json()["message"]["id"])
    assert (sent.via, sent.message_type, sent.status) == ("api", "reply", "delivered")
    detail = api.get(f"/api/v1/conversations/{conversation.pk}").json()
    assert detail["awaiting_reply"] is False
    counts_and_rollup_are_right()


def test_a_buyer_reply_is_unread_for_the_team(demo, client):
    conversation = conversation_of("buyer@example.com", "Cascade Outdoor Supply")
    logged_in(client, "maria@cascade.example")
    client.get(reverse("seller_conversation", args=[conversation.pk]))
    before = unread_badge(client.get(reverse("seller_inbox")).content.decode())

    logged_in(client, "buyer@example.com")
    response = client.post(
        reverse("buyer_conversation", args=[conversation.pk]),
        {"body": "Thanks, four days is fine. Please ship when it arrives."},
    )

    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.reply_due_at is not None
    logged_in(client, "maria@cascade.example")
    inbox = client.get(reverse("seller_inbox"), {"filter": "unread"}).content.decode()
    assert unread_badge(inbox) == before + 1
    assert "Thanks, four days is fine" in inbox
    counts_and_rollup_are_right()


def test_an_email_reply_is_received_into_the_conversation(demo, client):
    buyer = person("buyer@example.com")
    to_seller = seller_address(buyer, northwind())

    [result] = receive_email(
        email_from(
            "Jordan Miles <buyer@example.com>",
            to_seller,
            text="I will be home all Friday, no concierge needed.",
        ),
        envelope_from="buyer@example.com",
        recipients=[to_seller],
    )

    assert result.accepted, result
    stored = result.message
    assert stored.conversation == conversation_of("buyer@example.com", "Northwind Home Goods")
    assert (stored.via, stored.sender, stored.status) == ("email", buyer, "delivered")
    stored.refresh_from_db()
    assert stored.reply_due_at is not None, "the buyer's email starts the reply clock"
    logged_in(client, "seller@example.com")
    inbox = client.get(reverse("seller_inbox"), {"filter": "unread"}).content.decode()
    assert "I will be home all Friday" in inbox
    counts_and_rollup_are_right()


def test_an_administrator_approves_the_held_message(demo, client):
    held = Message.objects.get(status=Message.Status.HELD)
    logged_in(client, "admin@example.com")
    queue = client.get(reverse("review_queue")).content.decode()
    assert "Broken zipper" in queue

    response = client.post(reverse("review_message", args=[held.pk]), {"decision": "approve"})

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Message.Status.DELIVERED
    assert "Broken zipper" not in client.get(reverse("review_queue")).content.decode()
    assert held.conversation.reply_due_at is not None or held.reply_due_at is not None
    counts_and_rollup_are_right()


def test_the_clock_sweep_marks_late_and_sends_reminders(demo, settings, worker):
    # Remind 22 hours ahead: the demo's newest buyer messages are a few hours old.
    settings.REPLY_REMINDER_HOURS_BEFORE = (22,)

    with worker():
        result = sweep_reply_clocks.delay().get()

    assert result["claimed"] >= 1
    reminder = ReplyReminder.objects.select_related("conversation__seller").first()
    assert reminder.outcome == ReplyReminder.Outcome.SENT
    team = set(reminder.conversation.seller.memberships.values_list("user__email", flat=True))
    reminded = {address for email in mail.outbox for address in email.to}
    assert team & reminded

    # Two days on, every clock still running has turned late.
    later = reply_clock_sweep(timezone.now() + timedelta(days=2))
    assert later.marked_late >= 1
    assert not Message.objects.filter(
        reply_due_at__isnull=False,
        answered_at__isnull=True,
        no_response_needed_at__isnull=True,
        late_at__isnull=True,
    ).exists()
    counts_and_rollup_are_right()


def test_the_repair_commands_find_and_fix_a_wrong_count(demo, client):
    # The team's count is kept from the first page that shows it.
    logged_in(client, "seller@example.com").get(reverse("seller_inbox"))
    assert UnreadCount.objects.filter(business=northwind()).update(unread=99) >= 1
    with pytest.raises(Exception, match="unread counts are wrong"):
        call_command("repair_counts", "--check", stdout=StringIO())
    call_command("repair_counts", stdout=StringIO())

    assert ResponseDay.objects.filter(business=northwind()).update(received=99) >= 1
    with pytest.raises(Exception, match="rollup rows differ"):
        call_command("repair_rollup", "--check", stdout=StringIO())
    call_command("repair_rollup", stdout=StringIO())
    counts_and_rollup_are_right()
