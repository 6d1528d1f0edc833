"""The scale benchmark's marketplace (bench/seed_scale.py) and pages (bench/pages.py), built
at a thousandth of their size: the rows agree with each other the way the app leaves them,
the skew the benchmark relies on is there, and every page it times answers for the
accounts it times it for. So the benchmark cannot rot unnoticed. No timings: those are
the benchmark's to print."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.test import Client, override_settings

from bench.scale import plan as planned
from bench.scale.load import seed_marketplace
from bench.scale.pages import baseline_url, bench_pages
from bench.scale.replies import Replies
from bench.scale.targets import find_targets
from compliance.sanitize import preview_text
from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.clock.models import ReplyReminder
from messagecenter.clock.reply_clock import reply_clock_rebuild
from messagecenter.clock.rollup import BUSINESS_TABLE as ROLLUP_BUSINESS_TABLE
from messagecenter.clock.rollup import MEMBER_TABLE as ROLLUP_MEMBER_TABLE
from messagecenter.clock.rollup import rollup_differences
from messagecenter.messaging.models import Message, ProactiveSendCount
from messagecenter.messaging.proactive_counts import PROACTIVE_TYPE_IDS
from messagecenter.moderation.models import MessageViolation, ReviewDecision
from messagecenter.relay.addresses import masked_address
from messagecenter.relay.loops import email_shape
from messagecenter.relay.models import InboundEmail, ProxyAddressPair
from messagecenter.threads.models import Conversation, ReadState
from messagecenter.threads.selectors import buyer_unread_count, seller_unread_count
from orders.models import Order, OrderLine, SellerOrderDay
from orders.order_counts import seller_order_days_check
from tests.test_send_query_budget import API_BUDGET, EMAIL_BUDGET, WEB_FORM_BUDGET

pytestmark = pytest.mark.postgresql("the benchmark loads its marketplace with COPY")

SCALE = 0.001
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
CLOCK_FIELDS = (
    "reply_due_at",
    "answered_at",
    "answered_by_message_id",
    "response_seconds",
    "late_at",
    "no_response_needed_at",
)


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker) -> Iterator[dict[str, int]]:
    """Seed once for the module and roll it all back after."""
    fast_hashing = override_settings(PASSWORD_HASHERS=[FAST_HASHER])
    with fast_hashing, django_db_blocker.unblock(), transaction.atomic():
        yield seed_marketplace(SCALE, now=NOW.timestamp())
        transaction.set_rollback(True)


@pytest.fixture
def counts(_seeded_once, db) -> dict[str, int]:
    return _seeded_once


def test_the_sizes_follow_the_scale():
    full = planned.Sizes.at(1.0)
    assert (full.messages, full.conversations, full.buyers, full.sellers, full.orders) == (
        1_000_000,
        200_000,
        50_000,
        200,
        300_000,
    )
    assert (full.heavy_seller_conversations, full.heavy_buyer_conversations) == (20_000, 500)
    with pytest.raises(ValueError, match="at least"):
        planned.Sizes.at(planned.MIN_SCALE / 2)


def test_rows_as_many_as_the_scale_says_and_as_reported(counts):
    sizes = planned.Sizes.at(SCALE)
    assert Message.objects.count() == sizes.messages == counts[Message._meta.db_table]
    assert Conversation.objects.count() == sizes.conversations
    assert SellerBusiness.objects.count() == sizes.sellers
    buyers = User.objects.filter(memberships__isnull=True, is_staff=False)
    assert buyers.count() == sizes.buyers
    assert Order.objects.count() >= sizes.orders
    for model in (User, Order, OrderLine, ReadState, ReplyReminder, ProxyAddressPair):
        assert model.objects.count() == counts[model._meta.db_table], model.__name__
    assert not Order.objects.filter(lines__isnull=True).exists(), "every order holds something"
    assert not SellerBusiness.objects.exclude(memberships__role="owner").exists()


def test_the_skew_the_benchmark_is_about(counts):
    per_seller = Counter(Conversation.objects.values_list("seller_id", flat=True))
    heavy = SellerBusiness.objects.get(memberships__user__email=planned.HEAVY_SELLER_OWNER)
    small = SellerBusiness.objects.get(memberships__user__email=planned.SMALL_SELLER_OWNER)
    (busiest, most), (_, second) = per_seller.most_common(2)
    assert (busiest, most) == (heavy.pk, planned.Sizes.at(SCALE).heavy_seller_conversations)
    assert most > second
    assert per_seller[small.pk] == min(per_seller.values()) < most / 2
    per_buyer = Counter(Conversation.objects.values_list("buyer_id", flat=True))
    (top_buyer, top), (_, runner_up) = per_buyer.most_common(2)
    assert User.objects.get(pk=top_buyer).email == planned.HEAVY_BUYER
    assert top == planned.Sizes.at(SCALE).heavy_buyer_conversations > runner_up
    targets = find_targets()
    for seller in targets.sellers:
        assert seller.thread.messages.count() == planned.LONG_THREAD, seller.label


def test_conversations_carry_their_last_word(counts):
    delivered = Q(messages__status=Message.Status.DELIVERED)
    conversations = Conversation.objects.annotate(
        last=Max("messages__delivered_at", filter=delivered),
        first=Min("messages__created_at"),
        last_buyer=Max(
            "messages__delivered_at", filter=delivered & Q(messages__sender_side="buyer")
        ),
        last_seller=Max(
            "messages__delivered_at", filter=delivered & Q(messages__sender_side="seller")
        ),
    )
    for conversation in conversations:
        assert conversation.last_message_at == conversation.last, conversation.pk
        assert conversation.created_at == conversation.first, conversation.pk
        assert conversation.last_buyer_message_at == conversation.last_buyer, conversation.pk
        assert conversation.last_seller_message_at == conversation.last_seller, conversation.pk
        last = conversation.messages.get(status="delivered", delivered_at=conversation.last)
        assert conversation.last_message_side == last.sender_side
        assert conversation.last_message_preview == preview_text(last.body_html)
        if conversation.order_id:
            assert conversation.order.buyer_id == conversation.buyer_id
            assert conversation.order.seller_id == conversation.seller_id
            assert conversation.order.ordered_at < conversation.created_at
        else:
            assert conversation.product.seller_id == conversation.seller_id


def test_the_reply_clock_is_what_the_app_would_work_out(counts):
    """The app's own rebuild of every clock, from the delivered messages, changes nothing."""

    def clocks() -> dict[int, tuple]:
        return {row[0]: row[1:] for row in Message.objects.values_list("pk", *CLOCK_FIELDS)}

    def conversation_due() -> dict[int, datetime | None]:
        return dict(Conversation.objects.values_list("pk", "reply_due_at"))

    before, due_before = clocks(), conversation_due()
    for conversation in Conversation.objects.all():
        reply_clock_rebuild(conversation, now=NOW)

    assert clocks() == before
    assert conversation_due() == due_before
    waiting = Conversation.objects.filter(reply_due_at__isnull=False)
    assert waiting.filter(reply_due_at__lte=NOW).exists(), "someone is overdue"
    assert waiting.filter(reply_due_at__gt=NOW).exists(), "someone waits, not yet overdue"
    assert Message.objects.filter(no_response_needed_at__isnull=False).exists()
    assert Message.objects.filter(answered_at__gt=F("reply_due_at")).exists(), "some late"


