"""Word documents (.docx): a ZIP package that must be a plain Word document and nothing more.

The archive is read by ``zip_package``, which believes nothing it claims (sizes, counts,
offsets) and stops at its limits; see there for the ZIP-bomb and path checks.

The package must then be a Word document: ``[Content_Types].xml`` and
``word/document.xml``, the latter declared as a wordprocessingml *document* (not a
template and not macro-enabled). Refused as active content: VBA projects
(``vbaProject.bin``, ``vbaData.xml``, macro-enabled content types), ActiveX controls,
embedded objects (``word/embeddings/``; decided: embedded OLE objects and packages can
run or carry anything, so a document that needs them should be sent as a PDF), entries
that are themselves archives, Office (OLE) files or programs, relationships that make
Word fetch something from outside (remote templates, frames, OLE links, linked images;
external *hyperlinks* are fine), DDE field codes, and XML with a DTD.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from compliance.files.kinds import DOCX_MIME
from compliance.files.report import CONTENT, TYPE, FileProblem, Limits
from compliance.files.signatures import (
    CAB_ARCHIVE,
    GZIP_ARCHIVE,
    LINUX_PROGRAM,
    PDF_DOCUMENT,
    RAR_ARCHIVE,
    SEVEN_ZIP_ARCHIVE,
    WINDOWS_PROGRAM,
    ZIP_ARCHIVE,
)
from compliance.files.zip_package import PackageEntry, PackageRefused, few, read_package

WORD_MAIN = DOCX_MIME + ".main+xml"
MACRO_TYPES = re.compile(r"macroEnabled|vbaProject|vbaData", re.IGNORECASE)
NESTED_SIGNATURES = (
    (b"PK\x03\x04", ZIP_ARCHIVE),
    (b"PK\x05\x06", ZIP_ARCHIVE),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        pgettext_lazy("hidden content", "an embedded Office (OLE) object"),
    ),
    (b"Rar!\x1a\x07", RAR_ARCHIVE),
    (b"7z\xbc\xaf\x27\x1c", SEVEN_ZIP_ARCHIVE),
    (b"\x1f\x8b", GZIP_ARCHIVE),
    (b"MSCF", CAB_ARCHIVE),
    (b"MZ", WINDOWS_PROGRAM),
    (b"\x7fELF", LINUX_PROGRAM),
    (b"%PDF-", PDF_DOCUMENT),
)
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin")
DDE_FIELD = re.compile(rb"(?:instrText[^>]*>|\binstr\s*=\s*[\"'])\s*DDE(?:AUTO)?\b", re.IGNORECASE)
DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def check_docx(shown: str, data: bytes, limits: Limits) -> list[FileProblem]:
    try:
        entries = read_package(
            shown,
            data,
            limits,
            keep=_is_package_part,
            watch=_watch,
            label=pgettext("a kind of document, after “a” or “a valid”", "Word document"),
        )
        return _judge_package(shown, entries)
    except PackageRefused as refused:
        return [FileProblem(refused.rule, str(refused))]


def _watch(name: str) -> dict[str, re.Pattern[bytes]]:
    folded = name.casefold()
    if not folded.endswith((".xml", ".rels")):
        return {}
    return {"dtd": DTD, "dde": DDE_FIELD} if folded.startswith("word/") else {"dtd": DTD}


# --- the document --------------------------------------------------------------------------


def _judge_package(shown: str, entries: dict[str, PackageEntry]) -> list[FileProblem]:
    folded = {name.casefold(): entry for name, entry in entries.items()}
    types_part = folded.get("[content_types].xml")
    if types_part is None or "word/document.xml" not in folded:
        return [
            FileProblem(
                TYPE,
                _(
                    "“{name}” is not a Word document (.docx): its content is a ZIP archive, "
                    "which is not an allowed file type. Attach the files themselves, or a PDF."
                ).format(name=shown),
            )
        ]
    dtd = [e.info.filename for e in entries.values() if "dtd" in e.matches]
    if dtd:
        return [
            _content(
                _(
                    "“{name}” declares XML entities or a DTD ({parts}), which Word documents "
                    "never do and which can make an XML reader fetch files or run out of memory."
                ).format(name=shown, parts=few(dtd))
            )
        ]
    declared = _content_types(shown, types_part.kept)
    main = declared.get("/word/document.xml", "")
    kinds = {name: _part_type(name, declared) for name in entries}
    macros = [
        n
        for n in entries
        if n.casefold().rsplit("/", 1)[-1] in MACRO_PARTS or MACRO_TYPES.search(kinds[n])
    ]
    macro_types = sorted({t for t in declared.values() if MACRO_TYPES.search(t)})
    problems: list[FileProblem] = []
    if "macroenabled" in main.lower() or macros or macro_types:
        problems.append(
            _content(
                _(
                    "“{name}” contains macros ({parts}); it is a macro-enabled document (.docm), "
                    "whose code runs on the reader's computer."
                ).format(name=shown, parts=few(macros or macro_types))
            )
        )
    elif main != WORD_MAIN:
        if main:
            problem = _(
                "“{name}” is not a Word document: its main part is declared as “{type}”."
            ).format(name=shown, type=main)
        else:
            problem = _(
                "“{name}” is not a Word document: its main part is declared as “nothing”."
            ).format(name=shown)
        return [_content(problem)]
    activex = [
        n
        for n in entries
        if n.casefold().startswith("word/activex/") or "activex" in kinds[n].lower()
    ]
    if activex:
        problems.append(
            _content(
                _(
                    "“{name}” contains ActiveX controls ({parts}), which run code when the "
                    "document is opened."
                ).format(name=shown, parts=few(activex))
            )
        )
    embedded = [
        n
        for n in entries
        if n.casefold().startswith("word/embeddings/") or "oleobject" in kinds[n].lower()
    ]
    if embedded:
        problems.append(
            _content(
                _(
                    "“{name}” contains embedded objects ({parts}), which can run programs or "
                    "carry other files."
                ).format(name=shown, parts=few(embedded))
            )
        )
    flagged = set(macros) | set(activex) | set(embedded)
    nested = []
    for name, entry in entries.items():
        label = _nested_kind(entry.head)
        if label and name not in flagged:
            nested.append(_("{part} is {content}").format(part=name, content=label))
    if nested:
        problems.append(
            _content(
                _("“{name}” has other files packed inside it ({parts}).").format(
                    name=shown, parts=few(nested)
                )
            )
        )
    fetches = sorted(
        {
            target
            for e in entries.values()
            if _is_rels(e.info.filename)
            for target in _external_fetches(shown, e.kept)
        }
    )
    if fetches:
        problems.append(
            _content(
                _(
                    "“{name}” makes Word fetch something from outside when it is opened "
                    "({targets})."
                ).format(name=shown, targets=few(fetches))
            )
        )
    dde = [e.info.filename for e in entries.values() if "dde" in e.matches]
    if dde:
        problems.append(
            _content(
                _(
                    "“{name}” contains a DDE field ({parts}), which can run programs when the "
                    "document is opened."
                ).format(name=shown, parts=few(dde))
            )
        )
    return problems


def _part_type(name: str, declared: dict[str, str]) -> str:
    """A part's content type: its Override, else the Default for its extension."""
    folded = "/" + name.casefold()
    extension = folded.rsplit(".", 1)[-1] if "." in folded.rsplit("/", 1)[-1] else ""
    return declared.get(folded) or declared.get("*." + extension, "")


