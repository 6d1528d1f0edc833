"""Work the broker could not take, kept until it can."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PendingTask(models.Model):
    """A Celery task whose hand-over to the broker failed (the broker was down).

    Written by core.tasks.enqueue when ``apply_async`` raises; beat's
    ``requeue_pending_tasks`` hands it over again until the broker takes it. Every task
    queued this way is safe to run twice (each claims its work in the database first), so
    a task that did reach the broker after all costs nothing when re-queued.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"


class EmailSentRecord(models.Model):
    """One recipient's email, recorded right after the mail server took it (see
    core/mail_delivery.py): a retry skips the recipients that have one."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        abstract = True
