"""Every notice is written in its recipient's language and time zone, whoever caused it and
whatever language the request or task that sends it runs in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.utils import timezone, translation

from messagecenter.accounts.models import NotificationPreference, User
from messagecenter.messaging.models import Message
from messagecenter.notifications import assignment, digests, notices
from messagecenter.notifications.assignment import send_assignment_notice
from messagecenter.notifications.digests import send_due_digests
from messagecenter.threads.assignment import conversation_assign
from messagecenter.threads.models import ConversationAssignment
from tests import factories

Noted = list[tuple[str, str, str]]


@pytest.fixture
def rendered(monkeypatch) -> Callable[[object], Noted]:
    """Note the language and zone each email template is rendered in."""
    noted: Noted = []

    def spy(module: object) -> Noted:
        real = module.render_to_string  # type: ignore[attr-defined]

        def render_and_note(template: str, context: dict) -> str:
            zone = timezone.get_current_timezone_name()
            noted.append((template, translation.get_language(), zone))
            return real(template, context)

        monkeypatch.setattr(module, "render_to_string", render_and_note)
        return noted

    return spy


def _reads(user: User, language: str, zone: str) -> None:
    User.objects.filter(pk=user.pk).update(language=language, time_zone=zone)
    user.refresh_from_db()


def test_a_bounce_and_a_review_decision_are_in_the_senders_language(rendered, sam, jordans_order):
    message = factories.seller_message(jordans_order, sam)
    _reads(sam, "de", "Europe/Berlin")
    message.refresh_from_db()
    noted = rendered(notices)

    with translation.override("fr"):
        notices.send_bounce_notice(message)
        Message.objects.filter(pk=message.pk).update(status=Message.Status.DELIVERED)
        message.refresh_from_db()
        notices.send_review_decision_notice(message)

    assert noted == [
        ("email/bounce.txt", "de", "Europe/Berlin"),
        ("email/review_decision.txt", "de", "Europe/Berlin"),
    ]
    assert len(mail.outbox) == 2
    assert translation.get_language() != "de"  # nothing leaks out of the email


def test_an_assignment_notice_is_in_the_assignees_language(rendered, sam, avery, jordans_order):
    conversation = factories.buyer_message(jordans_order).conversation
    _reads(avery, "it", "Europe/Rome")
    noted = rendered(assignment)

    conversation_assign(conversation=conversation, assignee=avery, by=sam)
    record = ConversationAssignment.objects.get(assignee=avery)
    send_assignment_notice(record.pk)

    assert ("email/assignment.txt", "it", "Europe/Rome") in noted


def test_a_digest_is_in_its_readers_language(rendered, sam, avery, jordans_order):
    NotificationPreference.objects.create(user=avery, kind="new_message", frequency="daily")
    factories.buyer_message(jordans_order)
    _reads(avery, "es", "America/Mexico_City")
    noted = rendered(digests)

    send_due_digests()

    assert ("email/digest.txt", "es", "America/Mexico_City") in noted
