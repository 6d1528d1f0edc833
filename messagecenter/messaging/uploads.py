"""Files waiting to be sent: created from a form or the API, used by the send service."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from compliance.engine import FileFacts
from messagecenter.accounts.models import User
from messagecenter.messaging.attachments import clean_display_name, guess_content_type
from messagecenter.messaging.models import Attachment, Upload

UPLOAD_LIFETIME = timedelta(hours=24)


def uploads_create(*, owner: User, files: Iterable[UploadedFile]) -> list[Upload]:
    """Store the files under generated names; they live until sent or for a day."""
    expires = timezone.now() + UPLOAD_LIFETIME
    created = []
    for upload in files:
        # PostgreSQL text cannot hold NUL; "\\0" keeps it visible to the name checks.
        given = (upload.name or "").replace("\x00", "\\0")
        name = clean_display_name(given)
        created.append(
            Upload.objects.create(
                owner=owner,
                file=upload,
                original_name=name,
                name_as_given=given[:1024],
                content_type=guess_content_type(name),
                size=upload.size or 0,
                expires_at=expires,
            )
        )
    return created


def uploads_for_owner(owner: User, ids: Iterable[int]) -> list[Upload]:
    """The owner's unexpired uploads among these ids (parsed by ``core.ids``); others'
    uploads and expired ones are left out."""
    wanted = set(ids)
    if not wanted:
        return []
    return list(Upload.objects.filter(owner=owner, pk__in=wanted, expires_at__gt=timezone.now()))


def _reader(stored: Upload | Attachment) -> Callable[[], bytes]:
    """Read a stored file only when a rule asks for its content (one closure per file)."""

    def read() -> bytes:
        with stored.file.open("rb") as handle:
            return handle.read()

    return read


def upload_facts(uploads: Sequence[Upload]) -> tuple[FileFacts, ...]:
    return tuple(
        FileFacts(name=u.name_as_given or u.original_name, size=u.size, read=_reader(u))
        for u in uploads
    )


def attachment_facts(attachments: Sequence[Attachment]) -> tuple[FileFacts, ...]:
    """The files of a stored message, for judging it again (a reviewer's edit)."""
    return tuple(FileFacts(name=a.original_name, size=a.size, read=_reader(a)) for a in attachments)


def uploads_purge_expired() -> int:
    """Delete uploads nobody sent, and their files."""
    expired = list(Upload.objects.filter(expires_at__lte=timezone.now())[:1000])
    for upload in expired:
        upload.file.delete(save=False)
        upload.delete()
    return len(expired)
