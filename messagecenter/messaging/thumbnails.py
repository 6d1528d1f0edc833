"""Small pictures of attached files: an image scaled down, or a PDF's first page.

The input is a stranger's file, so every path is bounded: Pillow opens it with only the
picture formats listed here enabled (never EPS or anything that runs Ghostscript), its
declared size is checked against a pixel cap before a pixel is decoded, and Pillow's own
decompression-bomb check turns into a refusal. PDFs are rendered in a child process with
limits of its own (messaging/pdf_page.py). Whatever comes out is encoded again here, so
the stored preview never holds a byte of the sender's file; a file that cannot be made
into a picture raises ``NoPreview`` and simply has none.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

from messagecenter.messaging import pdf_page

# The longest side of a preview, in pixels: big enough to tell a photo or an invoice
# apart, small enough that a page of fifty costs little to send.
PREVIEW_SIZE = 320
# The largest image decoded for a preview (the attachment rules refuse larger ones; this
# holds whatever reached the worker by another way).
MAX_IMAGE_PIXELS = 50_000_000
IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "BMP", "TIFF", "WEBP")
PDF_MAGIC = b"%PDF-"
# WebP keeps transparency and is small; every browser the app supports shows it.
PREVIEW_FORMAT, PREVIEW_CONTENT_TYPE = "WEBP", "image/webp"


class NoPreview(Exception):
    """This file cannot be shown as a picture (not an image or PDF, damaged, too big)."""


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    width: int
    height: int
    content_type: str = PREVIEW_CONTENT_TYPE


def make_thumbnail(data: bytes) -> Thumbnail:
    """A preview of the file's content, whatever its name says it is."""
    if data.lstrip()[:5] == PDF_MAGIC:
        try:
            page = pdf_page.render_first_page(data, PREVIEW_SIZE)
        except pdf_page.PdfNotRendered as error:
            raise NoPreview(str(error)) from error
        picture = _open_bounded(page, ("PNG",))
    else:
        picture = _open_bounded(data, IMAGE_FORMATS)
    with picture:
        return _encode(_scaled(picture))


def _open_bounded(data: bytes, formats: tuple[str, ...]) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # decoder chatter about bad input
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=list(formats))
            width, height = picture.size
            if width < 1 or height < 1 or width * height > MAX_IMAGE_PIXELS:
                picture.close()
                raise NoPreview(f"{width} x {height} pixels is outside the preview's limits")
            # JPEG can decode straight at a fraction of its size: far less work for a photo.
            picture.draft("RGB", (PREVIEW_SIZE * 2, PREVIEW_SIZE * 2))
            picture.load()
            return picture
    except NoPreview:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise NoPreview("too many pixels") from error
    except Exception as error:  # any decoder error on untrusted input: no picture
        raise NoPreview(f"{type(error).__name__}: {error}") from error


def _scaled(picture: Image.Image) -> Image.Image:
    """The first frame, the right way up (EXIF orientation), fitted in the preview's box."""
    try:
        upright = ImageOps.exif_transpose(picture) or picture
    except Exception:  # a damaged EXIF block: show the picture as stored
        upright = picture
    mode = "RGBA" if _has_transparency(upright) else "RGB"
    converted = upright.convert(mode)
    converted.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE), Image.Resampling.LANCZOS)
    return converted


def _has_transparency(picture: Image.Image) -> bool:
    return picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info


def _encode(picture: Image.Image) -> Thumbnail:
    out = io.BytesIO()
    picture.save(out, PREVIEW_FORMAT, quality=80, method=4)
    width, height = picture.size
    return Thumbnail(data=out.getvalue(), width=width, height=height)
