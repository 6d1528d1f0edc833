"""Reading a ZIP package without believing it: the bounded, streaming half of the .docx
checks (``docx`` judges what the package holds).

* The archive must start at the first byte and end at the last (nothing before or after
  it), with at most ``max_zip_entries`` entries, no ZIP64, no duplicate entries.
* Entry names must stay inside the package: no absolute paths, ``..``, backslashes, drive
  letters or control characters.
* No encrypted entries, and only the stored and deflate methods.
* Every entry is inflated here with a byte budget, counting what actually comes out: the
  total may not pass ``max_unpacked_bytes``, and an entry past ``ratio_grace_bytes`` may
  not inflate more than ``max_compression_ratio`` times the input used so far. Only then
  are the sizes and CRCs the archive declares compared with what came out, so a header
  that lies is caught, never trusted. An entry's data may not reach the next entry's
  header, which defeats bombs built from entries that share data.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.files.report import CONTENT, Limits

EOCD = b"PK\x05\x06"
LOCAL_HEADER = b"PK\x03\x04"
EOCD_SEARCH = 22 + 0xFFFF
CHUNK = 64 * 1024
SCAN_OVERLAP = 512  # bytes kept between chunks so a watched pattern may straddle them


class PackageRefused(Exception):
    """A problem after which the package is not read any further."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule


@dataclass
class PackageEntry:
    info: zipfile.ZipInfo
    head: bytes = b""  # the first 16 bytes, to recognise files packed inside
    kept: bytes = b""  # the whole content, for the parts the caller asked to keep
    matches: set[str] = field(default_factory=set)  # watched patterns found in it


@dataclass
class _Budget:
    limits: Limits
    unpacked: int = 0


Watch = Callable[[str], dict[str, re.Pattern[bytes]]]


def read_package(
    shown: str,
    data: bytes,
    limits: Limits,
    *,
    keep: Callable[[str], bool],
    watch: Watch,
    label: str,
) -> dict[str, PackageEntry]:
    """Every entry of the ZIP ``data``, read within ``limits``.

    ``keep(name)`` says which entries to hold in memory whole (small parts the caller
    parses, at most ``max_package_part_bytes`` each); ``watch(name)`` gives patterns to
    look for in an entry as it streams past. ``label`` names the expected document in
    messages ("Word document"). Raises ``PackageRefused``.
    """
    _check_container(shown, data, limits, label)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception as exc:  # zipfile's errors on untrusted input vary; all mean invalid
        raise _malformed(shown, label, str(exc)[:120]) from exc
    if len(infos) > limits.max_zip_entries:
        raise _refuse(
            ngettext(
                "“{name}” has {count} entry; a {document} may have at most {limit}. Save it as "
                "a PDF instead.",
                "“{name}” has {count} entries; a {document} may have at most {limit}. Save it "
                "as a PDF instead.",
                len(infos),
            ).format(name=shown, count=len(infos), document=label, limit=limits.max_zip_entries)
        )
    _check_names(shown, infos, label)
    encrypted = [i.filename for i in infos if i.flag_bits & 0x41]
    if encrypted:
        raise _refuse(
            _(
                "“{name}” has encrypted parts ({entries}), so it cannot be checked. Save it "
                "without a password and attach it again."
            ).format(name=shown, entries=few(encrypted))
        )
    odd = [
        i.filename
        for i in infos
        if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
    ]
    if odd:
        raise _malformed(
            shown,
            label,
            _("{entries} uses an unusual compression method").format(entries=few(odd)),
        )
    budget = _Budget(limits)
    entries: dict[str, PackageEntry] = {}
    ordered = sorted(infos, key=lambda i: i.header_offset)
    bounds = [i.header_offset for i in ordered[1:]] + [_central_directory_offset(data)]
    for info, bound in zip(ordered, bounds, strict=True):
        entries[info.filename] = _read_entry(shown, data, info, bound, budget, keep, watch, label)
    return entries


