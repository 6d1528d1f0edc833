"""Word 97-2003 documents (.doc): an OLE2 compound file, read with olefile.

Decided: refused when they carry VBA macros (a ``Macros``, ``VBA``, ``_VBA_PROJECT`` or
``_VBA_PROJECT_CUR`` storage anywhere) or embedded objects (an ``ObjectPool`` storage or
an ``\\x01Ole10Native`` package stream: embedded OLE objects and packages can run programs
or carry any file, and a document that needs them can be sent as a PDF). Also refused:
compound files that are not Word documents (Excel, PowerPoint, installers), encrypted
documents (their text cannot be checked), and files olefile cannot read.

Not checked (a known gap): field codes inside the binary text, such as DDE fields; that
needs a parser of the Word binary format, which this project does not have.
"""

from __future__ import annotations

import io
import struct

import olefile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.files.report import CONTENT, TYPE, FileProblem, Limits

WORD_MAGIC = 0xA5EC  # the FIB's wIdent
FIB_ENCRYPTED = 0x0100
MACRO_STORAGES = frozenset({"macros", "vba", "_vba_project", "_vba_project_cur"})
OBJECT_STORAGES = frozenset({"objectpool", "\x01ole10native"})
ENCRYPTED_PACKAGE = frozenset({"encryptedpackage", "encryptioninfo"})


def check_doc(shown: str, data: bytes, limits: Limits) -> list[FileProblem]:
    try:
        # Strict: a truncated or inconsistent file is refused rather than read around.
        with olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT) as ole:
            named = ole.listdir(streams=True, storages=True)
            paths = [[part.lower() for part in path] for path in named]
            if len(paths) > limits.max_ole_entries:
                return [
                    _damaged(
                        shown,
                        ngettext(
                            "it has more than {count} part",
                            "it has more than {count} parts",
                            limits.max_ole_entries,
                        ).format(count=limits.max_ole_entries),
                    )
                ]
            top = {path[0] for path in paths}
            if top & ENCRYPTED_PACKAGE:
                return [_locked(shown)]
            if "worddocument" not in top:
                return [
                    FileProblem(
                        TYPE,
                        _(
                            "“{name}” is not a Word document: it is another kind of Office or "
                            "compound file, which is not an allowed file type. Save it as a PDF "
                            "and attach that instead."
                        ).format(name=shown),
                    )
                ]
            fib = ole.openstream("WordDocument").read(12)
    except Exception as exc:  # any parser error on untrusted input means "damaged"
        return [_damaged(shown, str(exc).strip()[:120] or type(exc).__name__)]
    if len(fib) < 12:
        return [_damaged(shown, _("its Word data is cut short"))]
    magic, flags = struct.unpack_from("<H", fib, 0)[0], struct.unpack_from("<H", fib, 10)[0]
    if magic != WORD_MAGIC:
        return [_damaged(shown, _("its Word data does not start as Word data does"))]
    if flags & FIB_ENCRYPTED:
        return [_locked(shown)]
    problems = []
    if any(MACRO_STORAGES & set(path) for path in paths):
        problems.append(
            FileProblem(
                CONTENT,
                _(
                    "“{name}” contains macros ({storage}), whose code runs on the reader's "
                    "computer. Save it without macros (as .docx or PDF) and attach that instead."
                ).format(name=shown, storage=_first(named, MACRO_STORAGES)),
            )
        )
    if any(OBJECT_STORAGES & set(path) for path in paths):
        problems.append(
            FileProblem(
                CONTENT,
                _(
                    "“{name}” contains embedded objects ({storage}), which can run programs or "
                    "carry other files. Save it as a PDF and attach that instead."
                ).format(name=shown, storage=_first(named, OBJECT_STORAGES)),
            )
        )
    return problems


def _first(paths: list[list[str]], names: frozenset[str]) -> str:
    """The first storage among ``names``, as a path ("macros/vba")."""
    for path in paths:
        for depth, part in enumerate(path):
            if part.lower() in names:
                return "/".join(path[: depth + 1]).replace("\x01", "")
    return ""


def _locked(shown: str) -> FileProblem:
    return FileProblem(
        CONTENT,
        _(
            "“{name}” is password-protected, so its content cannot be checked. Save a copy "
            "without a password and attach that instead."
        ).format(name=shown),
    )


def _damaged(shown: str, reason: str) -> FileProblem:
    return FileProblem(
        CONTENT,
        _(
            "“{name}” is not a readable Word document ({reason}). Save it again from Word and "
            "attach the new copy."
        ).format(name=shown, reason=reason),
    )
