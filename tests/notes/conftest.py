"""Notes fixtures: Jordan's conversation with Northwind, where Sam (owner) and Avery (agent)
work; Maria works for Cascade, Priya is another buyer, Morgan an administrator."""

from __future__ import annotations

import pytest
from django.core import mail

from messagecenter.notes.services import note_add
from messagecenter.threads.models import Conversation
from tests import factories


@pytest.fixture
def conversation(jordans_order) -> Conversation:
    factories.buyer_message(jordans_order, "The lid of my Dutch oven arrived cracked.")
    mail.outbox = []
    return Conversation.objects.get(order=jordans_order)


@pytest.fixture
def add_note(django_capture_on_commit_callbacks):
    """note_add as a committed request runs it: what it queues after commit runs too (the
    tasks run eagerly), so an email it sends is in mail.outbox."""

    def add(**arguments):
        with django_capture_on_commit_callbacks(execute=True):
            return note_add(**arguments)

    return add
