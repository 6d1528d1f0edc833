"""Handing Celery tasks to the broker: after commit, and never at the cost of the write.

A message, an assignment or a webhook delivery is stored first; the task that emails or
posts it is queued once the transaction commits (a rolled-back write queues nothing). If
the broker is down, the write still stands: the hand-over is recorded as a PendingTask and
beat queues it again (``requeue_pending_tasks``). Tasks are named by their registered
name, so a service never imports its app's ``tasks`` module (which imports the service).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from celery import Task, current_app, shared_task
from django.db import transaction
from django.utils import timezone

from messagecenter.core.models import PendingTask

logger = logging.getLogger(__name__)

# A pending task is retried at most this often, and given up after this many tries.
RETRY_EVERY = timedelta(seconds=30)
MAX_ATTEMPTS = 200
REQUEUE_BATCH = 500


def enqueue_on_commit(task_name: str, *args: object) -> None:
    """Queue the task once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, task_name, *args))


def enqueue_many_on_commit(task_name: str, arg_lists: Iterable[tuple[object, ...]]) -> None:
    """Queue one task per argument tuple once the current transaction commits."""
    pending = [tuple(args) for args in arg_lists]
    if pending:
        transaction.on_commit(lambda: [enqueue(task_name, *args) for args in pending])


def registered_task(task_name: str) -> Task:
    """The task registered under this name.

    A web process has not imported every app's ``tasks`` module (the worker does that at
    start-up), so the first lookup of a name it has not seen imports them all, as the
    worker would.
    """
    tasks = current_app.tasks
    if task_name not in tasks:
        current_app.loader.import_default_modules()
    return tasks[task_name]


def enqueue(task_name: str, *args: object) -> bool:
    """Hand the task to the broker now; on failure record it for beat. True when taken."""
    try:
        registered_task(task_name).apply_async(args=list(args), retry=False)
    except Exception as error:
        logger.warning("Could not queue %s%s (%s); recorded for later.", task_name, args, error)
        _record_pending(task_name, args, error)
        return False
    return True


def _record_pending(task_name: str, args: tuple[object, ...], error: Exception) -> None:
    try:
        PendingTask.objects.create(
            task_name=task_name, args=list(args), error=f"{type(error).__name__}: {error}"[:2000]
        )
    except Exception:  # the database is down too: the periodic rescans are the last resort
        logger.exception("Could not record the pending task %s%s.", task_name, args)


def requeue_pending_tasks() -> int:
    """Hand recorded tasks to the broker again; returns how many it took."""
    moment = timezone.now()
    due = list(
        PendingTask.objects.filter(last_attempt_at__lte=moment - RETRY_EVERY).order_by("id")[
            :REQUEUE_BATCH
        ]
    )
    taken = 0
    for pending in due:
        try:
            registered_task(pending.task_name).apply_async(args=pending.args, retry=False)
        except KeyError:
            logger.error("Dropping pending task %s: no such task.", pending.task_name)
            pending.delete()
            continue
        except Exception as error:
            if pending.attempts + 1 >= MAX_ATTEMPTS:
                logger.error("Giving up on %s after %d attempts.", pending, pending.attempts + 1)
                pending.delete()
                continue
            PendingTask.objects.filter(pk=pending.pk).update(
                attempts=pending.attempts + 1,
                error=f"{type(error).__name__}: {error}"[:2000],
                last_attempt_at=moment,
            )
            break  # the broker is still down: the next run tries again
        pending.delete()
        taken += 1
    return taken


@shared_task(name="core.requeue_pending_tasks")
def requeue_pending_tasks_task() -> int:
    """Beat, every minute: queue again what the broker refused earlier."""
    return requeue_pending_tasks()
