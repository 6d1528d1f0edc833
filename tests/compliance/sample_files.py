"""Attachments the tests build themselves: small, real files of every allowed type, and the
hostile variants the checks must refuse. Nothing binary is checked in."""

from __future__ import annotations

import io
import itertools
import random
import struct
import zipfile
import zlib

from PIL import Image, ImageChops

# --- images -----------------------------------------------------------------------------


def image(fmt: str, size: tuple[int, int] = (64, 48), **save_options) -> bytes:
    """A small picture with some structure, saved by Pillow in the given format."""
    picture = Image.new("RGB", size, (200, 120, 40))
    for x in range(0, size[0], 8):
        for y in range(size[1]):
            picture.putpixel((x, y), (20, 60, 200))
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **save_options)
    return buffer.getvalue()


def noisy_jpeg(target_bytes: int) -> bytes:
    """A photo-like JPEG of about ``target_bytes`` (noise compresses poorly)."""
    rng = random.Random(7)
    side = int((target_bytes / 0.9) ** 0.5)
    noise = bytes(rng.getrandbits(8) for _ in range(side * side))
    picture = Image.frombytes("L", (side, side), noise).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def camera_photo() -> bytes:
    """A 12-megapixel (4000 x 3000) JPEG of about 2 MB, like a phone photo."""
    width, height = 4000, 3000
    grain = Image.effect_noise((width, height), 7)
    light = Image.linear_gradient("L").resize((width, height))
    picture = Image.merge("RGB", (ImageChops.add(light, grain, scale=2.0), grain, light))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def zip_archive(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --- Word (.docx) -------------------------------------------------------------------------

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
VBA_PROJECT = "application/vnd.ms-office.vbaProject"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def content_types(main: str = WORD_MAIN, extra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/>'
        f"{extra}</Types>"
    ).encode()


def relationships(*rels: tuple[str, str, str]) -> bytes:
    """A .rels part; each relationship is (type suffix, target, target mode)."""
    items = "".join(
        f'<Relationship Id="rId{i}" Type="{RELS}/{kind}" Target="{target}"'
        + (f' TargetMode="{mode}"' if mode else "")
        + "/>"
        for i, (kind, target, mode) in enumerate(rels, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{items}</Relationships>"
    ).encode()


def document_xml(
    body: str = "<w:p><w:r><w:t>Your warranty runs until May 2028.</w:t></w:r></w:p>",
) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    ).encode()


def docx_parts(**overrides: bytes) -> dict[str, bytes]:
    parts = {
        "[Content_Types].xml": content_types(),
        "_rels/.rels": relationships(("officeDocument", "word/document.xml", "")),
        "word/document.xml": document_xml(),
        "word/_rels/document.xml.rels": relationships(
            ("hyperlink", "https://marketplace.example/help", "External")
        ),
    }
    parts.update({name.replace("__", "/"): data for name, data in overrides.items()})
    return parts


def docx(**overrides: bytes) -> bytes:
    """A minimal Word document Word itself opens; keyword parts replace or add entries."""
    return zip_archive(docx_parts(**overrides))


def docx_with(parts: dict[str, bytes]) -> bytes:
    return zip_archive({**docx_parts(), **parts})


def lie_about_sizes(archive: bytes, entry: str, claimed: int) -> bytes:
    """Make the local and central headers of ``entry`` claim ``claimed`` uncompressed bytes
    (the CRC is left as it was, as a forger who only shrinks the size would)."""
    patched = bytearray(archive)
    name = entry.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        position = 0
        while (position := patched.find(signature, position)) >= 0:
            if patched[position + name_at : position + name_at + len(name)] == name:
                struct.pack_into("<I", patched, position + size_at, claimed)
            position += 4
    return bytes(patched)


# --- Word 97-2003 (.doc): a compound file built by hand --------------------------------

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512


def word_fib(encrypted: bool = False) -> bytes:
    """The start of a WordDocument stream: the FIB's magic number, version and flags."""
    flags = 0x0200 | (0x0100 if encrypted else 0)
    header = struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0409, 0, flags)
    return header.ljust(4096, b"\x00")


