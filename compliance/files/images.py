"""Images (.jpg/.jpeg, .png, .gif, .bmp, .tif/.tiff): decoded, within a pixel budget.

Pillow opens the file with only the expected format's decoder enabled (so nothing else,
EPS above all, is ever tried), the declared size is checked against the pixel cap before
any pixel is decoded, and then every frame is decoded so a truncated or corrupt file is
found now rather than by the recipient. Pillow's own DecompressionBombWarning/Error are
refusals too. The container is also walked by hand to find where the image ends, so
anything appended after it can be searched (see ``signatures``).
"""

from __future__ import annotations

import io
import re
import struct
import warnings

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image

from compliance.files.report import CONTENT, FileProblem, Limits
from compliance.files.signatures import describe, foreign_content

PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "bmp": "BMP", "tiff": "TIFF"}
# Pillow reports multi-picture JPEGs (phone cameras) as MPO.
ACCEPTED_FORMATS = {
    "jpeg": {"JPEG", "MPO"},
    "png": {"PNG"},
    "gif": {"GIF"},
    "bmp": {"BMP"},
    "tiff": {"TIFF"},
}
MAX_CHUNKS = 200_000  # JPEG segments, PNG chunks, GIF blocks; real files have far fewer
MAX_JPEG_FILL = 4096  # 0xFF padding between segments; Pillow reads it a byte at a time
_JPEG_FILL = re.compile(rb"\xff+")
_JPEG_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


class _Malformed(Exception):
    pass


class _TooManyFrames(Exception):
    pass


def check_image(shown: str, data: bytes, kind: str, limits: Limits) -> list[FileProblem]:
    try:
        end = _image_end(data, kind, limits)
    except _Malformed as exc:
        return [_damaged(shown, str(exc))]
    except _TooManyFrames:
        return [_too_many_frames(shown, limits)]
    problems = _decode(shown, data, kind, limits)
    hidden = foreign_content(data, end=end)
    if hidden:
        problems.append(
            FileProblem(
                CONTENT,
                _(
                    "“{name}” is an image that also carries {content}; such a double file can "
                    "be opened as something other than a picture. Export the image again (for "
                    "example with “Save as” in an image editor) and attach the new copy."
                ).format(name=shown, content=describe(hidden)),
            )
        )
    return problems


def _decode(shown: str, data: bytes, kind: str, limits: Limits) -> list[FileProblem]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # decoder chatter about bad input
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]]) as picture:
                if picture.format not in ACCEPTED_FORMATS[kind]:
                    return [
                        _damaged(shown, _("it decodes as {format}").format(format=picture.format))
                    ]
                frames = getattr(picture, "n_frames", 1)
                if frames > limits.max_frames:
                    return [_too_many_frames(shown, limits)]
                decoded = 0
                for index in range(frames):
                    picture.seek(index)
                    width, height = picture.size
                    if width * height > limits.max_pixels:
                        return [_too_large(shown, width, height, limits)]
                    decoded += width * height
                    if decoded > limits.max_decoded_pixels:
                        break  # the rest were parsed to count them; decoding them is waste
                    picture.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        megapixels = limits.max_pixels // 1_000_000
        return [
            FileProblem(
                CONTENT,
                ngettext(
                    "“{name}” declares more pixels than an image may have (over {count} "
                    "megapixel). Resize it and attach it again.",
                    "“{name}” declares more pixels than an image may have (over {count} "
                    "megapixels). Resize it and attach it again.",
                    megapixels,
                ).format(name=shown, count=megapixels),
            )
        ]
    except Exception as exc:  # any decoder error on untrusted input means "damaged"
        return [_damaged(shown, _reason(exc))]
    return []


def _too_many_frames(shown: str, limits: Limits) -> FileProblem:
    return FileProblem(
        CONTENT,
        ngettext(
            "“{name}” has more than {count} frame or page; an image may have at most that "
            "many. Send a shorter animation, or the pages as a PDF.",
            "“{name}” has more than {count} frames or pages; an image may have at most that "
            "many. Send a shorter animation, or the pages as a PDF.",
            limits.max_frames,
        ).format(name=shown, count=limits.max_frames),
    )


def _too_large(shown: str, width: int, height: int, limits: Limits) -> FileProblem:
    megapixels = round(width * height / 1e6)
    return FileProblem(
        CONTENT,
        ngettext(
            "“{name}” is {width} x {height} pixels ({count} megapixel); an image may have at "
            "most {limit} megapixels. Resize it and attach it again.",
            "“{name}” is {width} x {height} pixels ({count} megapixels); an image may have at "
            "most {limit} megapixels. Resize it and attach it again.",
            megapixels,
        ).format(
            name=shown,
            width=width,
            height=height,
            count=megapixels,
            limit=limits.max_pixels // 1_000_000,
        ),
    )


def _damaged(shown: str, reason: str) -> FileProblem:
    return FileProblem(
        CONTENT,
        _(
            "“{name}” is damaged or incomplete ({reason}), so it cannot be checked. Export it "
            "again and attach the new copy."
        ).format(name=shown, reason=reason),
    )


