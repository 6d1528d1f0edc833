"""The Celery application: a worker runs the tasks, beat queues the periodic ones.

Two queues. "celery" (the default) carries the email and webhook work, which can pile up;
"clock" carries beat's periodic sweeps and the reply reminders, so the 24-hour clock never
waits behind a backlog of email. Workers consume both unless told otherwise (`-Q`); a
worker of its own for "clock" (`-Q clock`) keeps the clock on time even when every other
worker is busy.
"""

import os
from pathlib import Path

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")

app = Celery("messagecenter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _prepare_filesystem_broker() -> None:
    """The on-disk broker used without REDIS_URL needs its folders to exist."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for folder in settings.CELERY_BROKER_TRANSPORT_OPTIONS.values():
            if isinstance(folder, str):
                Path(folder).mkdir(parents=True, exist_ok=True)


_prepare_filesystem_broker()

app.conf.beat_schedule = {
    "queue-unsent-message-notifications": {
        "task": "notifications.queue_unsent_notifications",
        "schedule": 60.0,
    },
    "purge-expired-uploads": {
        "task": "messaging.purge_expired_uploads",
        "schedule": 60 * 60.0,
    },
    "send-daily-digests": {
        "task": "notifications.send_daily_digests",
        "schedule": 60 * 60.0,  # hourly: each person gets theirs a day after the last
    },
    "sweep-reply-clocks": {
        "task": "clock.sweep_reply_clocks",
        "schedule": 60.0,
        # A sweep still waiting after a minute is superseded by the next one.
        "options": {"expires": 55},
    },
    "queue-due-webhooks": {
        "task": "webhooks.queue_due_webhooks",
        "schedule": 60.0,  # deliveries whose task never reached a worker
    },
    "purge-idempotency-records": {
        "task": "api.purge_idempotency_records",
        "schedule": 60 * 60.0,
    },
    "requeue-pending-tasks": {
        "task": "core.requeue_pending_tasks",
        "schedule": 60.0,  # tasks the broker refused when they were first queued
    },
    "clear-expired-sessions": {
        "task": "accounts.clear_expired_sessions",
        "schedule": 6 * 60 * 60.0,
    },
}

DEFAULT_QUEUE = "celery"
CLOCK_QUEUE = "clock"
# Quick periodic work, and the reminders, which must go out before an answer is due. The
# daily digests stay on the default queue: they are a batch of email, hourly, not urgent
# to the minute.
CLOCK_TASKS = (
    "clock.sweep_reply_clocks",
    "clock.send_reply_reminders",
    "notifications.queue_unsent_notifications",
    "webhooks.queue_due_webhooks",
    "core.requeue_pending_tasks",
    "messaging.purge_expired_uploads",
    "api.purge_idempotency_records",
    "accounts.clear_expired_sessions",
)
app.conf.task_default_queue = DEFAULT_QUEUE
app.conf.task_queues = (Queue(DEFAULT_QUEUE), Queue(CLOCK_QUEUE))
app.conf.task_routes = {name: {"queue": CLOCK_QUEUE} for name in CLOCK_TASKS}
