"""Live events leave after commit, from the services that write, with ids only; and a
channel layer that does not answer never costs a send."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from django.db import transaction
from django.test.utils import override_settings

from messagecenter.live import publish
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.services import conversation_open
from tests import factories
from tests.faults.processes import free_port

pytestmark = pytest.mark.django_db(transaction=True)

IDS = {"conversation", "message", "reader", "user"}


class Rollback(Exception):
    pass


@pytest.fixture
def published(monkeypatch) -> list[tuple[tuple[str, ...], dict]]:
    """Every event handed to the channel layer, in order."""
    sent: list[tuple[tuple[str, ...], dict]] = []

    def record(groups, payload) -> None:
        sent.append((tuple(groups), payload))

    monkeypatch.setattr(publish, "publish_now", record)
    return sent


def _events(published, name: str) -> list[tuple[tuple[str, ...], dict]]:
    return [(groups, payload) for groups, payload in published if payload["event"] == name]


def test_a_delivered_message_is_published_after_commit_to_both_sides_and_inboxes(
    published, jordan, northwind, jordans_order
):
    with transaction.atomic():
        message = factories.buyer_message(jordans_order, "Where is my parcel?")
        assert published == []  # nothing while the send may still roll back

    conversation = message.conversation
    [(groups, payload)] = _events(published, "message")
    assert set(groups) == {
        f"conversation.{conversation.pk}.buyer",
        f"conversation.{conversation.pk}.seller",
    }
    assert payload == {
        "type": "live.event",
        "event": "message",
        "conversation": conversation.pk,
        "message": message.pk,
    }
    [(inbox_groups, _)] = _events(published, "inbox")
    assert set(inbox_groups) == {f"user.{jordan.pk}", f"business.{northwind.pk}"}


def test_nothing_is_published_for_a_rolled_back_send(published, jordans_order):
    with pytest.raises(Rollback), transaction.atomic():
        factories.buyer_message(jordans_order, "Where is my parcel?")
        raise Rollback

    assert published == []
    assert not Message.objects.exists()


def test_every_payload_carries_ids_only(published, jordan, sam, jordans_order):
    factories.buyer_message(jordans_order, "Where is my parcel? My phone is 0161 496 0000.")
    conversation = Conversation.objects.get(order=jordans_order)
    factories.reply(conversation, sam, Side.SELLER, "It left our warehouse on Monday.")
    conversation_open(conversation=Conversation.objects.get(pk=conversation.pk), user=jordan)

    assert {payload["event"] for _, payload in published} == {"message", "inbox", "read"}
    for _, payload in published:
        assert set(payload) - {"type", "event"} <= IDS
        assert all(type(payload[key]) is int for key in set(payload) & IDS), payload


def test_opening_a_conversation_publishes_the_read_receipt_to_both_sides(
    published, jordan, sam, jordans_order
):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    conversation = Conversation.objects.get(order=jordans_order)
    published.clear()

    conversation_open(conversation=conversation, user=sam)

    [(groups, payload)] = _events(published, "read")
    assert set(groups) == {
        f"conversation.{conversation.pk}.buyer",
        f"conversation.{conversation.pk}.seller",
    }
    assert payload["reader"] == sam.pk
    # Sam's own unread count changed, nobody else's.
    [(inbox_groups, _)] = _events(published, "inbox")
    assert inbox_groups == (f"user.{sam.pk}",)


def test_a_conversation_already_read_publishes_nothing(published, jordan, jordans_order):
    factories.buyer_message(jordans_order, "Where is my parcel?")
    conversation = Conversation.objects.get(order=jordans_order)
    published.clear()

    conversation_open(conversation=conversation, user=jordan)  # his own word: nothing new

    assert published == []


@pytest.fixture
def publishing_resumes(monkeypatch):
    """A failed publish pauses this process's publishing; the next test starts afresh."""
    monkeypatch.setattr(publish, "_paused_until", 0.0)


def test_a_send_while_the_channel_layer_is_down_is_delivered_and_logged(
    jordans_order, caplog, publishing_resumes
):
    nobody_listens = f"redis://127.0.0.1:{free_port()}/0"
    layer = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": nobody_listens, "socket_connect_timeout": 0.5}]},
        }
    }
    with override_settings(CHANNEL_LAYERS=layer), caplog.at_level(logging.WARNING):
        started = time.monotonic()
        message = factories.buyer_message(jordans_order, "Where is my parcel?")
        sending = time.monotonic() - started
        publish.wait_until_published()

    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert "Could not publish the live event" in caplog.text
    assert sending < 2  # the send never waited for the layer


def test_a_held_message_is_published_when_a_reviewer_approves_it(
    published, jordan, sam, morgan, jordans_order
):
    from messagecenter.moderation.review import review_approve

    held = factories.held_seller_message(jordans_order, sam)
    assert held.status == Message.Status.HELD
    assert _events(published, "message") == []  # the buyer sees nothing of it yet

    review_approve(message_id=held.pk, reviewer=morgan)

    [(_, payload)] = _events(published, "message")
    assert payload["message"] == held.pk


def test_a_silent_channel_layer_never_holds_the_caller_and_pauses_publishing(
    monkeypatch, caplog, publishing_resumes
):
    """Redis that stops answering: the caller returns at once, the publish gives up after
    PUBLISH_TIMEOUT_SECONDS, and the next ones in the pause are not even tried."""
    tried: list[str] = []

    class SilentLayer:
        async def group_send(self, group, payload) -> None:
            tried.append(group)
            await asyncio.sleep(60)

    monkeypatch.setattr(publish, "get_channel_layer", SilentLayer)
    monkeypatch.setattr(publish, "PUBLISH_TIMEOUT_SECONDS", 0.2)

    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        publish.publish_now(["user.1"], {"type": "live.event", "event": "inbox"})
        handed_over = time.monotonic() - started
        publish.wait_until_published()
    publish.publish_now(["user.2"], {"type": "live.event", "event": "inbox"})
    publish.wait_until_published()

    assert handed_over < 0.05
    assert "TimeoutError" in caplog.text
    assert tried == ["user.1"]
