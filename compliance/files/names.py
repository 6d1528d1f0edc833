"""The name a sender gave a file: refuse names that lie about the file, show the rest safely.

Files are stored under generated names, so a name never reaches the disk; these checks
are about what the recipient sees and what their computer will do with the download.
Every problem here is ``attach.type``: the name misstates, or hides, the file's type.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.files.kinds import ALLOWED_EXTENSIONS_TEXT, KIND_BY_EXTENSION, RISKY_EXTENSIONS
from compliance.files.report import TYPE, FileProblem

MAX_NAME_LENGTH = 255

# Characters that reorder the text around them; "invoice\u202efdp.exe" displays as
# "invoiceexe.pdf". Format characters (Cf) are refused too, except the two joiners that
# Persian and Indic names need.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
ALLOWED_FORMAT_CHARS = frozenset("\u200c\u200d")
WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)
_HEADER_UNSAFE = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")


def shown_name(name: str) -> str:
    """The name as it may be quoted in a message: invisible characters spelled out."""
    shown = "".join(
        f"[U+{ord(ch):04X}]"
        if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
        else ch
        for ch in name
    )
    if len(shown) > 80:
        shown = shown[:60] + "…" + shown[-15:]
    return shown or _("(no name)")


def extension_of(name: str) -> str:
    """The final extension, lower-case and without the dot ("" when there is none)."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def check_name(name: str) -> list[FileProblem]:
    """Everything wrong with a file name, each as an ``attach.type`` problem."""
    shown = shown_name(name)
    if not name.strip():
        return [
            _problem(
                _(
                    "An attached file has no name. Give it a name that ends in its type (for "
                    "example invoice.pdf) and attach it again."
                )
            )
        ]
    problems = []
    if len(name) > MAX_NAME_LENGTH:
        problems.append(
            ngettext(
                "“{name}” has a name of {count} character; names may have at most {limit}. "
                "Shorten it and attach it again.",
                "“{name}” has a name of {count} characters; names may have at most {limit}. "
                "Shorten it and attach it again.",
                len(name),
            ).format(name=shown, count=len(name), limit=MAX_NAME_LENGTH)
        )
    controls = sorted({ch for ch in name if unicodedata.category(ch) in {"Cc", "Cs", "Co"}})
    if controls:
        problems.append(
            _(
                "“{name}” has control characters in its name ({characters}). Rename the file "
                "and attach it again."
            ).format(name=shown, characters=_describe(controls))
        )
    bidi = sorted(ch for ch in set(name) if ch in BIDI_CONTROLS)
    if bidi:
        problems.append(
            _(
                "“{name}” has an invisible character in its name ({characters}) that changes "
                "the order in which the name is displayed, so its real extension is hidden. "
                "Rename the file and attach it again."
            ).format(name=shown, characters=_describe(bidi))
        )
    hidden = sorted(
        ch
        for ch in set(name)
        if unicodedata.category(ch) == "Cf"
        and ch not in BIDI_CONTROLS
        and ch not in ALLOWED_FORMAT_CHARS
    )
    if hidden:
        problems.append(
            _(
                "“{name}” has an invisible character in its name ({characters}). Rename the "
                "file and attach it again."
            ).format(name=shown, characters=_describe(hidden))
        )
    path_trick = _path_trick(name, shown)
    if path_trick:
        problems.append(path_trick)
    if name != name.rstrip(". "):
        problems.append(
            _(
                "“{name}” ends with a dot or a space, which some computers drop, changing the "
                "file's extension. Rename the file and attach it again."
            ).format(name=shown)
        )
    else:
        problems += _extension_problems(name, shown)
    return [_problem(message) for message in problems]


def safe_display_name(name: str) -> str:
    """The name to show and to offer in a download header, for a name that passes
    ``check_name`` (raises ``ValueError`` otherwise)."""
    problems = check_name(name)
    if problems:
        raise ValueError(problems[0].message)
    cleaned = unicodedata.normalize("NFC", name)
    cleaned = _SPACES.sub(" ", _HEADER_UNSAFE.sub("_", cleaned)).strip()
    return cleaned[:MAX_NAME_LENGTH]


def _extension_problems(name: str, shown: str) -> list[str]:
    extension = extension_of(name)
    if not extension:
        return [
            _(
                "“{name}” has no file extension, so its type is unknown. Allowed types: {types}."
            ).format(name=shown, types=ALLOWED_EXTENSIONS_TEXT)
        ]
    kind = KIND_BY_EXTENSION.get(extension)
    # Compare inner extensions the way a person reads them: fullwidth dots and letters too.
    parts = unicodedata.normalize("NFKC", name).casefold().split(".")
    inner = [part.strip() for part in parts[1:-1]]
    if kind is None:
        disguise = next((p for p in reversed(inner) if p in KIND_BY_EXTENSION), None)
        if disguise:
            return [
                _(
                    "“{name}” is a .{extension} file, not a .{disguise} file; .{extension} "
                    "files cannot be attached. Allowed types: {types}."
                ).format(
                    name=shown,
                    extension=extension,
                    disguise=disguise,
                    types=ALLOWED_EXTENSIONS_TEXT,
                )
            ]
        return [
            _(
                "“{name}” is a .{extension} file; .{extension} files cannot be attached. "
                "Allowed types: {types}."
            ).format(name=shown, extension=extension, types=ALLOWED_EXTENSIONS_TEXT)
        ]
    risky = next((p for p in inner if p in RISKY_EXTENSIONS), None)
    if risky:
        return [
            _(
                "“{name}” has a second extension (.{risky}) that makes it look like a program "
                "or a web page. Rename it so that its only extension is .{extension}, and "
                "attach it again."
            ).format(name=shown, risky=risky, extension=extension)
        ]
    if inner and inner[-1] in KIND_BY_EXTENSION and KIND_BY_EXTENSION[inner[-1]] != kind:
        return [
            _(
                "“{name}” has two file-type extensions (.{inner} and .{extension}), so it is "
                "unclear what it is. Rename it so that its only extension is .{extension}, "
                "and attach it again."
            ).format(name=shown, inner=inner[-1], extension=extension)
        ]
    return []


def _path_trick(name: str, shown: str) -> str:
    """The message for a name that is a path or a device rather than a file name."""
    if "/" in name or "\\" in name:
        message = _(
            "“{name}” has a folder path in its name. Attach the file itself, named like report.pdf."
        )
    elif name.strip() in {".", ".."}:
        message = _(
            "“{name}” is a folder reference, not a file name. Attach the file itself, named "
            "like report.pdf."
        )
    elif re.match(r"^[A-Za-z]:", name):
        message = _(
            "“{name}” starts with a drive letter. Attach the file itself, named like report.pdf."
        )
    else:
        stem = name.split(".", 1)[0].strip().lower()
        if stem not in WINDOWS_DEVICES:
            return ""
        return _(
            "“{name}” uses a name Windows reserves for a device ({device}). Attach the file "
            "itself, named like report.pdf."
        ).format(name=shown, device=stem.upper())
    return message.format(name=shown)


def _describe(chars: list[str]) -> str:
    unnamed = _("control character")
    return ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, unnamed)}" for ch in chars[:3])


def _problem(message: str) -> FileProblem:
    return FileProblem(TYPE, message)
