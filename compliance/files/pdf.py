"""PDFs: refused when they can run something, fetch something, or carry other files.

Two independent looks, so hiding from one is not enough:

1. A raw scan of the file's bytes outside its streams, with ``#xx`` escapes in names
   decoded first (``/J#61vaScript`` is ``/JavaScript``). Stream contents are skipped:
   they are compressed data or page text, where a name-like byte run means nothing.
2. pypdf parses the file and every object in its cross-reference tables is loaded and
   walked, including objects packed inside compressed object streams, which the raw scan
   cannot see. pypdf decodes name escapes and hex strings itself.

Refused, by name as a dictionary key or value: /JS and /JavaScript (scripts, including
/OpenAction and /AA triggers that run them), /Launch, /EmbeddedFile(s) and
/FileAttachment, /RichMedia, /XFA, /SubmitForm, /ImportData, and /GoToE and /GoToR (jumps
into other files; /GoToR to a network path leaks the reader's credentials). /URI links
are allowed unless they use the javascript:, vbscript:, data: or file: schemes.

An encrypted PDF is inspected if it opens with an empty password (permission-only
encryption); otherwise, or if its cipher is one pypdf cannot decrypt here, it is refused:
its strings and streams cannot be checked.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from typing import Any

import pypdf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from pypdf.errors import LimitReachedError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from compliance.files.report import CONTENT, FileProblem, Limits
from compliance.files.signatures import describe, foreign_content

_JAVASCRIPT = gettext_lazy("JavaScript")
_EMBEDDED_FILES = gettext_lazy("embedded files")
_OTHER_FILE_LINKS = gettext_lazy("links into other files")
ACTIVE_NAMES = {
    "JS": _JAVASCRIPT,
    "JavaScript": _JAVASCRIPT,
    "Launch": gettext_lazy("an action that launches programs"),
    "EmbeddedFile": _EMBEDDED_FILES,
    "EmbeddedFiles": _EMBEDDED_FILES,
    "FileAttachment": _EMBEDDED_FILES,
    "RichMedia": gettext_lazy("embedded Flash or media"),
    "XFA": gettext_lazy("an XFA form, which can run scripts"),
    "SubmitForm": gettext_lazy("a form that sends data away"),
    "ImportData": gettext_lazy("an action that imports data"),
    "GoToE": _OTHER_FILE_LINKS,
    "GoToR": _OTHER_FILE_LINKS,
}
BAD_LINK = gettext_lazy("a link that runs a script or opens a local file")
BAD_URI_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")

_DELIMITER = rb"[\x00\t\n\x0c\r ()<>\[\]{}/%]"
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_ESCAPED_NAME = re.compile(b"/" + _REGULAR + b"*#[0-9A-Fa-f]{2}" + _REGULAR + b"*")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_ACTIVE_NAME = re.compile(
    b"/("
    + b"|".join(n.encode() for n in sorted(ACTIVE_NAMES, key=len, reverse=True))
    + b")(?="
    + _DELIMITER
    + rb"|\Z)"
)
_BAD_URI = re.compile(rb"/URI\s*\(\s*(?:javascript|vbscript|data|file):", re.IGNORECASE)
_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")


class _Unreadable(Exception):
    pass


def check_pdf(shown: str, data: bytes, limits: Limits) -> list[FileProblem]:
    if not data.startswith(b"%PDF-"):
        return [
            _problem(
                _(
                    "“{name}” does not start with a PDF header; something is placed before the "
                    "document. Export the PDF again and attach the new copy."
                ).format(name=shown)
            )
        ]
    eof = data.rfind(b"%%EOF")
    if eof < 0:
        return [
            _problem(
                _(
                    "“{name}” is incomplete (it has no end-of-file marker). Export the PDF again "
                    "and attach the new copy."
                ).format(name=shown)
            )
        ]
    outside = outside_streams(data)
    found = {str(ACTIVE_NAMES[m.group(1).decode()]) for m in _ACTIVE_NAME.finditer(outside)}
    if _BAD_URI.search(outside):
        found.add(str(BAD_LINK))
    problems = []
    try:
        walked, encrypted = _walk_with_pypdf(data, limits)
        found |= walked
    except _Unreadable as exc:
        problems.append(
            _problem(
                _(
                    "“{name}” could not be read as a PDF ({reason}); it may be damaged. Export "
                    "it again and attach the new copy."
                ).format(name=shown, reason=exc)
            )
        )
        encrypted = False
    if found:
        problems.append(
            _problem(
                _(
                    "“{name}” contains {content}; a PDF sent here may not run scripts, start "
                    "programs, send data or carry other files. Export or print it as a plain "
                    "PDF, without scripts, attachments or form actions, and attach that instead."
                ).format(name=shown, content=describe(sorted(found)))
            )
        )
    if encrypted:
        problems.append(
            _problem(
                _(
                    "“{name}” is password-protected, so its content cannot be checked. Save a "
                    "copy without a password and attach that instead."
                ).format(name=shown)
            )
        )
    end = eof + len(b"%%EOF")
    hidden = foreign_content(
        data, end=end, pdf=True, anywhere=data[:1024] + b"\n" + outside + b"\n" + data[end:]
    )
    if hidden:
        problems.append(
            _problem(
                _(
                    "“{name}” is a PDF that also carries {content}; such a double file can be "
                    "opened as something other than a document. Export the PDF again and attach "
                    "the new copy."
                ).format(name=shown, content=describe(hidden))
            )
        )
    return problems


def outside_streams(data: bytes) -> bytes:
    """The file without its stream contents, with ``#xx`` escapes in names decoded."""
    parts = []
    position = 0
    while (start := _STREAM_START.search(data, position)) is not None:
        parts.append(data[position : start.end()])
        stop = data.find(b"endstream", start.end())
        if stop < 0:
            position = start.end()  # unterminated: scan the rest rather than skip it
            break
        position = stop
    parts.append(data[position:])
    return _ESCAPED_NAME.sub(_decode_name, b"".join(parts))


