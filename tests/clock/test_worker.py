"""Beat's sweep, sent as beat sends it, run by a real worker through Redis.

Jordan's question to Harbor Lights is due in under two hours. Beat queues the sweep; the
worker runs it, which claims the 2-hour reminder and queues it; the worker sends it.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from celery.beat import ScheduleEntry, Scheduler
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.db import connection

from messagecenter.celery import app as celery_app
from messagecenter.clock.models import ReplyReminder
from messagecenter.clock.tasks import send_reply_reminders, sweep_reply_clocks
from messagecenter.messaging.models import Message
from tests import factories


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_beat_sweep_through_redis(
    clock, point_celery_at, redis_key_prefix, jordan
):
    from celery.contrib.testing.worker import start_worker

    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set; `make test` sets it.")
    if connection.vendor == "sqlite":
        pytest.skip("The worker thread needs a database server it can share with the test.")

    harbor = factories.business("Harbor Lights")
    lee = factories.member(harbor, "lee@harbor.example", "Lee Park", "owner")
    question = factories.buyer_message(factories.order(buyer=jordan, seller=harbor))
    clock.advance(hours=22, minutes=30)
    mail.outbox = []

    point_celery_at(
        settings.REDIS_URL, eager=False, transport_options={"global_keyprefix": redis_key_prefix}
    )
    hijack = celery_app.conf.worker_hijack_root_logger
    celery_app.conf.worker_hijack_root_logger = False  # leave pytest's log capture alone
    runs: list[tuple[str, bool, str]] = []

    def record_run(sender, **kwargs) -> None:
        runs.append((sender.name, bool(sender.request.is_eager), threading.current_thread().name))

    for task in (sweep_reply_clocks, send_reply_reminders):
        task_postrun.connect(record_run, sender=task, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False):
            # What beat does with the schedule entry in messagecenter/celery.py.
            entry = ScheduleEntry(
                name="sweep-reply-clocks",
                app=celery_app,
                **celery_app.conf.beat_schedule["sweep-reply-clocks"],
            )
            Scheduler(app=celery_app, lazy=True).apply_async(entry, advance=False)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not mail.outbox:
                time.sleep(0.1)
    finally:
        for task in (sweep_reply_clocks, send_reply_reminders):
            task_postrun.disconnect(record_run, sender=task)
        celery_app.conf.worker_hijack_root_logger = hijack

    assert mail.outbox, "the worker did not send the reminder within 20 s"
    [sent] = mail.outbox
    assert sent.to == [lee.email]
    assert sent.subject.startswith("Answer due in 1 h:")
    reminder = ReplyReminder.objects.get()
    assert (reminder.message_id, reminder.hours_before, reminder.outcome) == (
        question.pk,
        2,
        "sent",
    )
    # Both tasks went through Redis to the worker's thread, not run in place.
    names = [name for name, _, _ in runs]
    assert names == [sweep_reply_clocks.name, send_reply_reminders.name]
    assert all(not eager and thread != threading.current_thread().name for _, eager, thread in runs)
    assert Message.objects.get(pk=question.pk).clock_running
    assert question.reply_due_at - clock.now == timedelta(hours=1, minutes=30)
