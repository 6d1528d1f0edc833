"""Downloading an attachment from the website."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_GET

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.messaging.access import access_attachment
from messagecenter.messaging.downloads import attachment_response, preview_response


@login_required
@require_GET
def attachment_download(request: AuthenticatedHttpRequest, attachment_id: int) -> FileResponse:
    """Serve a file as a download, never inline, and only to people who may read it."""
    return attachment_response(access_attachment(request.user, attachment_id))


@login_required
@require_GET
def attachment_preview(request: AuthenticatedHttpRequest, attachment_id: int) -> FileResponse:
    """The small picture of a file, to whoever may download the file itself."""
    return preview_response(access_attachment(request.user, attachment_id))
