"""Notes fixtures: Jordan's conversation with Northwind, where Sam (owner) and Avery (agent)
work; Maria works for Cascade, Priya is another buyer, Morgan an administrator."""

from __future__ import annotations

import pytest
from django.core import mail

from messagecenter.threads.models import Conversation
from tests import factories


@pytest.fixture
def conversation(jordans_order) -> Conversation:
    factories.buyer_message(jordans_order, "The lid of my Dutch oven arrived cracked.")
    mail.outbox = []
    return Conversation.objects.get(order=jordans_order)
