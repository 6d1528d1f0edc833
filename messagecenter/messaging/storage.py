"""Where attachment files live: a private directory that no URL maps to."""

from __future__ import annotations

import os
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="messagecenter.messaging.storage.AttachmentStorage")
class AttachmentStorage(FileSystemStorage):
    """Files under settings.ATTACHMENT_ROOT, read at use so that tests can move it."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.ATTACHMENT_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Attachments have no public URL; use the download view.")


attachment_storage = AttachmentStorage()


def generated_attachment_path(instance: object, filename: str) -> str:
    """A random name; the sender's file name is never used on disk."""
    del instance, filename
    token = secrets.token_hex(16)
    return str(PurePath(token[:2]) / token)
