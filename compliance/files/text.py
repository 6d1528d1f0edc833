"""Plain-text files (.txt).

A .txt must be text a person reads, in an encoding that is stated rather than guessed:
UTF-8 (with or without a byte-order mark), or UTF-16 with its byte-order mark. Decisions:

* NUL bytes and control characters other than tab, line feed, carriage return and form
  feed mean the file is binary data, not text.
* Markup a browser renders is not plain text: a file that *starts* as an HTML or SVG
  document, or as XML that carries scripts, XHTML, SVG or a stylesheet, is refused, as is
  ``<script`` anywhere. Downloads are served as attachments with ``nosniff``, but the file
  may be saved and opened later by a browser that decides by content. XML data without
  any of those (an order export) is allowed.
* Other text, including source code, is allowed: as text/plain it runs nowhere.
"""

from __future__ import annotations

import codecs
import re

from django.utils.translation import gettext as _

from compliance.files.report import CONTENT, FileProblem

ALLOWED_CONTROLS = "\t\n\r\f"
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
MARKUP_STARTS = (
    "<!doctype",
    "<html",
    "<head",
    "<body",
    "<script",
    "<svg",
    "<iframe",
    "<object",
    "<embed",
    "<meta",
    "<style",
    "<link",
    "<form",
)
ACTIVE_XML = (
    "<script",
    "<svg",
    "http://www.w3.org/1999/xhtml",
    "<?xml-stylesheet",
    "javascript:",
    "<html",
    "<!entity",
)
MARKUP_MIMES = frozenset({"text/html", "image/svg+xml"})


def decode_text(data: bytes) -> tuple[str, str] | None:
    """(text, charset) for UTF-8 or BOM-marked UTF-16; ``None`` when it is neither."""
    try:
        if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
            return None
        if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
            return data.decode("utf-16"), "utf-16"
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return None


def check_text(shown: str, data: bytes, libmagic_mime: str) -> tuple[list[FileProblem], str]:
    """Problems with a .txt file, and the charset to serve it with."""
    decoded = decode_text(data)
    if decoded is None:
        if b"\x00" in data[:4096]:
            return [_binary(shown)], "utf-8"
        return [
            _problem(
                _(
                    "“{name}” is not UTF-8 or UTF-16 text. Save it as UTF-8 text (most editors "
                    "offer this under “Save as”) and attach it again."
                ).format(name=shown)
            )
        ], "utf-8"
    text, charset = decoded
    if "\x00" in text:
        return [_binary(shown)], charset
    bad = _FORBIDDEN.search(text)
    if bad:
        return [
            _problem(
                _(
                    "“{name}” contains binary control characters (U+{code} at character "
                    "{position}), so it is not plain text. Attach the original document instead."
                ).format(name=shown, code=f"{ord(bad.group()):04X}", position=bad.start() + 1)
            )
        ], charset
    if _is_markup(text, libmagic_mime):
        return [
            _problem(
                _(
                    "“{name}” is a web page or markup (HTML, SVG or scripted XML), not plain "
                    "text. Send it as a PDF, or paste the text itself into a .txt file."
                ).format(name=shown)
            )
        ], charset
    return [], charset


def _is_markup(text: str, libmagic_mime: str) -> bool:
    if libmagic_mime in MARKUP_MIMES:
        return True
    lowered = text.lower()
    start = lowered[:2048].lstrip("\ufeff \t\r\n")
    if start.startswith(MARKUP_STARTS) or "<script" in lowered:
        return True
    return start.startswith("<?xml") and any(marker in lowered for marker in ACTIVE_XML)


def _binary(shown: str) -> FileProblem:
    return _problem(
        _(
            "“{name}” contains NUL bytes, so it is binary data, not text. Attach the original "
            "document instead."
        ).format(name=shown)
    )


def _problem(message: str) -> FileProblem:
    return FileProblem(CONTENT, message)
