"""A worker killed with SIGKILL while sending a notice of one email: the assignment notice
and the daily digest.

Sam gives Jordan's conversation to Avery; Avery chose a daily digest of new messages. A
real worker is about to hand the email to the mail server when the test kills it
(tests/faults/mail_hooks.py stops it there). What beat runs next still sends the email,
once.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from messagecenter.accounts.models import NotificationPreference
from messagecenter.notifications.tasks import queue_unsent_notifications, send_daily_digests
from messagecenter.threads.assignment import conversation_assign
from messagecenter.threads.models import Conversation, ConversationAssignment
from tests import factories
from tests.faults.frozen_worker import through_redis, wait_for, worker_frozen_at

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_while_sending_an_assignment_notice_loses_no_notice(
    tmp_path,
    start_worker,
    smtp_sink,
    recover_as_beat_and_a_worker,
    point_celery_at,
    redis_key_prefix,
    real_now_plus,
    sam,
    avery,
    jordans_order,
):
    # The team's email about Jordan's message goes out in this process (locmem), before
    # the worker is there.
    factories.buyer_message(jordans_order, "Could someone check the engraving?")
    conversation = Conversation.objects.get(order=jordans_order)
    worker, marker = worker_frozen_at(start_worker, smtp_sink, tmp_path, "before:1")
    through_redis(point_celery_at, redis_key_prefix)

    conversation_assign(conversation=conversation, assignee=avery, by=sam)
    wait_for(marker, worker)
    worker.kill()  # the notice was about to go to the mail server
    assert smtp_sink.accepted == []

    # Beat's rescan, once the dead worker's claim has run out.
    real_now_plus(minutes=10)
    recover_as_beat_and_a_worker()
    queue_unsent_notifications()

    [notice] = smtp_sink.accepted
    assert notice.to == (avery.email,)
    assert notice.subject == f"Sam Carter assigned you: {conversation.subject}"
    assert ConversationAssignment.objects.get().notified_at is not None
    assert queue_unsent_notifications() == 0
    assert len(smtp_sink.accepted) == 1, "the notice goes once"


def test_a_worker_killed_while_sending_a_digest_leaves_it_to_the_next_hourly_run(
    tmp_path,
    start_worker,
    smtp_sink,
    recover_as_beat_and_a_worker,
    point_celery_at,
    redis_key_prefix,
    real_now_plus,
    avery,
    jordans_order,
):
    NotificationPreference.objects.create(user=avery, kind="new_message", frequency="daily")
    factories.buyer_message(jordans_order, "Is the sage duvet cover back in stock?")
    worker, marker = worker_frozen_at(start_worker, smtp_sink, tmp_path, "before:1")
    through_redis(point_celery_at, redis_key_prefix)

    send_daily_digests.delay()  # as beat queues it every hour
    wait_for(marker, worker)
    worker.kill()  # Avery's digest was about to go to the mail server
    assert smtp_sink.accepted == []

    real_now_plus(hours=1)
    recover_as_beat_and_a_worker()
    assert send_daily_digests() == 1

    [digest] = smtp_sink.accepted
    assert digest.to == (avery.email,)
    assert digest.subject == f"Your daily summary from {settings.MARKETPLACE_NAME}"
    assert send_daily_digests() == 0
    assert len(smtp_sink.accepted) == 1, "the digest goes once"
