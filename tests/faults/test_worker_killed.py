"""A worker killed with SIGKILL in the middle of sending email.

Northwind's team is Sam, Avery and Casey; Jordan is their buyer. A real worker emails the
team, and the test kills it at a chosen email (tests/faults/mail_hooks.py stops it there).
Then the time of a lease passes and what beat runs is run: every member gets the email.
An email whose acceptance by the mail server had not been recorded when the worker died is
the only one that can go twice: SMTP cannot tell "accepted" and "recorded" apart for us.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from messagecenter.clock.models import ReplyReminder
from messagecenter.clock.reminders import claim_reminders, queue_reminders, reply_clock_sweep
from messagecenter.messaging.models import Message
from messagecenter.notifications.tasks import queue_unsent_notifications
from tests import factories
from tests.faults.frozen_worker import through_redis, wait_for, worker_frozen_at

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


# --- Notification emails ----------------------------------------------------------------------


def test_a_worker_killed_between_two_members_emails_loses_no_notification(
    tmp_path,
    start_worker,
    smtp_sink,
    recover_as_beat_and_a_worker,
    point_celery_at,
    redis_key_prefix,
    real_now_plus,
    team,
    jordans_order,
):
    worker, marker = worker_frozen_at(start_worker, smtp_sink, tmp_path, "before:2")
    through_redis(point_celery_at, redis_key_prefix)

    message = factories.buyer_message(jordans_order, "Is the sage duvet cover back in stock?")
    wait_for(marker, worker)
    worker.kill()  # the first member's email was accepted, the other two not yet sent
    [first] = smtp_sink.recipients()

    # Beat's rescan, once the dead worker's claim has run out.
    real_now_plus(minutes=10)
    recover_as_beat_and_a_worker()
    queue_unsent_notifications()

    assert smtp_sink.recipients() == team, "each member gets the email exactly once"
    assert first in team
    message.refresh_from_db()
    assert message.notification_sent_at is not None
    assert queue_unsent_notifications() == 0
    assert len(smtp_sink.accepted) == 3


def test_only_the_email_in_flight_when_the_worker_died_can_go_twice(
    tmp_path,
    start_worker,
    smtp_sink,
    recover_as_beat_and_a_worker,
    point_celery_at,
    redis_key_prefix,
    real_now_plus,
    team,
    jordans_order,
):
    worker, marker = worker_frozen_at(start_worker, smtp_sink, tmp_path, "after:2")
    through_redis(point_celery_at, redis_key_prefix)

    factories.buyer_message(jordans_order, "Can you gift-wrap it?")
    wait_for(marker, worker)
    worker.kill()  # the second email was accepted; the worker died before it could note it
    first, in_flight = (mail.to[0] for mail in smtp_sink.accepted)

    real_now_plus(minutes=10)
    recover_as_beat_and_a_worker()
    queue_unsent_notifications()

    counts = Counter(smtp_sink.recipients())
    assert sorted(counts) == team, "nobody is left without the email"
    assert counts[first] == 1
    assert counts[in_flight] == 2
    assert sum(counts.values()) == 4


# --- Reply reminders --------------------------------------------------------------------------


def test_a_worker_killed_mid_reminder_sends_each_member_one_reminder(
    tmp_path,
    start_worker,
    smtp_sink,
    recover_as_beat_and_a_worker,
    point_celery_at,
    redis_key_prefix,
    real_now_plus,
    team,
    jordans_order,
):
    # Jordan wrote 13 hours ago: the 12-hour reminder is due now.
    real_now_plus(hours=-13)
    question = factories.buyer_message(jordans_order, "Will it arrive before Friday?")
    real_now_plus()
    with transaction.atomic():
        [reminder_id] = claim_reminders(timezone.now())
    worker, marker = worker_frozen_at(start_worker, smtp_sink, tmp_path, "before:3")
    through_redis(point_celery_at, redis_key_prefix)

    queue_reminders([reminder_id])
    wait_for(marker, worker)
    worker.kill()  # two members reminded, the third not yet
    assert len(smtp_sink.accepted) == 2

    # The sweep after the dead worker's lease ran out queues the reminder again.
    real_now_plus(minutes=10)
    recover_as_beat_and_a_worker()
    assert reply_clock_sweep().requeued == [reminder_id]

    assert smtp_sink.recipients() == team, "each member is reminded exactly once"
    assert all(mail.subject.startswith("Answer due in ") for mail in smtp_sink.accepted)
    reminder = ReplyReminder.objects.get(pk=reminder_id)
    assert (reminder.outcome, reminder.recipient_count) == ("sent", 3)
    assert reply_clock_sweep().requeued == []
    assert Message.objects.get(pk=question.pk).clock_running
