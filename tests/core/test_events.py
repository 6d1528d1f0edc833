"""Domain events: handlers run in the publisher's transaction, and only the subscribed ones."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from messagecenter.core.events import handlers_of, publish, subscribe
from messagecenter.core.models import PendingTask
from messagecenter.messaging.events import MessageDelivered, MessageStored
from messagecenter.threads.events import ConversationOpened


@dataclass(frozen=True)
class SomethingHappened:
    name: str


@dataclass(frozen=True)
class NothingListens:
    name: str


heard: list[str] = []


@subscribe(SomethingHappened)
def remember(event: SomethingHappened) -> None:
    heard.append(event.name)
    PendingTask.objects.create(task_name=f"written by a handler for {event.name}")


@pytest.mark.django_db
def test_a_handler_runs_for_its_event_type_only():
    heard.clear()
    publish(SomethingHappened("first"))
    publish(NothingListens("second"))
    assert heard == ["first"]


def test_subscribing_twice_registers_once():
    subscribe(SomethingHappened)(remember)
    assert handlers_of(SomethingHappened).count(remember) == 1


@pytest.mark.django_db
def test_a_handlers_writes_roll_back_with_the_publisher():
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(SomethingHappened("rolled back"))
        raise RuntimeError("the send failed after the event")
    assert not PendingTask.objects.filter(task_name__contains="rolled back").exists()
    with transaction.atomic():
        publish(SomethingHappened("kept"))
    assert PendingTask.objects.filter(task_name__contains="kept").exists()


def test_the_apps_above_messaging_listen_to_it():
    """Messaging publishes; moderation, search, the clock, notifications and webhooks
    subscribe, and the relay and search hear of new conversations, without messaging or
    threads importing them."""
    modules = lambda event: {h.__module__ for h in handlers_of(event)}  # noqa: E731
    assert modules(MessageStored) == {
        "messagecenter.moderation.handlers",
        "messagecenter.search.handlers",
    }
    assert modules(MessageDelivered) == {
        "messagecenter.clock.handlers",
        "messagecenter.notifications.handlers",
        "messagecenter.webhooks.handlers",
        "messagecenter.live.handlers",
    }
    assert modules(ConversationOpened) == {
        "messagecenter.relay.handlers",
        "messagecenter.search.handlers",
    }
