"""Celery entry points for messaging: they take ids and call services."""

from __future__ import annotations

from celery import shared_task

from messagecenter.messaging.uploads import uploads_purge_expired


@shared_task(name="messaging.purge_expired_uploads")
def purge_expired_uploads() -> int:
    """Delete files people uploaded and never sent, once they expire."""
    return uploads_purge_expired()