def _check_container(shown: str, data: bytes, limits: Limits, label: str) -> None:
    """What the end-of-archive record claims, checked before zipfile reads the directory."""
    position = data.rfind(EOCD, max(0, len(data) - EOCD_SEARCH))
    if not data.startswith(LOCAL_HEADER) or position < 0 or position + 22 > len(data):
        raise _malformed(shown, label, _("it is not a complete ZIP package"))
    (_signature, disk, cd_disk, _disk_entries, total, cd_size, cd_offset, comment) = (
        struct.unpack_from("<4sHHHHIIH", data, position)
    )
    if total == 0xFFFF or cd_offset == 0xFFFFFFFF:
        raise _malformed(
            shown, label, _("it uses ZIP64, which a {document} never needs").format(document=label)
        )
    if disk or cd_disk:
        raise _malformed(shown, label, _("it is split across several archives"))
    if position + 22 + comment != len(data) or cd_offset + cd_size != position:
        raise _refuse(
            _(
                "“{name}” has data before or after its ZIP package; such a double file can be "
                "opened as something other than a document. Save it again and attach the new "
                "copy."
            ).format(name=shown)
        )
    if total > limits.max_zip_entries or cd_size > limits.max_zip_entries * (46 + 1024):
        raise _refuse(
            ngettext(
                "“{name}” has more than {count} entry; a {document} has far fewer. Save it as a "
                "PDF instead.",
                "“{name}” has more than {count} entries; a {document} has far fewer. Save it as "
                "a PDF instead.",
                limits.max_zip_entries,
            ).format(name=shown, count=limits.max_zip_entries, document=label)
        )


def _central_directory_offset(data: bytes) -> int:
    position = data.rfind(EOCD, max(0, len(data) - EOCD_SEARCH))
    return int(struct.unpack_from("<I", data, position + 16)[0])


def _check_names(shown: str, infos: list[zipfile.ZipInfo], label: str) -> None:
    unsafe = [i.orig_filename for i in infos if _unsafe_entry_name(i.orig_filename)]
    if unsafe:
        raise _refuse(
            _(
                "“{name}” has entries whose names point outside the document ({entries}). Save "
                "it again and attach the new copy."
            ).format(name=shown, entries=few(unsafe))
        )
    seen: set[str] = set()
    for info in infos:
        folded = info.filename.casefold()
        if folded in seen:
            raise _malformed(
                shown, label, _("the entry {entry} appears twice").format(entry=info.filename)
            )
        seen.add(folded)


def _unsafe_entry_name(name: str) -> bool:
    return (
        not name
        or name.startswith("/")
        or "\\" in name
        or ":" in name
        or any(part == ".." for part in name.split("/"))
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
    )


def _read_entry(
    shown: str,
    data: bytes,
    info: zipfile.ZipInfo,
    bound: int,
    budget: _Budget,
    keep: Callable[[str], bool],
    watch: Watch,
    label: str,
) -> PackageEntry:
    """Read one entry's data, which may not reach the next entry (so entries that share or
    overlap data, a trick of non-recursive ZIP bombs, fail here)."""
    start = info.header_offset
    if data[start : start + 4] != LOCAL_HEADER or start + 30 > bound:
        raise _malformed(
            shown, label, _("the entry {entry} has no valid header").format(entry=info.filename)
        )
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    raw_name = data[start + 30 : start + 30 + name_length]
    if (
        raw_name.decode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace")
        != info.orig_filename
    ):
        raise _malformed(
            shown,
            label,
            _("the entry {entry} is named differently in its header and in the directory").format(
                entry=info.filename
            ),
        )
    data_start = start + 30 + name_length + extra_length
    entry = PackageEntry(info)
    keeping = keep(info.filename)
    patterns = watch(info.filename)
    tail = b""
    kept: list[bytes] = []
    crc = 0
    produced = 0

    def sink(chunk: bytes, consumed: int) -> None:
        nonlocal crc, produced, tail
        produced += len(chunk)
        _spend(shown, info.filename, budget, len(chunk), produced, consumed)
        crc = zlib.crc32(chunk, crc)
        if len(entry.head) < 16:
            entry.head = (entry.head + chunk)[:16]
        if keeping:
            if produced > budget.limits.max_package_part_bytes:
                raise _malformed(
                    shown,
                    label,
                    _("the part {entry} is unreasonably large").format(entry=info.filename),
                )
            kept.append(chunk)
        if patterns:
            window = tail + chunk
            entry.matches.update(key for key, pattern in patterns.items() if pattern.search(window))
            tail = window[-SCAN_OVERLAP:]

    if info.compress_type == zipfile.ZIP_STORED:
        end = data_start + info.compress_size
        if end > bound:
            raise _malformed(
                shown, label, _("the entry {entry} runs past its end").format(entry=info.filename)
            )
        for offset in range(data_start, end, CHUNK):
            chunk = data[offset : min(offset + CHUNK, end)]
            sink(chunk, offset + len(chunk) - data_start)
    else:
        _inflate(shown, label, info.filename, memoryview(data)[data_start:bound], sink)
    if produced != info.file_size:
        raise _malformed(
            shown,
            label,
            ngettext(
                "the archive claims {entry} holds {claimed:,} byte, but it holds {actual:,}",
                "the archive claims {entry} holds {claimed:,} bytes, but it holds {actual:,}",
                info.file_size,
            ).format(entry=info.filename, claimed=info.file_size, actual=produced),
        )
    if crc != info.CRC:
        raise _malformed(
            shown,
            label,
            _("the checksum of {entry} does not match its content").format(entry=info.filename),
        )
    entry.kept = b"".join(kept)
    return entry