def compound_file(tree: dict[str, object]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors).

    ``tree`` maps names to bytes (a stream) or to a dict (a storage). Streams are padded
    to 4096 bytes so that they live in ordinary sectors and no mini stream is needed.
    """
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": []}]

    def add(parent: int, subtree: dict[str, object]) -> None:
        for name, value in subtree.items():
            index = len(entries)
            entries[parent]["children"].append(index)
            if isinstance(value, dict):
                entries.append({"name": name, "type": 1, "children": []})
                add(index, value)
            else:
                assert isinstance(value, bytes)
                entries.append(
                    {"name": name, "type": 2, "data": value.ljust(4096, b"\x00"), "children": []}
                )

    add(0, tree)
    dir_sectors = -(-len(entries) * 128 // SECTOR)
    fat = [FATSECT] + [i + 2 for i in range(dir_sectors - 1)] + [ENDOFCHAIN]
    body = b""
    next_sector = 1 + dir_sectors
    for entry in entries:
        if entry["type"] != 2:
            continue
        count = len(entry["data"]) // SECTOR
        entry["start"] = next_sector
        fat += [next_sector + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
        body += entry["data"]
        next_sector += count
    assert len(fat) <= 128, "one FAT sector is enough for test files"
    fat_sector = b"".join(struct.pack("<I", v) for v in fat + [FREESECT] * (128 - len(fat)))

    def sort_key(index: int) -> tuple[int, str]:
        name = entries[index]["name"]
        return len(name), name.upper()

    # Siblings as a chain of right links, in the compound file's name order.
    sibling: dict[int, int] = {}
    for entry in entries:
        ordered = sorted(entry["children"], key=sort_key)
        entry["child"] = ordered[0] if ordered else NOSTREAM
        for left, right in itertools.pairwise(ordered):
            sibling[left] = right
    directory = b""
    for index, entry in enumerate(entries):
        name = entry["name"].encode("utf-16-le") + b"\x00\x00"
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ",
            name,
            len(name),
            entry["type"],
            1,
            NOSTREAM,
            sibling.get(index, NOSTREAM),
            entry["child"],
            b"\x00" * 16,
            0,
            0,
            0,
            entry.get("start", ENDOFCHAIN if entry["type"] == 5 else 0),
            len(entry.get("data", b"")),
        )
    directory = directory.ljust(dir_sectors * SECTOR, b"\x00")
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,
        1,
        1,
        0,
        4096,
        ENDOFCHAIN,
        0,
        ENDOFCHAIN,
        0,
    )
    difat = struct.pack("<I", 0) + struct.pack("<I", FREESECT) * 108
    return header + difat + fat_sector + directory + body


def word97(**extra: object) -> bytes:
    """A .doc: a WordDocument stream and a table stream, plus any extra storages."""
    tree: dict[str, object] = {"WordDocument": word_fib(), "1Table": b"\x00" * 16}
    tree.update(extra)
    return compound_file(tree)


# --- PDF -----------------------------------------------------------------------------------


def pdf(objects: list[bytes], root: int = 1, tail: bytes = b"") -> bytes:
    """A PDF with a correct cross-reference table; ``objects[i]`` is object ``i + 1``."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out) + tail


def stream(content: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    data = zlib.compress(content) if compress else content
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s %s >>\nstream\n" % (len(data), flate, extra) + data + b"\nendstream"


def page_objects(catalog_extra: bytes = b"", text: bytes = b"Invoice 1001: 2 tents") -> list[bytes]:
    """Catalog, pages, one page with a line of text, its font and content."""
    content = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream(content),
    ]


def simple_pdf(
    catalog_extra: bytes = b"", extra_objects: tuple[bytes, ...] = (), tail: bytes = b""
) -> bytes:
    return pdf(page_objects(catalog_extra) + list(extra_objects), tail=tail)


def pdf_with_object_stream(hidden: bytes) -> bytes:
    """A PDF 1.5 file whose catalog sits compressed in an object stream, with an xref stream.

    ``hidden`` is put in the catalog, where only a reader that inflates object streams
    sees it.
    """
    objects = page_objects(catalog_extra=hidden)
    catalog = objects[0]
    header = b"1 0 "
    objstm_body = header + catalog
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in enumerate(objects[1:], 2):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[6] = len(out)
    compressed = zlib.compress(objstm_body)
    out += (
        b"6 0 obj\n<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\n"
        b"stream\n" % (len(header), len(compressed)) + compressed + b"\nendstream\nendobj\n"
    )
    xref_offset = len(out)
    rows = [struct.pack(">BIH", 0, 0, 0xFFFF), struct.pack(">BIH", 2, 6, 0)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in range(2, 7)]
    rows.append(struct.pack(">BIH", 1, xref_offset, 0))
    data = b"".join(rows)
    out += (
        b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(data)
        + data
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def sized_pdf(target_bytes: int) -> bytes:
    """A many-page PDF with a photo on every page, about ``target_bytes`` long."""
    photo = noisy_jpeg(60_000)
    width, height = Image.open(io.BytesIO(photo)).size
    pages = max(1, target_bytes // (len(photo) + 600))
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")  # 3
    kids = []
    for page in range(pages):
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
            b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode "
            b"/Length %d >>\nstream\n" % (width, height, len(photo)) + photo + b"\nendstream"
        )
        image_number = len(objects)
        content = (
            b"q 400 0 0 300 100 400 cm /Im1 Do Q BT /F1 12 Tf 72 72 Td "
            b"(Page %d of the assembly manual) Tj ET" % (page + 1)
        )
        objects.append(stream(content))
        content_number = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
            b"<< /Font << /F1 3 0 R >> /XObject << /Im1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (image_number, content_number)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    return pdf(objects)
