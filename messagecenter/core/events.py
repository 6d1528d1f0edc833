"""Domain events: how an app tells the apps above it what happened, without importing them.

A service publishes an event (a frozen dataclass defined next to the service, in its app's
``events.py``) inside its own transaction. Every handler subscribed to that event's type
runs there and then, synchronously, in the order the subscribing apps are installed; so a
handler's writes (an audit row, an outbox row) commit or roll back with the change they
are about. Slow work (email, HTTP) is queued by the handler with
``core.tasks.enqueue_on_commit``, never done inline.

Subscribers register in their AppConfig.ready() by importing their ``handlers`` module, so
the app that publishes never knows who listens: messaging does not import the reply clock,
moderation, notifications or webhooks, and each of those can be taken out alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

Event = TypeVar("Event")
Handler = Callable[[Any], None]

_handlers: defaultdict[type, list[Handler]] = defaultdict(list)


def subscribe(
    event_type: type[Event],
) -> Callable[[Callable[[Event], None]], Callable[[Event], None]]:
    """Decorator: run the function for every published event of this type."""

    def register(handler: Callable[[Event], None]) -> Callable[[Event], None]:
        if handler not in _handlers[event_type]:  # importing a module twice registers once
            _handlers[event_type].append(handler)
        return handler

    return register


def publish(event: object) -> None:
    """Run every handler of the event's type, in the caller's transaction."""
    for handler in _handlers.get(type(event), ()):
        handler(event)


def handlers_of(event_type: type) -> list[Handler]:
    """The subscribed handlers, for tests and docs."""
    return list(_handlers.get(event_type, ()))
