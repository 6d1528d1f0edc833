"""The file types POLICY.md allows: extensions, what to call them, how to serve them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    id: str
    label: str  # "a PDF", for "“x.pdf” is not a PDF: …"
    content_label: str  # "a PDF document", for "… its content is a PDF document"
    mime_type: str


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

KINDS: dict[str, Kind] = {
    k.id: k
    for k in (
        Kind("txt", "a plain-text file", "plain text", "text/plain"),
        Kind("pdf", "a PDF", "a PDF document", "application/pdf"),
        Kind(
            "doc",
            "a Word 97-2003 document (.doc)",
            "a Word 97-2003 document (.doc)",
            "application/msword",
        ),
        Kind("docx", "a Word document (.docx)", "a Word document (.docx)", DOCX_MIME),
        Kind("jpeg", "a JPEG image", "a JPEG image", "image/jpeg"),
        Kind("gif", "a GIF image", "a GIF image", "image/gif"),
        Kind("tiff", "a TIFF image", "a TIFF image", "image/tiff"),
        Kind("bmp", "a BMP image", "a BMP image", "image/bmp"),
        Kind("png", "a PNG image", "a PNG image", "image/png"),
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