def test_reminders_were_sent_before_each_clock_stopped(counts):
    reminders = ReplyReminder.objects.select_related("message")
    assert reminders.exists()
    for reminder in reminders:
        message = reminder.message
        point = message.reply_due_at - timedelta(hours=reminder.hours_before)
        stopped = message.answered_at or message.no_response_needed_at or NOW
        assert reminder.due_at == message.reply_due_at
        assert point <= reminder.created_at < stopped, reminder.pk
        assert reminder.outcome == ReplyReminder.Outcome.SENT
    assert not reminders.values("message", "hours_before").annotate(n=Count("id")).filter(n__gt=1)


def test_read_markers_belong_to_people_in_the_conversation(counts):
    members = set(Membership.objects.values_list("business_id", "user_id"))
    for state in ReadState.objects.select_related("conversation"):
        conversation = state.conversation
        assert (
            state.user_id == conversation.buyer_id
            or (conversation.seller_id, state.user_id) in members
        ), state.pk
        assert state.last_read_at <= NOW
    senders = Message.objects.exclude(status=Message.Status.BLOCKED).exclude(sender=None)
    for message in senders:
        read = ReadState.objects.get(conversation=message.conversation_id, user=message.sender_id)
        assert read.last_read_at >= message.created_at, message.pk
    # Some of what the other side wrote is still unread, on both sides.
    owners = User.objects.filter(memberships__role="owner")
    assert sum(seller_unread_count(owner) for owner in owners) > 0
    buyers = User.objects.filter(conversations__isnull=False).distinct()
    assert sum(buyer_unread_count(buyer) for buyer in buyers) > 0


