"""The one way an attachment leaves the server: as a download, never rendered."""

from __future__ import annotations

from django.http import FileResponse

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
