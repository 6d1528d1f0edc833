"""Files for the preview tests, made here: pictures in each format, PDFs good and bad, and
files built to hurt a thumbnailer (a decompression bomb, a text file named like a photo)."""

from __future__ import annotations

import io
import struct
import zlib

import pypdf
from django.core.files.base import ContentFile
from PIL import Image

from messagecenter.messaging.models import Attachment, Message
from messagecenter.threads.models import Conversation, Side
from tests import factories


def picture(fmt: str, size: tuple[int, int] = (640, 480), **save: object) -> bytes:
    """A picture with a dark left half and a light right half, so orientation shows."""
    mode = "RGBA" if fmt in ("PNG", "WEBP") else "RGB"
    image = Image.new(mode, size, "white")
    image.paste((20, 40, 160), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def jpeg_turned_on_its_side() -> bytes:
    """A 640 x 320 landscape JPEG whose EXIF says the camera was turned (orientation 6):
    shown the right way up it is 320 x 640, portrait."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return picture("JPEG", (640, 320), exif=exif.tobytes())


def animated_gif() -> bytes:
    frames = [Image.new("P", (200, 100), color) for color in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


def screenshot_png() -> bytes:
    return picture("PNG", (1280, 800))


def encrypted_pdf() -> bytes:
    """A PDF that needs a password to open."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def corrupt_pdf() -> bytes:
    """A PDF cut off in its first object: a header and nothing a renderer can use."""
    return factories.pdf_bytes("Invoice 1001")[:60]


def pdf_with_page(width: float, height: float) -> bytes:
    """A one-page PDF whose page declares this size (in PDF units)."""
    pdf = factories.pdf_bytes("Huge")
    return pdf.replace(b"/MediaBox [0 0 612 792]", f"/MediaBox [0 0 {width} {height}]".encode())


def decompression_bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (10 gigapixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", row) + chunk(b"IEND", b"")


def text_named_like_a_photo() -> bytes:
    return b"Not a photo at all, just a few words of text.\n" * 20


def attachment_in(
    conversation: Conversation,
    name: str,
    data: bytes,
    content_type: str,
    *,
    status: str = Message.Status.DELIVERED,
    side: Side = Side.BUYER,
) -> Attachment:
    """A file stored straight on a message, past the attachment rules: what a worker may
    meet whatever reached it (a file the rules of an older release let through)."""
    message = Message.objects.create(
        conversation=conversation,
        sender=conversation.buyer if side == Side.BUYER else None,
        sender_side=side,
        message_type="buyer_inquiry" if side == Side.BUYER else "send_invoice",
        subject="Photos",
        body_text="The photos are attached.",
        body_html="<p>The photos are attached.</p>",
        status=status,
    )
    return Attachment.objects.create(
        message=message,
        file=ContentFile(data, name="upload"),
        original_name=name,
        content_type=content_type,
        size=len(data),
    )


def give_preview(attachment: Attachment, size: tuple[int, int] = (240, 180)) -> Attachment:
    """Record a preview as the worker would, without drawing one: for tests about pages
    and access, where the drawing is not the point."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 210, 220)).save(out, "WEBP")
    attachment.preview.save("preview", ContentFile(out.getvalue()), save=False)
    attachment.preview_content_type = "image/webp"
    attachment.preview_width, attachment.preview_height = size
    Attachment.objects.filter(pk=attachment.pk).update(
        preview=attachment.preview.name,
        preview_content_type="image/webp",
        preview_width=size[0],
        preview_height=size[1],
        preview_checked_at=attachment.created_at,
    )
    return attachment