def test_undelivered_messages_are_kept_with_what_the_policy_found(counts):
    held = Message.objects.filter(status=Message.Status.HELD)
    rejected = Message.objects.filter(status=Message.Status.REJECTED)
    blocked = Message.objects.filter(status=Message.Status.BLOCKED)
    for messages, action in ((held, "flag"), (rejected, "flag"), (blocked, "block")):
        assert messages.exists()
        assert not messages.filter(delivered_at__isnull=False).exists()
        for message in messages:
            assert message.violations.filter(action=action).exists(), message.pk
    assert set(ReviewDecision.objects.values_list("message_id", flat=True)) == set(
        rejected.values_list("pk", flat=True)
    )
    redacted = MessageViolation.objects.filter(action="redact").select_related("message")
    assert redacted.exists()
    for violation in redacted:
        assert violation.excerpt not in violation.message.body_html
        assert violation.message.status == Message.Status.DELIVERED


def test_every_benchmarked_page_answers_its_account(counts):
    targets = find_targets()
    pages = bench_pages(targets)
    assert {p.account for p in pages} == {
        "heavy seller",
        "small seller",
        "heavy buyer",
        "small buyer",
        "admin",
    }
    clients: dict[int, Client] = {}
    with override_settings(ROOT_URLCONF="bench.scale.urls"):
        for page in pages:
            client = clients.setdefault(page.user.pk, Client())
            client.force_login(page.user)
            response = client.get(page.url)
            assert response.status_code == 200, f"{page.account}: {page.name} ({page.url})"
        bare = clients[targets.sellers[0].user.pk].get(baseline_url(targets))
        assert bare.status_code == 200
        listed = min(25, targets.sellers[0].conversations)
        assert bare.content.decode().count("<li>") == listed
        thread = targets.sellers[0].thread
        body = clients[targets.sellers[0].user.pk].get(f"/seller/messages/{thread.pk}/")
        assert body.content.decode().count('id="message-') == planned.LONG_THREAD
        anonymous = Client().get(baseline_url(targets))
        assert anonymous.status_code == 302, "the bare view is behind the login like the pages"


def test_mail_that_came_in_by_email_is_in_the_intake_log(counts):
    by_email = Message.objects.filter(via="email", status=Message.Status.DELIVERED)
    logged = InboundEmail.objects.select_related("message__conversation")
    assert logged.count() == by_email.count() > 0
    pairs = {(pair.buyer_id, pair.seller_id): pair for pair in ProxyAddressPair.objects.all()}
    for entry in logged:
        message = entry.message
        pair = pairs[(message.conversation.buyer_id, message.conversation.seller_id)]
        to_side = "seller" if message.sender_side == "buyer" else "buyer"
        assert entry.recipient == masked_address(pair, to_side)
        assert entry.shape == email_shape(message.subject, message.body_text)
        assert entry.outcome == InboundEmail.Outcome.ACCEPTED


def test_the_daily_cap_counters_agree_with_the_messages(counts):
    """The rows the send path keeps exist for the seeded messages, so the cap reads them."""
    rows = ProactiveSendCount.objects.all()
    assert rows.count() == counts[ProactiveSendCount._meta.db_table] > 0
    for row in rows:
        sent = Message.objects.filter(
            conversation__seller=row.business_id,
            sender_side="seller",
            message_type__in=PROACTIVE_TYPE_IDS,
            status__in=["delivered", "held"],
            created_at__gte=datetime.combine(row.day, datetime.min.time(), tzinfo=UTC),
            created_at__lt=datetime.combine(row.day, datetime.min.time(), tzinfo=UTC)
            + timedelta(days=1),
        ).count()
        assert row.sent == sent, (row.business_id, row.day)


def test_every_benchmarked_reply_answers_the_buyer_within_its_budget(counts):
    budgets = {"web form": WEB_FORM_BUDGET, "API": API_BUDGET, "email relay": EMAIL_BUDGET}
    via = {"web form": Message.Via.WEB, "API": Message.Via.API, "email relay": Message.Via.EMAIL}
    replies = Replies(find_targets().sellers[0])
    before = Message.objects.count()

    for way in replies.ways:
        answer = replies.answer(way)
        assert answer.stored.via == via[way]
        assert answer.queries <= budgets[way], way

    assert Message.objects.count() == before  # every round rolled back


def test_the_performance_rollup_is_counted_from_the_messages(counts):
    """The performance page reads the daily rollup: seeded by COPY, it must be counted,
    or the benchmark times a page with no rows to read."""
    assert counts[ROLLUP_BUSINESS_TABLE] > 0
    assert counts[ROLLUP_MEMBER_TABLE] > 0
    with connection.cursor() as cursor:
        assert rollup_differences(cursor) == []


def test_the_order_day_counters_agree_with_the_orders(counts):
    """The order volume's rows are rebuilt after the orders' COPY, so the cap reads them."""
    assert SellerOrderDay.objects.count() == counts[SellerOrderDay._meta.db_table] > 0
    assert seller_order_days_check() == []
