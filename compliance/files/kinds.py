"""The file types POLICY.md allows: extensions, what to call them, how to serve them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Kind:
    id: str
    label: Promise  # "a PDF", for "“x.pdf” is not a PDF: …"
    content_label: Promise  # "a PDF document", for "… its content is a PDF document"
    mime_type: str


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

KINDS: dict[str, Kind] = {
    k.id: k
    for k in (
        Kind(
            "txt",
            pgettext_lazy("expected file type", "a plain-text file"),
            pgettext_lazy("detected file content", "plain text"),
            "text/plain",
        ),
        Kind(
            "pdf",
            pgettext_lazy("expected file type", "a PDF"),
            pgettext_lazy("detected file content", "a PDF document"),
            "application/pdf",
        ),
        Kind(
            "doc",
            pgettext_lazy("expected file type", "a Word 97-2003 document (.doc)"),
            pgettext_lazy("detected file content", "a Word 97-2003 document (.doc)"),
            "application/msword",
        ),
        Kind(
            "docx",
            pgettext_lazy("expected file type", "a Word document (.docx)"),
            pgettext_lazy("detected file content", "a Word document (.docx)"),
            DOCX_MIME,
        ),
        Kind(
            "jpeg",
            pgettext_lazy("expected file type", "a JPEG image"),
            pgettext_lazy("detected file content", "a JPEG image"),
            "image/jpeg",
        ),
        Kind(
            "gif",
            pgettext_lazy("expected file type", "a GIF image"),
            pgettext_lazy("detected file content", "a GIF image"),
            "image/gif",
        ),
        Kind(
            "tiff",
            pgettext_lazy("expected file type", "a TIFF image"),
            pgettext_lazy("detected file content", "a TIFF image"),
            "image/tiff",
        ),
        Kind(
            "bmp",
            pgettext_lazy("expected file type", "a BMP image"),
            pgettext_lazy("detected file content", "a BMP image"),
            "image/bmp",
        ),
        Kind(
            "png",
            pgettext_lazy("expected file type", "a PNG image"),
            pgettext_lazy("detected file content", "a PNG image"),
            "image/png",
        ),
    )
}

KIND_BY_EXTENSION: dict[str, str] = {
    "txt": "txt",
    "pdf": "pdf",
    "doc": "doc",
    "docx": "docx",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "tiff": "tiff",
    "tif": "tiff",
    "bmp": "bmp",
    "png": "png",
}

ALLOWED_EXTENSIONS_TEXT = ".txt, .pdf, .doc, .docx, .jpg/.jpeg, .gif, .tif/.tiff, .bmp, .png"

# Extensions that make a file a program or a page a server or browser would run. An inner
# extension from this list ("scan.php.png") is refused. ".com" is left out on purpose:
# "shop.example.com.pdf" is a common, harmless name, and only a final .com is ever run.
RISKY_EXTENSIONS = frozenset(
    {
        "exe",
        "scr",
        "pif",
        "bat",
        "cmd",
        "msi",
        "msp",
        "msc",
        "dll",
        "cpl",
        "sys",
        "drv",
        "ocx",
        "jar",
        "class",
        "js",
        "jse",
        "mjs",
        "cjs",
        "vbs",
        "vbe",
        "wsf",
        "wsh",
        "ws",
        "wsc",
        "ps1",
        "psm1",
        "psd1",
        "hta",
        "htm",
        "html",
        "xhtml",
        "shtml",
        "mht",
        "mhtml",
        "svg",
        "svgz",
        "xsl",
        "xslt",
        "php",
        "php3",
        "php4",
        "php5",
        "php7",
        "phtml",
        "phar",
        "asp",
        "aspx",
        "ashx",
        "asmx",
        "cshtml",
        "jsp",
        "jspx",
        "cfm",
        "cgi",
        "pl",
        "py",
        "pyc",
        "pyw",
        "rb",
        "sh",
        "bash",
        "zsh",
        "csh",
        "ksh",
        "command",
        "lnk",
        "url",
        "reg",
        "inf",
        "scf",
        "app",
        "dmg",
        "pkg",
        "deb",
        "rpm",
        "apk",
        "appx",
        "msix",
        "iso",
        "img",
        "vhd",
        "vhdx",
        "docm",
        "dotm",
        "xlsm",
        "xltm",
        "xlam",
        "pptm",
        "potm",
        "ppam",
        "ppsm",
        "sldm",
        "swf",
    }
)
