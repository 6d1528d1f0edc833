"""Queueing tasks after commit: nothing for a rolled-back write, and what a dead broker
refuses is recorded and queued again by beat."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from messagecenter.celery import app as celery_app
from messagecenter.core.models import PendingTask
from messagecenter.core.tasks import RETRY_EVERY, enqueue, enqueue_on_commit, requeue_pending_tasks
from messagecenter.notifications.tasks import SEND_MESSAGE_NOTIFICATION
from tests import factories

DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_nothing_is_queued_for_a_write_that_rolls_back(jordans_order, sam, jordan):
    message = factories.buyer_message(jordans_order)
    mail.outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(SEND_MESSAGE_NOTIFICATION, message.pk)
        raise RuntimeError("rolled back")
    assert mail.outbox == []
    assert not PendingTask.objects.exists()


@pytest.mark.django_db
def test_a_task_the_broker_refuses_is_recorded_and_queued_again(
    point_celery_at, jordans_order, sam
):
    point_celery_at(DEAD_BROKER, eager=False)
    message = factories.buyer_message(jordans_order)  # eager off: its notification waits
    assert not enqueue(SEND_MESSAGE_NOTIFICATION, message.pk)
    pending = PendingTask.objects.get(task_name=SEND_MESSAGE_NOTIFICATION, args=[message.pk])
    assert "Error" in pending.error

    # Still down: the next run tries again later and keeps the row.
    PendingTask.objects.update(last_attempt_at=pending.last_attempt_at - RETRY_EVERY)
    assert requeue_pending_tasks() == 0
    pending.refresh_from_db()
    assert pending.attempts == 2

    # The broker is back (eager here): beat hands it over, the email goes out once.
    celery_app.conf.task_always_eager = True
    PendingTask.objects.update(last_attempt_at=pending.last_attempt_at - timedelta(minutes=1))
    mail.outbox.clear()
    assert requeue_pending_tasks() == 1
    assert not PendingTask.objects.exists()
    assert [m.to for m in mail.outbox] == [[sam.email]]


@pytest.mark.django_db
def test_a_recent_refusal_waits_before_it_is_tried_again(point_celery_at, jordans_order):
    point_celery_at(DEAD_BROKER, eager=False)
    enqueue(SEND_MESSAGE_NOTIFICATION, 12345)
    celery_app.conf.task_always_eager = True
    assert requeue_pending_tasks() == 0
    assert PendingTask.objects.count() == 1


@pytest.mark.django_db
def test_an_unknown_task_name_is_dropped_not_retried_forever():
    PendingTask.objects.create(task_name="nobody.has_this_task", args=[1])
    PendingTask.objects.update(last_attempt_at=PendingTask.objects.get().created_at - RETRY_EVERY)
    assert requeue_pending_tasks() == 0
    assert not PendingTask.objects.exists()
