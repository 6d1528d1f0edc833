"""Display names and stored types for attached files.

Limits and content checks are compliance rules (attach.count, attach.size, attach.type,
attach.content); this module only makes a sender's file name safe to show.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

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
