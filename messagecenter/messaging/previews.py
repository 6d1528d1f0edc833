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
from django.utils import timezone

from messagecenter.core.tasks import enqueue_many_on_commit
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