def _content_types(shown: str, xml: bytes) -> dict[str, str]:
    """PartName (lower-case) -> content type, plus Default entries keyed by "*.ext"."""
    root = _parse_xml(shown, "[Content_Types].xml", xml)
    found: dict[str, str] = {}
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "Override":
            found[element.get("PartName", "").lower()] = element.get("ContentType", "")
        elif tag == "Default":
            found["*." + element.get("Extension", "").lower()] = element.get("ContentType", "")
    return found


def _external_fetches(shown: str, xml: bytes) -> list[str]:
    root = _parse_xml(shown, _("a relationships part"), xml)
    return [
        f"{element.get('Type', '').rsplit('/', 1)[-1]}: {element.get('Target', '')[:80]}"
        for element in root
        if element.get("TargetMode", "").lower() == "external"
        and not element.get("Type", "").endswith("/hyperlink")
    ]


def _parse_xml(shown: str, part: str, xml: bytes) -> ElementTree.Element:
    # Safe: every XML part was searched for <!DOCTYPE and <!ENTITY, and any is refused
    # before parsing, so no entity can expand and nothing external can be loaded.
    try:
        return ElementTree.fromstring(xml)  # noqa: S314
    except ElementTree.ParseError as exc:
        raise PackageRefused(
            CONTENT,
            _(
                "“{name}” is not a valid Word document ({part} is not valid XML). Save it again "
                "from Word and attach the new copy."
            ).format(name=shown, part=part),
        ) from exc


def _is_package_part(name: str) -> bool:
    folded = name.casefold()
    return folded == "[content_types].xml" or _is_rels(folded)


def _is_rels(name: str) -> bool:
    return name.casefold().endswith(".rels")


def _nested_kind(head: bytes) -> str:
    return next(
        (str(label) for signature, label in NESTED_SIGNATURES if head.startswith(signature)), ""
    )


def _content(problem: str) -> FileProblem:
    return FileProblem(
        CONTENT,
        _(
            # Translators: {problem} is a whole sentence saying what the document carries.
            "{problem} Save it as a plain .docx (or as a PDF) without these, and attach that "
            "instead."
        ).format(problem=problem),
    )
