"""What an attached file really is, decided from its content, and whether it is safe.

``inspect_file(name, data)`` is pure: no database, no settings, no disk. It checks, in
order, and stops at the first step that refuses the file's content:

1. the name (``names``): path tricks, control and bidi characters, double extensions,
   length; and that the final extension is an allowed one;
2. the content's type, detected by libmagic (python-magic), must be an allowed type and
   the one the extension says (a PNG named .pdf is refused);
3. the format's own checks: ``text``, ``images``, ``pdf``, ``docx``, ``doc``; each also
   looks for other files hiding in it (``signatures``).

Problems are ``attach.type`` (the extension or the detected content is not an allowed
type) or ``attach.content`` (the content does not match the extension, is damaged, carries
active content or is built to overwhelm a reader). Limits are in ``report.Limits``.
"""

from __future__ import annotations

import magic
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from compliance.files.kinds import ALLOWED_EXTENSIONS_TEXT, KIND_BY_EXTENSION, KINDS
from compliance.files.names import check_name, extension_of, safe_display_name, shown_name
from compliance.files.report import (
    CONTENT,
    DEFAULT_LIMITS,
    TYPE,
    FileProblem,
    FileReport,
    Limits,
)

__all__ = [
    "DEFAULT_LIMITS",
    "FileProblem",
    "FileReport",
    "Limits",
    "check_name",
    "inspect_file",
    "inspect_name",
    "safe_display_name",
]

UNKNOWN_MIME = "application/octet-stream"

KIND_BY_MIME = {
    "text/plain": "txt",
    "application/pdf": "pdf",
    "application/msword": "doc",
    KINDS["docx"].mime_type: "docx",
    "image/jpeg": "jpeg",
    "image/gif": "gif",
    "image/tiff": "tiff",
    "image/bmp": "bmp",
    "image/x-ms-bmp": "bmp",
    "image/png": "png",
}
# Containers libmagic cannot always see into; the format's own check decides.
ZIP_MIMES = frozenset({"application/zip", "application/vnd.ms-word.document.macroenabled.12"})
OLE_MIMES = frozenset(
    {
        "application/x-ole-storage",
        "application/cdfv2",
        "application/cdfv2-corrupt",
        "application/vnd.ms-office",
    }
)
# Text by another name: any of these in a .txt is judged by the text checks.
TEXT_MIMES = frozenset(
    {
        "application/json",
        "application/javascript",
        "application/x-empty",
        "application/csv",
        "application/x-ndjson",
    }
)

DESCRIPTIONS = {
    "application/zip": pgettext_lazy("detected file content", "a ZIP archive"),
    "application/x-dosexec": pgettext_lazy("detected file content", "a Windows program"),
    "application/x-msdownload": pgettext_lazy("detected file content", "a Windows program"),
    "application/x-executable": pgettext_lazy("detected file content", "a program"),
    "application/x-pie-executable": pgettext_lazy("detected file content", "a program"),
    "application/x-sharedlib": pgettext_lazy("detected file content", "a program library"),
    "application/x-mach-binary": pgettext_lazy("detected file content", "a macOS program"),
    "application/java-archive": pgettext_lazy("detected file content", "a Java program"),
    "application/x-msi": pgettext_lazy("detected file content", "a Windows installer"),
    "text/html": pgettext_lazy("detected file content", "a web page (HTML)"),
    "image/svg+xml": pgettext_lazy(
        "detected file content", "an SVG image, which can carry scripts"
    ),
    "text/xml": pgettext_lazy("detected file content", "an XML document"),
    "application/x-rar": pgettext_lazy("detected file content", "a RAR archive"),
    "application/x-7z-compressed": pgettext_lazy("detected file content", "a 7-Zip archive"),
    "application/gzip": pgettext_lazy("detected file content", "a gzip archive"),
    "application/x-tar": pgettext_lazy("detected file content", "a tar archive"),
    "application/vnd.ms-excel": pgettext_lazy("detected file content", "an Excel spreadsheet"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": pgettext_lazy(
        "detected file content", "an Excel spreadsheet"
    ),
    "application/vnd.ms-powerpoint": pgettext_lazy(
        "detected file content", "a PowerPoint presentation"
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": pgettext_lazy(
        "detected file content", "a PowerPoint presentation"
    ),
    "application/vnd.ms-word.document.macroenabled.12": pgettext_lazy(
        "detected file content", "a macro-enabled Word document"
    ),
    "application/vnd.oasis.opendocument.text": pgettext_lazy(
        "detected file content", "an OpenDocument text"
    ),
    "text/rtf": pgettext_lazy("detected file content", "an RTF document"),
    "application/rtf": pgettext_lazy("detected file content", "an RTF document"),
    "image/webp": pgettext_lazy("detected file content", "a WebP image"),
    "image/heic": pgettext_lazy("detected file content", "a HEIC image"),
    "image/vnd.microsoft.icon": pgettext_lazy("detected file content", "an icon file"),
    "application/x-shockwave-flash": pgettext_lazy("detected file content", "a Flash movie"),
    "application/postscript": pgettext_lazy("detected file content", "a PostScript file"),
    UNKNOWN_MIME: pgettext_lazy("detected file content", "unrecognised binary data"),
}


