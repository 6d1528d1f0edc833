"""`manage.py seed_demo` builds the documented demo marketplace, and only once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.utils import timezone

from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.messaging.models import Attachment, Message
from messagecenter.threads.models import Conversation
from orders.models import Order, OrderLine, Product

DEMO_PASSWORD = "demo-pass-123"
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
DEMO_LOGINS = {
    "buyer@example.com": "buyer",
    "seller@example.com": "owner",
    "agent@example.com": "agent",
    "admin@example.com": "admin",
}
STATUSES = {status.value for status in Order.Status}
COUNTED = (
    User,
    SellerBusiness,
    Membership,
    Product,
    Order,
    OrderLine,
    Conversation,
    Message,
    Attachment,
)


def _login_request():
    """authenticate() needs the request: failed logins are counted per client address."""
    return RequestFactory().post("/accounts/login/")


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker) -> Iterator[str]:
    """Seed once for the whole module (it takes seconds), and roll it all back after."""
    # The suite's fast hasher is set per test; the demo passwords must be hashed with it too.
    fast_hashing = override_settings(PASSWORD_HASHERS=[FAST_HASHER])
    with fast_hashing, django_db_blocker.unblock(), transaction.atomic():
        yield _seed()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_once, db) -> str:
    return _seeded_once


def test_running_it_again_adds_nothing(seeded):
    before = _counts()
    order_numbers = set(Order.objects.values_list("number", flat=True))

    output = _seed()

    assert _counts() == before
    assert set(Order.objects.values_list("number", flat=True)) == order_numbers
    assert "Demo marketplace ready." in output
    for email in DEMO_LOGINS:
        assert authenticate(_login_request(), username=email, password=DEMO_PASSWORD) is not None, (
            email
        )


def test_the_documented_logins_work(seeded):
    for email in DEMO_LOGINS:
        user = authenticate(_login_request(), username=email, password=DEMO_PASSWORD)
        assert user is not None, f"{email} cannot log in with the demo password"
        assert user.is_active
        assert email in seeded, "the command lists the demo logins it created"

    admin = User.objects.get(email="admin@example.com")
    assert admin.is_staff and admin.is_superuser
    assert Membership.objects.get(user__email="seller@example.com").role == "owner"
    assert Membership.objects.get(user__email="agent@example.com").role == "agent"
    assert not Membership.objects.filter(user__email="buyer@example.com").exists()


def test_two_businesses_each_with_an_owner_and_an_agent(seeded):
    businesses = SellerBusiness.objects.all()
    assert businesses.count() == 2
    for business in businesses:
        roles = sorted(business.memberships.values_list("role", flat=True))
        assert roles == ["agent", "owner"], business.name
        assert business.products.exists()


def test_at_least_five_buyers_with_orders(seeded):
    buyers = User.objects.filter(orders__isnull=False).distinct()
    assert buyers.count() >= 5
    assert not buyers.filter(memberships__isnull=False).exists()


def test_orders_span_the_last_sixty_days_in_every_status(seeded):
    now = timezone.now()
    orders = Order.objects.all()
    assert orders.count() >= 40
    assert set(orders.values_list("status", flat=True)) == STATUSES
    assert not orders.filter(ordered_at__lt=now - timedelta(days=60)).exists()
    assert not orders.filter(ordered_at__gt=now).exists()
    assert not orders.filter(lines__isnull=True).exists(), "every order has something in it"
    # Spread over the period, not all on one day.
    assert orders.filter(ordered_at__gte=now - timedelta(days=7)).exists()
    assert orders.filter(ordered_at__lt=now - timedelta(days=30)).exists()


def test_dates_fit_each_status(seeded):
    assert not Order.objects.filter(status="delivered", delivered_at__isnull=True).exists()
    assert not Order.objects.filter(status="shipped", shipped_at__isnull=True).exists()
    assert not Order.objects.filter(status="pending", shipped_at__isnull=False).exists()
    for order in Order.objects.exclude(shipped_at=None):
        assert order.shipped_at >= order.ordered_at, order.number


def test_the_demo_buyer_has_orders_in_every_status_with_both_businesses(seeded):
    buyer = User.objects.get(email="buyer@example.com")
    for business in SellerBusiness.objects.all():
        statuses = set(
            Order.objects.filter(buyer=buyer, seller=business).values_list("status", flat=True)
        )
        assert statuses == STATUSES, business.name


def test_some_conversations_with_messages_from_both_sides(seeded):
    conversations = Conversation.objects.all()
    assert conversations.count() >= 3
    assert not conversations.filter(messages__isnull=True).exists()
    sides = set(Message.objects.values_list("sender_side", flat=True))
    assert sides == {"buyer", "seller"}
    buyer = User.objects.get(email="buyer@example.com")
    assert conversations.filter(buyer=buyer).exists()
    # Demo messages count as already notified, so starting a worker sends no old emails;
    # the one held for review is notified when an administrator approves it.
    assert not Message.objects.filter(
        status="delivered", notification_sent_at__isnull=True
    ).exists()
    held = Message.objects.get(status="held")
    assert held.violations.filter(rule="content.inappropriate").exists()


# What a demo message talks about, and the product the order it is about must contain.
DEMO_TOPICS = {
    "the 20°F sleeping bag is back-ordered": "Down Sleeping Bag",
    "replacement tips fits these poles": "Trekking Poles",
    "The zipper on the sleeping bag broke": "Down Sleeping Bag",
    "the tent's rain fly seam-sealed": "Ultralight 2-Person Tent",
    "The duvet cover arrived": "Linen Duvet Cover",
    "engraved on the cutting board": "Personalized Cutting Board",
}


@pytest.mark.parametrize(("phrase", "product"), DEMO_TOPICS.items())
def test_each_demo_message_is_about_a_product_of_its_order(seeded, phrase, product):
    message = Message.objects.select_related("conversation__order").get(body_text__icontains=phrase)
    order = message.conversation.order
    titles = list(order.lines.values_list("title", flat=True))
    assert any(title.startswith(product) for title in titles), (
        f"{phrase!r} is about the {product}, but order {order.number} holds {titles}"
    )
