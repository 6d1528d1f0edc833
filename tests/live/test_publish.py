"""Live events leave after commit, from the services that write, with ids only; and a
channel layer that does not answer never costs a send."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction
from django.test.utils import override_settings

from messagecenter.live import handlers, publish
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
    monkeypatch.setattr(handlers, "publish_now", record)
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


def test_a_send_while_the_channel_layer_is_down_is_delivered_and_logged(jordans_order, caplog):
    nobody_listens = f"redis://127.0.0.1:{free_port()}/0"
    layer = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": nobody_listens, "socket_connect_timeout": 0.5}]},
        }
    }
    with override_settings(CHANNEL_LAYERS=layer), caplog.at_level(logging.WARNING):
        message = factories.buyer_message(jordans_order, "Where is my parcel?")

    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert "Could not publish the live event" in caplog.text