def _decode_name(match: re.Match[bytes]) -> bytes:
    return _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group())


def _walk_with_pypdf(data: bytes, limits: Limits) -> tuple[set[str], bool]:
    """Active content pypdf finds in every indexed object, and whether it stays locked."""
    found: set[str] = set()
    try:
        with _bounded_pypdf(limits):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except Exception:  # a cipher pypdf cannot do here counts as locked
                    opened = None
                if not opened:
                    return found, True
            numbers = [
                (number, generation)
                for generation, table in reader.xref.items()
                for number in table
            ]
            numbers += [(number, 0) for number in reader.xref_objStm]
            if len(numbers) > limits.max_pdf_objects:
                raise _Unreadable(
                    ngettext(
                        "it has more than {count:,} object",
                        "it has more than {count:,} objects",
                        limits.max_pdf_objects,
                    ).format(count=limits.max_pdf_objects)
                )
            _inflate_object_streams(reader, limits)
            for number, generation in numbers:
                _collect(reader.get_object(IndirectObject(number, generation, reader)), found)
            _collect(reader.trailer, found)
    except _Unreadable:
        raise
    except LimitReachedError as exc:
        megabytes = limits.max_pdf_stream_bytes // (1024 * 1024)
        raise _Unreadable(
            _("part of it unpacks to more than {size} MB").format(size=megabytes)
        ) from exc
    except Exception as exc:  # any parser error on untrusted input means "unreadable"
        raise _Unreadable(str(exc).strip()[:120] or type(exc).__name__) from exc
    return found, False


def _inflate_object_streams(reader: pypdf.PdfReader, limits: Limits) -> None:
    """Inflate every object stream once, within a total budget: pypdf caches what it
    inflates, so without this a few hundred small streams could each fill memory."""
    inflated = 0
    for number in sorted({stream for stream, _index in reader.xref_objStm.values()}):
        container = reader.get_object(number)
        if isinstance(container, StreamObject):
            inflated += len(container.get_data())
            if inflated > limits.max_pdf_inflated_bytes:
                megabytes = limits.max_pdf_inflated_bytes // (1024 * 1024)
                raise _Unreadable(
                    _("its compressed objects unpack to more than {size} MB").format(size=megabytes)
                )


def _collect(obj: Any, found: set[str], depth: int = 0) -> None:
    """Add what is active in one object; references are not followed (each indexed object
    is walked on its own)."""
    if depth > 100:
        raise _Unreadable(_("its objects are nested too deeply"))
    if isinstance(obj, NameObject):
        label = ACTIVE_NAMES.get(obj[1:])
        if label:
            found.add(str(label))
    elif isinstance(obj, DictionaryObject):  # includes streams
        for key, value in dict.items(obj):
            _collect(key, found, depth + 1)
            if key == "/URI" and _bad_uri(value):
                found.add(str(BAD_LINK))
            _collect(value, found, depth + 1)
    elif isinstance(obj, ArrayObject):
        for item in list.__iter__(obj):
            _collect(item, found, depth + 1)


def _bad_uri(value: Any) -> bool:
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return isinstance(value, str) and value.strip().lower().startswith(BAD_URI_SCHEMES)


@contextlib.contextmanager
def _bounded_pypdf(limits: Limits) -> Iterator[None]:
    """pypdf with tighter inflate limits and no external decoder, for this thread only
    (pypdf 7 keeps its configuration in a context variable)."""
    apply = getattr(pypdf, "apply_configuration", None)
    if apply is None:  # older pypdf: its built-in limits (75 MB per stream) apply
        yield
        return
    inflated = limits.max_pdf_stream_bytes
    with apply(
        zlib_maximum_output_length=inflated,
        lzw_maximum_output_length=inflated,
        run_length_maximum_output_length=inflated,
        maximum_declared_stream_length=inflated,
        jbig2dec_binary=None,
    ):
        yield


def _problem(message: str) -> FileProblem:
    return FileProblem(CONTENT, message)
