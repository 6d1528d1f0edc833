"""Checks on the files attached to one message: count, total size and display names."""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from collections.abc import Sequence
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from messagecenter.errors import UserFacingError

_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]")


def clean_display_name(name: str) -> str:
    """The sender's file name, made safe to show and to put in a download header."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE_NAME_CHARS.sub("_", base).strip(" .")
    return (base or "attachment")[:255]


def guess_content_type(display_name: str) -> str:
    guessed, _ = mimetypes.guess_type(display_name)
    return guessed or "application/octet-stream"


def check_attachment_limits(
    files: Sequence[UploadedFile], *, min_files: int = 0, max_files: int | None = None
) -> None:
    """Refuse a set of files that breaks the per-message limits, saying which limit."""
    limit = settings.ATTACHMENT_MAX_FILES if max_files is None else max_files
    if len(files) > limit:
        if limit == 0:
            raise UserFacingError(
                "This message type cannot carry attachments. Remove the files or choose "
                "another message type.",
                field="attachments",
            )
        raise UserFacingError(
            f"You attached {len(files)} files; a message can carry at most {limit}. "
            "Remove some and send the rest in another message.",
            field="attachments",
        )
    if len(files) < min_files:
        raise UserFacingError(
            "This message type needs at least one attachment (for example the invoice or "
            "the document itself).",
            field="attachments",
        )
    total = sum(f.size or 0 for f in files)
    cap = settings.ATTACHMENT_MAX_TOTAL_BYTES
    if total > cap:
        raise UserFacingError(
            f"The attachments add up to {filesizeformat(total)}; the limit for one message "
            f"is {filesizeformat(cap)}.",
            field="attachments",
        )
    for f in files:
        if not f.size:
            raise UserFacingError(
                f"The file {clean_display_name(f.name or '')!r} is empty.", field="attachments"
            )
