"""Notices of one email each, the assignment notice and the daily digest: sent once, and
not lost when the worker sending them fails or dies (tests/faults/ kills a real one).

Sam gives Jordan's conversation to Avery; Avery chose a daily digest of new messages.
"""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from messagecenter.accounts.models import NotificationPreference, User
from messagecenter.notifications.digests import send_due_digests
from messagecenter.notifications.tasks import queue_unsent_notifications, send_assignment_notice
from messagecenter.threads.assignment import conversation_assign
from messagecenter.threads.models import Conversation, ConversationAssignment
from tests import factories

RETRY_AFTER = timedelta(seconds=settings.NOTIFICATION_RETRY_AFTER_SECONDS + 1)


@pytest.fixture
def conversation(jordans_order) -> Conversation:
    factories.buyer_message(jordans_order, "Could someone check the engraving?")
    mail.outbox = []
    return Conversation.objects.get(order=jordans_order)


def _assigned_without_its_task(conversation, assignee, by, **when) -> ConversationAssignment:
    """An assignment whose notice task was never run (lost with the broker or the worker),
    made `when` ago."""
    conversation_assign(
        conversation=conversation, assignee=assignee, by=by, now=timezone.now() - timedelta(**when)
    )
    return ConversationAssignment.objects.latest("id")


def _smtp_down(*args, **kwargs):
    raise SMTPServerDisconnected("Connection unexpectedly closed")


# --- The assignment notice -------------------------------------------------------------------


def test_an_assignment_notice_lost_on_the_way_is_sent_by_beat_once(conversation, sam, avery):
    record = _assigned_without_its_task(conversation, avery, sam, seconds=30)

    # Younger than the retry window: it may still be on its way through the broker.
    assert queue_unsent_notifications() == 0
    assert mail.outbox == []

    ConversationAssignment.objects.filter(pk=record.pk).update(
        assigned_at=timezone.now() - RETRY_AFTER
    )
    assert queue_unsent_notifications() == 1
    [notice] = mail.outbox
    assert notice.to == [avery.email]
    assert notice.subject == f"Sam Carter assigned you: {conversation.subject}"
    record.refresh_from_db()
    assert record.notified_at is not None and record.notice_claimed_until is None

    assert queue_unsent_notifications() == 0
    assert send_assignment_notice.run(record.pk) == 0
    assert len(mail.outbox) == 1


def test_an_assignment_notice_being_sent_is_left_alone_until_its_lease_runs_out(
    conversation, sam, avery
):
    record = _assigned_without_its_task(conversation, avery, sam, minutes=3)
    # Another worker claimed it a moment ago and is sending.
    ConversationAssignment.objects.filter(pk=record.pk).update(
        notice_claimed_until=timezone.now() + timedelta(minutes=4)
    )

    assert send_assignment_notice.run(record.pk) == 0
    assert queue_unsent_notifications() == 0
    assert mail.outbox == []

    # That worker died: its lease runs out and beat's rescan has the notice sent.
    ConversationAssignment.objects.filter(pk=record.pk).update(
        notice_claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert queue_unsent_notifications() == 1
    assert [sent.to for sent in mail.outbox] == [[avery.email]]


def test_a_failed_assignment_notice_is_released_for_the_retry(
    conversation, sam, avery, monkeypatch
):
    record = _assigned_without_its_task(conversation, avery, sam, seconds=1)
    monkeypatch.setattr(locmem.EmailBackend, "send_messages", _smtp_down)

    with pytest.raises(SMTPServerDisconnected):
        send_assignment_notice.run(record.pk)
    record.refresh_from_db()
    assert (record.notified_at, record.notice_claimed_until) == (None, None)

    monkeypatch.undo()
    assert send_assignment_notice.run(record.pk) == 1
    assert [sent.to for sent in mail.outbox] == [[avery.email]]


def test_a_notice_no_longer_needed_is_settled_without_email(conversation, sam, avery):
    record = _assigned_without_its_task(conversation, avery, sam, minutes=5)
    # Given back to the team before the notice went out.
    conversation_assign(conversation=conversation, assignee=None, by=sam)

    assert queue_unsent_notifications() == 1  # the notice to Avery, run and found not needed
    record.refresh_from_db()
    assert record.notified_at is not None
    assert queue_unsent_notifications() == 0
    assert send_assignment_notice.run(record.pk) == 0
    assert mail.outbox == []


def test_taking_a_conversation_oneself_or_giving_it_back_is_never_rescanned(
    conversation, sam, avery
):
    _assigned_without_its_task(conversation, sam, sam, minutes=5)
    _assigned_without_its_task(conversation, None, avery, minutes=4)

    assert queue_unsent_notifications() == 0
    assert mail.outbox == []
    assert not ConversationAssignment.objects.filter(notice_claimed_until__isnull=False).exists()


# --- The daily digest ------------------------------------------------------------------------


@pytest.fixture
def avery_wants_a_digest(avery, jordans_order):
    NotificationPreference.objects.create(user=avery, kind="new_message", frequency="daily")
    factories.buyer_message(jordans_order, "Is the sage duvet cover back in stock?")
    mail.outbox = []
    return avery


def test_a_failed_digest_is_released_and_sent_by_the_next_run(
    avery_wants_a_digest, jordans_order, monkeypatch
):
    monkeypatch.setattr(locmem.EmailBackend, "send_messages", _smtp_down)

    with pytest.raises(SMTPServerDisconnected):
        send_due_digests()
    avery = User.objects.get(pk=avery_wants_a_digest.pk)
    assert (avery.last_digest_sent_at, avery.digest_claimed_until) == (None, None)

    monkeypatch.undo()
    assert send_due_digests() == 1
    [digest] = mail.outbox
    assert digest.to == [avery.email]
    assert "New messages (1):" in digest.body
    assert f"- Jordan Miles: Order {jordans_order.number}" in digest.body
    assert send_due_digests() == 0


def test_a_digest_being_sent_is_left_alone_until_its_lease_runs_out(avery_wants_a_digest):
    avery = avery_wants_a_digest
    User.objects.filter(pk=avery.pk).update(
        digest_claimed_until=timezone.now() + timedelta(minutes=4)
    )

    assert send_due_digests() == 0
    assert mail.outbox == []

    # The worker that claimed it died, and its lease has run out.
    User.objects.filter(pk=avery.pk).update(
        digest_claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert send_due_digests() == 1
    assert [sent.to for sent in mail.outbox] == [[avery.email]]
    avery.refresh_from_db()
    assert avery.last_digest_sent_at is not None and avery.digest_claimed_until is None
