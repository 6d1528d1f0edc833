"""The migration that starts clocks on messages from before the clock existed gives the
same answers as the live clock would have."""

from __future__ import annotations

import importlib
from datetime import timedelta

from django.apps import apps

from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation, Side
from tests import factories

backfill = importlib.import_module(
    "messagecenter.threads.migrations.0003_backfill_reply_clocks"
).backfill

FIELDS = ("reply_due_at", "answered_at", "answered_by_message_id", "response_seconds", "late_at")


def _clock_state() -> dict:
    return {
        "messages": {
            row["pk"]: tuple(row[f] for f in FIELDS)
            for row in Message.objects.values("pk", *FIELDS)
        },
        "conversations": dict(Conversation.objects.values_list("pk", "reply_due_at")),
    }


def test_the_backfill_matches_the_live_clock(clock, jordan, priya, sam, avery, northwind):
    first = factories.order(buyer=jordan, seller=northwind)
    factories.buyer_message(first, "One")
    clock.advance(hours=2)
    factories.buyer_message(first, "Two")
    clock.advance(hours=25)
    factories.reply(Conversation.objects.get(order=first), sam, Side.SELLER, "Late answer")
    clock.advance(hours=1)
    factories.buyer_message(first, "Three, still waiting")
    second = factories.order(buyer=priya, seller=northwind)
    factories.seller_message(second, avery)
    clock.advance(hours=1)
    factories.buyer_message(second, "Overdue soon")
    clock.advance(hours=30)
    # What a sweep would have marked by now.
    for message in Message.objects.filter(reply_due_at__lte=clock.now, answered_at=None):
        Message.objects.filter(pk=message.pk).update(late_at=message.reply_due_at)
    live = _clock_state()

    Message.objects.update(**{f.removesuffix("_id"): None for f in FIELDS})
    Conversation.objects.update(reply_due_at=None)
    backfill(apps, None)

    assert _clock_state() == live
    waiting = Conversation.objects.get(order=first).reply_due_at
    assert waiting == clock.now - timedelta(hours=31) + timedelta(hours=24)
