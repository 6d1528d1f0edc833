"""The one way an attachment leaves the server: as a download, never rendered."""

from __future__ import annotations

from django.http import FileResponse, Http404

from messagecenter.messaging.models import Attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as an attachment; the browser may neither sniff, render, script nor cache it.

    Call it only with an attachment from ``access_attachment``.
    """
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# The browser may keep a preview for an hour, for this person only: it is private content
# (no shared cache may store it) and it never changes once made.
PREVIEW_CACHE_CONTROL = "private, max-age=3600"


def preview_response(attachment: Attachment) -> FileResponse:
    """The attachment's preview picture, shown inline; 404 until the worker has made one.

    Call it only with an attachment from ``access_attachment``. The preview is our own
    re-encoded picture, never the sender's bytes, so it may be shown in the page.
    """
    if not attachment.has_preview:
        raise Http404("No such file.")
    response = FileResponse(
        attachment.preview.open("rb"), content_type=attachment.preview_content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = PREVIEW_CACHE_CONTROL
    response["Vary"] = "Cookie"
    return response