def inspect_file(name: str, data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> FileReport:
    """Decide what the file is from its content and refuse anything unsafe."""
    problems = check_name(name)
    extension = extension_of(name)
    expected = KIND_BY_EXTENSION.get(extension)
    display = shown_name(name) if problems else safe_display_name(name)
    if expected is None:
        return _report(name, display, None, problems)
    shown = shown_name(name)
    if len(data) > limits.max_file_bytes:
        problems.append(
            FileProblem(
                CONTENT,
                _(
                    "“{name}” is larger than {size} MB, so it cannot be checked or sent. Attach "
                    "a smaller file."
                ).format(name=shown, size=limits.max_file_bytes // (1024 * 1024)),
            )
        )
        return _report(name, display, None, problems)
    if not data and expected != "txt":
        problems.append(
            FileProblem(
                CONTENT,
                _(
                    "“{name}” is empty (0 bytes). Attach the file again; if it is still empty, "
                    "export it again from the program that made it."
                ).format(name=shown),
            )
        )
        return _report(name, display, None, problems)
    mime = _libmagic(data)
    kind = _detected_kind(mime, expected)
    if kind != expected:
        label = str(KINDS[expected].label)
        if kind is None:
            description = DESCRIPTIONS.get(mime)
            if description:
                what = str(description)
            else:
                # Translators: {description} is libmagic's own English name for the content.
                what = _("“{description}” data").format(description=_libmagic(data, describe=True))
            problems.append(
                FileProblem(
                    TYPE,
                    _(
                        "“{name}” is not {label}: its content is {content}, which is not an "
                        "allowed file type. Allowed types: {types}."
                    ).format(name=shown, label=label, content=what, types=ALLOWED_EXTENSIONS_TEXT),
                )
            )
        else:
            what = str(DESCRIPTIONS.get(mime) or KINDS[kind].content_label)
            problems.append(
                FileProblem(
                    CONTENT,
                    _(
                        "“{name}” is not {label}: its content is {content}. Rename it with the "
                        "extension that matches what it is, or attach the right file."
                    ).format(name=shown, label=label, content=what),
                )
            )
        return _report(name, display, kind, problems)
    found, charset = _check_format(shown, data, kind, mime, limits)
    problems += found
    if any(p.rule == TYPE for p in found):
        kind = None  # the format check found it is not that type after all
    return _report(name, display, kind, problems, charset)


def _check_format(
    shown: str, data: bytes, kind: str, mime: str, limits: Limits
) -> tuple[list[FileProblem], str]:
    """The format's own checks. Imported here, on the first file: the PDF, image and Office
    libraries take a tenth of a second to load, which a message without files never pays."""
    if kind == "txt":
        from compliance.files.text import check_text

        return check_text(shown, data, mime)
    if kind == "pdf":
        from compliance.files.pdf import check_pdf

        return check_pdf(shown, data, limits), ""
    if kind == "docx":
        from compliance.files.docx import check_docx

        return check_docx(shown, data, limits), ""
    if kind == "doc":
        from compliance.files.doc import check_doc

        return check_doc(shown, data, limits), ""
    from compliance.files.images import check_image

    return check_image(shown, data, kind, limits), ""


def inspect_name(name: str) -> FileReport:
    """Only the name's checks, for a file whose content will not be read."""
    problems = check_name(name)
    display = shown_name(name) if problems else safe_display_name(name)
    return _report(name, display, None, problems)


def _libmagic(data: bytes, describe: bool = False) -> str:
    """libmagic's MIME type for the content (lower-case), or its description of it."""
    try:
        if describe:
            return str(magic.from_buffer(data)).split(",")[0][:80]
        return str(magic.from_buffer(data, mime=True)).lower()
    except magic.MagicException:
        return "data" if describe else UNKNOWN_MIME


def _detected_kind(mime: str, expected: str) -> str | None:
    """The allowed kind the content is, as far as libmagic can tell; the format checks
    confirm it. ``None`` when it is a type that is not allowed."""
    kind = KIND_BY_MIME.get(mime)
    if kind:
        return kind
    if mime in ZIP_MIMES and expected == "docx":
        return "docx"
    if mime in OLE_MIMES and expected == "doc":
        return "doc"
    if mime in {"text/html", "image/svg+xml", "text/xml"}:
        return "txt" if expected == "txt" else None
    if mime.startswith("text/") or mime in TEXT_MIMES:
        return "txt"
    if mime == UNKNOWN_MIME and expected == "txt":
        return "txt"  # the text checks say why it is not text (NUL bytes, encoding, ...)
    return None


def _report(
    name: str, display: str, kind: str | None, problems: list[FileProblem], charset: str = ""
) -> FileReport:
    mime_type = KINDS[kind].mime_type if kind else UNKNOWN_MIME
    if kind == "txt":
        mime_type += f"; charset={charset or 'utf-8'}"
    return FileReport(name, display, kind, mime_type, tuple(problems))
