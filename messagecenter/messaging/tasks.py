"""Celery entry points for messaging: they take ids and call services."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from messagecenter.messaging.previews import MAKE_ATTACHMENT_PREVIEW, attachment_preview_make
from messagecenter.messaging.uploads import uploads_purge_expired


@shared_task(name="messaging.purge_expired_uploads")
def purge_expired_uploads() -> int:
    """Delete files people uploaded and never sent, once they expire."""
    return uploads_purge_expired()


@shared_task(
    name=MAKE_ATTACHMENT_PREVIEW,
    # A file or database that is briefly unreachable; a file that cannot be drawn is no
    # error (the service records that it has no preview).
    autoretry_for=(OSError, OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def make_attachment_preview(attachment_id: int) -> bool:
    """A small picture of an attached image or PDF, for the conversation page."""
    return attachment_preview_make(attachment_id)