def _reason(exc: Exception) -> str:
    text = str(exc).strip().rstrip(".")
    return text[:120] if text else type(exc).__name__


# --- where the image ends ---------------------------------------------------------------


def _image_end(data: bytes, kind: str, limits: Limits) -> int | None:
    """The offset just past the image's last byte, by its own structure; ``None`` when the
    format does not say (TIFF keeps its parts anywhere)."""
    if kind == "jpeg":
        return _jpeg_end(data, limits)
    if kind == "png":
        return _png_end(data)
    if kind == "gif":
        return _gif_end(data, limits)
    if kind == "bmp" and len(data) >= 6:
        declared = struct.unpack_from("<I", data, 2)[0]
        return declared if 0 < declared <= len(data) else None
    if kind == "tiff":
        _count_tiff_pages(data, limits)
    return None


def _jpeg_end(data: bytes, limits: Limits) -> int | None:
    size = len(data)
    position, scans, segments = 2, 0, 0
    while position < size:
        segments += 1
        if segments > MAX_CHUNKS:
            raise _Malformed(_("it has too many segments"))
        if data[position] != 0xFF:
            raise _Malformed(_("unexpected byte at offset {offset}").format(offset=position))
        fill_end = _JPEG_FILL.match(data, position).end()  # type: ignore[union-attr]
        if fill_end - position > MAX_JPEG_FILL:
            raise _Malformed(_("it has a long run of padding bytes"))
        position = fill_end
        if position >= size:
            break
        marker = data[position]
        position += 1
        if marker == 0xD9:  # end of image
            return position
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue  # markers without a length
        if position + 2 > size:
            break
        length = struct.unpack_from(">H", data, position)[0]
        if length < 2:
            raise _Malformed(_("a segment has an impossible length"))
        position += length
        if marker != 0xDA:
            continue
        scans += 1
        if scans > limits.max_jpeg_scans:
            raise _Malformed(
                ngettext(
                    "it has more than {count} scan",
                    "it has more than {count} scans",
                    limits.max_jpeg_scans,
                ).format(count=limits.max_jpeg_scans)
            )
        # Entropy-coded data runs to the next marker that is not a stuffed 0xFF00, a
        # restart marker, or fill.
        found = _JPEG_NEXT_MARKER.search(data, position)
        if found is None:
            return None  # no end-of-image marker; the decoder judges the truncation
        position = found.start()
    return None


def _png_end(data: bytes) -> int:
    position, chunks = 8, 0
    while position + 12 <= len(data):
        length, chunk_type = struct.unpack_from(">I4s", data, position)
        position += 12 + length
        chunks += 1
        if chunk_type == b"IEND":
            return position
        if chunks > MAX_CHUNKS:
            raise _Malformed(_("it has too many chunks"))
    raise _Malformed(_("it has no end chunk"))


def _gif_end(data: bytes, limits: Limits) -> int | None:
    """Walks the blocks (Pillow would too, in Python, to count frames: this bounds it)."""
    size = len(data)
    if size < 13:
        raise _Malformed(_("it is too short"))
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    blocks = frames = 0
    while position < size:
        introducer = data[position]
        if introducer == 0x3B:  # trailer
            return position + 1
        if introducer == 0x21:  # extension: label, then sub-blocks
            position += 2
        elif introducer == 0x2C:  # image: descriptor, local colour table, LZW code size
            frames += 1
            if frames > limits.max_frames:
                raise _TooManyFrames
            if position + 10 > size:
                return None
            local = data[position + 9]
            position += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0) + 1
        else:
            raise _Malformed(_("unexpected block at offset {offset}").format(offset=position))
        while position < size and data[position]:
            position += data[position] + 1
            blocks += 1
            if blocks > MAX_CHUNKS:
                raise _Malformed(_("it has too many blocks"))
        position += 1  # block terminator
    return None


def _count_tiff_pages(data: bytes, limits: Limits) -> None:
    """Follows the chain of pages (IFDs) so that a file of a million tiny pages, or a chain
    that loops, is refused before Pillow walks it."""
    order = {b"II": "<", b"MM": ">"}.get(data[:2])
    if order is None or len(data) < 16:
        raise _Malformed(_("it has no TIFF header"))
    version = struct.unpack_from(order + "H", data, 2)[0]
    big = version == 43  # BigTIFF: 8-byte offsets and counts
    offset_format, count_format, entry_size = ("Q", "Q", 20) if big else ("I", "H", 12)
    position = struct.unpack_from(order + offset_format, data, 8 if big else 4)[0]
    seen: set[int] = set()
    while position:
        if position in seen:
            raise _Malformed(_("its pages form a loop"))
        seen.add(position)
        if len(seen) > limits.max_frames:
            raise _TooManyFrames
        count_size = struct.calcsize(count_format)
        next_size = struct.calcsize(offset_format)
        if position + count_size > len(data):
            raise _Malformed(_("a page points past the end of the file"))
        entries = struct.unpack_from(order + count_format, data, position)[0]
        link = position + count_size + entries * entry_size
        if link + next_size > len(data):
            raise _Malformed(_("a page points past the end of the file"))
        position = struct.unpack_from(order + offset_format, data, link)[0]
