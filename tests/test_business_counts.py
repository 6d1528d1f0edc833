"""The counts a seller team sees on every page (awaiting reply, overdue, held for review)
are kept in the counts cache and never stale: each write that changes one invalidates the
business's entry, overdue is recounted once a due time passes, and repair_business_counts
finds and drops a wrong entry."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from compliance.models import PolicySettings, RuleSetting
from messagecenter.messaging.business_counts import (
    BusinessCounts,
    business_counts,
    business_counts_check,
    reachable,
    recount,
)
from messagecenter.moderation.review import review_approve, review_reject
from messagecenter.threads.models import Conversation, Side
from tests import factories


def _tabs(client, user) -> dict[str, int]:
    """The numbers on the seller inbox's filter tabs, as the user sees them."""
    client.force_login(user)
    page = client.get(reverse("seller_inbox")).content.decode()
    found = re.findall(r'>([A-Z][a-z ]+) <span class="tabs__count">(\d+)</span></a>', page)
    return {label: int(n) for label, n in found}


def _overdue_badge(client, user) -> int:
    client.force_login(user)
    page = client.get(reverse("seller_orders")).content.decode()
    found = re.search(r'<span class="badge badge--overdue">(\d+) overdue</span>', page)
    return int(found.group(1)) if found else 0


def _right(business) -> None:
    assert business_counts_check() == []
    assert (
        business_counts([business.pk]) == recount([business.pk], timezone.now())[business.pk].counts
    )


def _held_answer(order, sender):
    """A seller message the policy holds for review."""
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.get_or_create(policy=policy, rule="type.text_length", action="flag")
    return factories.seller_message(
        order,
        sender,
        "Your licence key is ABCD-1234. " + "Setup notes follow. " * 30,
        message_type="digital_access_key",
        subject="Your licence",
    )


def test_a_waiting_buyer_shows_on_the_tabs_until_answered(
    client, sam, avery, northwind, jordans_order
):
    assert _tabs(client, avery) == {}
    factories.buyer_message(jordans_order)

    assert _tabs(client, avery) == {"All": 1, "Unread": 1, "Awaiting reply": 1, "Unassigned": 1}
    assert _tabs(client, sam) == {"All": 1, "Unread": 1, "Awaiting reply": 1, "Unassigned": 1}
    _right(northwind)

    conversation = Conversation.objects.get(order=jordans_order)
    factories.reply(conversation, sam, Side.SELLER, "It ships today.")
    assert _tabs(client, sam) == {"All": 1, "Unassigned": 1}
    assert _tabs(client, avery) == {
        "All": 1,
        "Unread": 1,
        "Unassigned": 1,
    }  # Avery has not opened it
    _right(northwind)


def test_overdue_is_counted_again_once_the_due_time_passes(client, sam, northwind, jordans_order):
    factories.buyer_message(jordans_order)
    now = timezone.now()
    assert business_counts([northwind.pk], now) == BusinessCounts(
        awaiting=1, conversations=1, unassigned=1
    )

    later = now + timedelta(hours=25)
    assert business_counts([northwind.pk], later) == BusinessCounts(
        awaiting=1, overdue=1, conversations=1, unassigned=1
    )
    assert _overdue_badge(client, sam) == 0  # an entry is not good before it was counted

    Conversation.objects.filter(order=jordans_order).update(
        reply_due_at=timezone.now() - timedelta(minutes=1)
    )
    # A due time written around the services is seen once the entry runs out; the
    # repair command drops it at once.
    assert _overdue_badge(client, sam) == 0
    call_command("repair_business_counts")
    assert _overdue_badge(client, sam) == 1
    assert _tabs(client, sam)["Overdue"] == 1


def test_kept_counts_are_read_without_a_query_and_a_write_invalidates_them(
    sam, northwind, jordans_order, django_assert_num_queries
):
    business_counts([northwind.pk])
    with django_assert_num_queries(0):
        assert business_counts([northwind.pk]) == BusinessCounts()

    factories.buyer_message(jordans_order)
    with django_assert_num_queries(1):
        assert business_counts([northwind.pk]) == BusinessCounts(
            awaiting=1, conversations=1, unassigned=1
        )
    with django_assert_num_queries(0):
        assert business_counts([northwind.pk]) == BusinessCounts(
            awaiting=1, conversations=1, unassigned=1
        )


def test_the_count_reads_the_same_queries_however_many_conversations_wait(
    sam, northwind, django_assert_num_queries
):
    for n in range(4):
        buyer = factories.user(f"buyer{n}@example.com")
        factories.buyer_message(factories.order(buyer=buyer, seller=northwind))
        with django_assert_num_queries(1):  # invalidated by the message: counted again
            assert business_counts([northwind.pk]).awaiting == n + 1


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_held_message_is_shown_held_until_a_reviewer_decides(
    client, sam, morgan, northwind, jordans_order, decision
):
    held = _held_answer(jordans_order, sam)
    client.force_login(sam)
    page = client.get(reverse("seller_inbox")).content.decode()
    assert "One of your team's messages is held for review" in page
    assert business_counts([northwind.pk]).held == 1

    if decision == "approve":
        review_approve(message_id=held.pk, reviewer=morgan)
    else:
        review_reject(message_id=held.pk, reviewer=morgan, reason="It names a price.")

    assert "held for review" not in client.get(reverse("seller_inbox")).content.decode()
    _right(northwind)


def test_repair_business_counts_check_fails_on_a_wrong_entry_and_repair_drops_it(
    capsys, northwind, jordans_order
):
    factories.buyer_message(jordans_order)
    business_counts([northwind.pk])
    call_command("repair_business_counts", "--check")
    Conversation.objects.filter(order=jordans_order).update(reply_due_at=None)

    with pytest.raises(CommandError, match="1 business counts are wrong"):
        call_command("repair_business_counts", "--check")
    assert "kept awaiting 1" in capsys.readouterr().out

    call_command("repair_business_counts")
    assert "1 dropped" in capsys.readouterr().out
    call_command("repair_business_counts", "--check")
    assert business_counts([northwind.pk]) == BusinessCounts(conversations=1, unassigned=1)


@pytest.fixture
def counts_cache_down(settings):
    """The counts cache pointed at a Redis that is not there."""
    settings.CACHES = {
        **settings.CACHES,
        settings.BUSINESS_COUNTS_CACHE: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    yield
    reachable.down_until = 0.0


def test_without_the_cache_pages_and_sends_count_from_the_database(
    client, sam, northwind, jordans_order, counts_cache_down, django_assert_num_queries
):
    factories.buyer_message(jordans_order)  # the send's invalidation finds no cache

    assert _tabs(client, sam) == {"All": 1, "Unread": 1, "Awaiting reply": 1, "Unassigned": 1}
    assert reachable.cache() is None  # not asked again for a while: no wait per page
    with django_assert_num_queries(1):
        assert business_counts([northwind.pk]) == BusinessCounts(
            awaiting=1, conversations=1, unassigned=1
        )