def _inflate(
    shown: str, label: str, name: str, compressed: memoryview, sink: Callable[[bytes, int], None]
) -> None:
    """Inflate one raw-deflate entry through ``sink(output, input bytes used so far)``.

    Output is requested CHUNK bytes at a time, so memory stays bounded whatever the data
    is; ``sink`` charges the budget for what actually comes out.
    """
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    position = 0
    pending = b""
    try:
        while not inflater.eof:
            if not pending and position < len(compressed):
                pending = bytes(compressed[position : position + CHUNK])
                position += len(pending)
            if pending:
                out = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
            else:  # input used up: drain what zlib still holds, or the entry is cut short
                out = inflater.decompress(b"", CHUNK)
                if not out and not inflater.eof:
                    raise _malformed(
                        shown, label, _("the entry {entry} is cut short").format(entry=name)
                    )
            sink(out, position - len(pending))
    except zlib.error as exc:
        raise _malformed(
            shown, label, _("the entry {entry} is corrupt").format(entry=name)
        ) from exc


def _spend(
    shown: str, name: str, budget: _Budget, amount: int, produced: int, consumed: int
) -> None:
    limits = budget.limits
    budget.unpacked += amount
    if budget.unpacked > limits.max_unpacked_bytes:
        raise PackageRefused(
            CONTENT,
            _(
                "“{name}” unpacks to more than {size} MB, which is what a “ZIP bomb” does to "
                "overwhelm the computer that opens it. Save it as a PDF, or split it, and attach "
                "that instead."
            ).format(name=shown, size=limits.max_unpacked_bytes // (1024 * 1024)),
        )
    ratio = limits.max_compression_ratio
    if produced > limits.ratio_grace_bytes and produced > ratio * max(consumed, 1):
        raise PackageRefused(
            CONTENT,
            ngettext(
                "“{name}” has a part ({entry}) that unpacks to more than {count} time its packed "
                "size, which is what a “ZIP bomb” does to overwhelm the computer that opens it. "
                "Save it as a PDF and attach that instead.",
                "“{name}” has a part ({entry}) that unpacks to more than {count} times its packed "
                "size, which is what a “ZIP bomb” does to overwhelm the computer that opens it. "
                "Save it as a PDF and attach that instead.",
                ratio,
            ).format(name=shown, entry=name, count=ratio),
        )


def few(items: list[str]) -> str:
    """Up to three items, and how many more."""
    shown = ", ".join(items[:3])
    if len(items) <= 3:
        return shown
    more = len(items) - 3
    return ngettext("{items} and {count} more", "{items} and {count} more", more).format(
        items=shown, count=more
    )


def _refuse(message: str) -> PackageRefused:
    return PackageRefused(CONTENT, message)


def _malformed(shown: str, label: str, reason: str) -> PackageRefused:
    return PackageRefused(
        CONTENT,
        _(
            "“{name}” is not a valid {document} ({reason}). Save it again and attach the new copy."
        ).format(name=shown, document=label, reason=reason),
    )
