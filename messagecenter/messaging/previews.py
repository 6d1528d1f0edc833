"""Previews of attached files, made by the worker once the message is stored.

The send service queues one task per image or PDF after its transaction commits; the task
calls ``attachment_preview_make``, which is safe to run any number of times: the first run
that finishes records its picture (or that there is none) and every later run does
nothing. A file that cannot be made into a picture is simply left without a preview: its
message was delivered long before, and the page shows the ordinary file link.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from messagecenter.core.tasks import enqueue, enqueue_many_on_commit
from messagecenter.messaging.models import Attachment
from messagecenter.messaging.storage import attachment_storage, generated_attachment_path
from messagecenter.messaging.thumbnails import NoPreview, make_thumbnail

logger = logging.getLogger(__name__)

MAKE_ATTACHMENT_PREVIEW = "messaging.make_attachment_preview"
# By the type its (content-checked) name gives: other files are never read for a preview.
PREVIEWED_TYPES = ("image/", "application/pdf")


def wants_preview(content_type: str) -> bool:
    return content_type.startswith(PREVIEWED_TYPES)


def queue_previews(attachments: Iterable[Attachment]) -> None:
    """Queue a preview for each image and PDF once the current transaction commits."""
    enqueue_many_on_commit(
        MAKE_ATTACHMENT_PREVIEW, [(a.pk,) for a in attachments if wants_preview(a.content_type)]
    )


def previews_queue_missing(*, batch: int = 1000) -> int:
    """Queue a preview for each image and PDF the worker has not looked at yet (files sent
    before previews existed, or whose task was lost); returns how many were queued. Safe
    to run again: a task for a file already done does nothing."""
    queued = 0
    last_id = 0
    while True:
        ids = list(
            Attachment.objects.filter(
                Q(content_type__startswith="image/") | Q(content_type="application/pdf"),
                preview_checked_at=None,
                pk__gt=last_id,
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return queued
        for attachment_id in ids:
            queued += enqueue(MAKE_ATTACHMENT_PREVIEW, attachment_id)
        last_id = ids[-1]


def attachment_preview_make(attachment_id: int) -> bool:
    """Make the attachment's preview unless a run before did (or gave up); True when this
    run stored one. Storage and database errors propagate: the task retries on them."""
    attachment = Attachment.objects.filter(pk=attachment_id, preview_checked_at=None).first()
    if attachment is None:
        return False
    with attachment.file.open("rb") as handle:
        data = handle.read()
    try:
        thumbnail = make_thumbnail(data)
    except NoPreview as reason:
        logger.info("No preview for attachment %s: %s", attachment_id, reason)
        _settle(attachment_id)
        return False
    name = attachment_storage.save(generated_attachment_path(None, ""), ContentFile(thumbnail.data))
    try:
        stored = _settle(
            attachment_id,
            preview=name,
            preview_content_type=thumbnail.content_type,
            preview_width=thumbnail.width,
            preview_height=thumbnail.height,
        )
    except BaseException:
        attachment_storage.delete(name)
        raise
    if not stored:  # a run alongside this one finished first: keep its picture only
        attachment_storage.delete(name)
    return stored


def _settle(attachment_id: int, **preview: object) -> bool:
    """Record the outcome, unless another run already did."""
    return bool(
        Attachment.objects.filter(pk=attachment_id, preview_checked_at=None).update(
            preview_checked_at=timezone.now(), **preview
        )
    )
