"""Another file hiding inside an image or a PDF (a "polyglot").

A GIF with ``<script>`` in it is also a web page; a JPEG with a ZIP after its end is also
an archive that unzips; a file that opens as a PDF in one program and as an image in
another can smuggle past checks made with the first. Such files are refused.

Three places are searched, with signatures chosen so that compressed data, which looks
random, practically never contains them by chance (the odds are noted below):

* anywhere in the file: long markers only (7+ bytes, or 5 case-folded letters; for a
  10 MB file the chance of a false hit is below 1 in 3,000);
* the first 1,024 bytes: a PDF header, which PDF readers accept anywhere in that range;
* the last 64 KiB: a ZIP end-of-archive record, which unzip tools look for there
  (1 in 65,000 per file);
* after the image's or PDF's own end, where nothing belongs: shorter signatures too.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

ZIP_TAIL_WINDOW = 22 + 0xFFFF  # an end-of-archive record plus the longest comment

# What a hidden piece of content is, named once for every checker that finds one.
PDF_DOCUMENT = pgettext_lazy("hidden content", "a PDF document")
ZIP_ARCHIVE = pgettext_lazy("hidden content", "a ZIP archive")
WINDOWS_PROGRAM = pgettext_lazy("hidden content", "a Windows program")
LINUX_PROGRAM = pgettext_lazy("hidden content", "a Linux program")
RAR_ARCHIVE = pgettext_lazy("hidden content", "a RAR archive")
SEVEN_ZIP_ARCHIVE = pgettext_lazy("hidden content", "a 7-Zip archive")
GZIP_ARCHIVE = pgettext_lazy("hidden content", "a gzip archive")
CAB_ARCHIVE = pgettext_lazy("hidden content", "a CAB archive")

# Matched against the lower-cased bytes.
ANYWHERE: tuple[tuple[bytes, Promise], ...] = (
    (b"<script", pgettext_lazy("hidden content", "a script")),
    (b"<html", pgettext_lazy("hidden content", "a web page")),
    (b"<iframe", pgettext_lazy("hidden content", "a web page")),
    (b"<!doctype html", pgettext_lazy("hidden content", "a web page")),
    (b"http://www.w3.org/2000/svg", pgettext_lazy("hidden content", "an SVG image")),
    (b"<?php", pgettext_lazy("hidden content", "PHP code")),
    (b"javascript:", pgettext_lazy("hidden content", "a script")),
    (b"this program cannot be run in dos mode", WINDOWS_PROGRAM),
)
AFTER_END: tuple[tuple[bytes, Promise], ...] = (
    (b"pk\x03\x04", ZIP_ARCHIVE),
    (b"pk\x05\x06", ZIP_ARCHIVE),
    (b"%pdf-", PDF_DOCUMENT),
    (b"rar!\x1a\x07", RAR_ARCHIVE),
    (b"7z\xbc\xaf\x27\x1c", SEVEN_ZIP_ARCHIVE),
    (b"\x1f\x8b\x08", GZIP_ARCHIVE),
    (b"mscf\x00\x00\x00\x00", CAB_ARCHIVE),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", pgettext_lazy("hidden content", "an Office (OLE) file")),
    (b"\x7felf", LINUX_PROGRAM),
    (b"<svg", pgettext_lazy("hidden content", "an SVG image")),
    (b"<body", pgettext_lazy("hidden content", "a web page")),
    (b"<?xml", pgettext_lazy("hidden content", "an XML document")),
)


def foreign_content(
    data: bytes, *, end: int | None, pdf: bool = False, anywhere: bytes | None = None
) -> list[str]:
    """What else ``data`` carries, as phrases ("a ZIP archive"); empty when nothing.

    ``end`` is where the image or PDF ends by its own structure (``None`` if unknown).
    ``anywhere`` replaces the whole file for the "anywhere" search (a PDF passes the parts
    outside its streams; its streams are compressed data or page text).
    """
    found: list[str] = []
    haystack = (data if anywhere is None else anywhere).lower()
    # A PDF's javascript: links are judged as links, by the PDF checks.
    found += [
        str(label)
        for marker, label in ANYWHERE
        if marker in haystack and not (pdf and marker == b"javascript:")
    ]
    if not pdf and b"%pdf-" in data[:1024].lower():
        found.append(str(PDF_DOCUMENT))
    if b"PK\x05\x06" in data[-ZIP_TAIL_WINDOW:]:
        found.append(str(ZIP_ARCHIVE))
    if end is not None and end < len(data):
        trailing = data[end:]
        lowered = trailing.lower()
        found += [str(label) for marker, label in AFTER_END + ANYWHERE if marker in lowered]
        if trailing.lstrip(b"\x00\r\n\t ")[:2] == b"MZ":
            found.append(str(WINDOWS_PROGRAM))
    return list(dict.fromkeys(found))


def describe(found: list[str]) -> str:
    return str(get_text_list(found, _("and")))
