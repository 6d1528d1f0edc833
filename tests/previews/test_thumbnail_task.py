"""The worker's previews of attached files: made from the content, re-encoded, bounded, and
simply left out for a file that cannot be drawn.

Jordan sends Northwind photos of a damaged parcel and the receipt; some of what reaches the
worker is not what its name says.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from messagecenter.messaging import pdf_page
from messagecenter.messaging.models import Attachment
from messagecenter.messaging.previews import attachment_preview_make
from messagecenter.messaging.storage import attachment_storage
from messagecenter.messaging.tasks import make_attachment_preview
from messagecenter.messaging.thumbnails import PREVIEW_SIZE
from tests import factories
from tests.previews import samples


@pytest.fixture
def conversation(jordans_order):
    return factories.buyer_message(jordans_order, "The parcel arrived damaged.").conversation


def _stored_files() -> list[Path]:
    return [p for p in Path(settings.ATTACHMENT_ROOT).rglob("*") if p.is_file()]


def _made(attachment: Attachment) -> tuple[Attachment, Image.Image | None]:
    """Run the task as the worker would; the attachment afterwards and its preview."""
    make_attachment_preview.delay(attachment.pk)
    attachment.refresh_from_db()
    if not attachment.preview:
        return attachment, None
    with attachment.preview.open("rb") as handle:
        data = handle.read()
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return attachment, picture


@pytest.mark.parametrize(
    ("name", "data", "content_type", "expected_size"),
    [
        ("damage.png", samples.picture("PNG"), "image/png", (320, 240)),
        ("box.gif", samples.animated_gif(), "image/gif", (200, 100)),
        ("label.webp", samples.picture("WEBP"), "image/webp", (320, 240)),
        ("scan.bmp", samples.picture("BMP", (100, 400)), "image/bmp", (80, 320)),
        ("scan.tiff", samples.picture("TIFF", (400, 400)), "image/tiff", (320, 320)),
    ],
)
def test_an_image_gets_a_small_reencoded_preview(
    conversation, name, data, content_type, expected_size
):
    attachment = samples.attachment_in(conversation, name, data, content_type)

    attachment, preview = _made(attachment)

    assert preview is not None
    assert preview.format == "WEBP"
    assert preview.size == expected_size
    assert (attachment.preview_width, attachment.preview_height) == expected_size
    assert max(preview.size) <= PREVIEW_SIZE
    assert attachment.preview_content_type == "image/webp"
    assert attachment.preview_checked_at is not None
    # A picture of its own under a generated name, in the private storage.
    assert attachment.preview.name != attachment.file.name
    assert name not in attachment.preview.name
    assert (
        Path(attachment.preview.path)
        .resolve()
        .is_relative_to(Path(settings.ATTACHMENT_ROOT).resolve())
    )
    assert Path(attachment.preview.path).read_bytes() != data


def test_a_photo_is_shown_the_right_way_up(conversation):
    attachment = samples.attachment_in(
        conversation, "side.jpg", samples.jpeg_turned_on_its_side(), "image/jpeg"
    )

    attachment, preview = _made(attachment)

    assert preview is not None
    assert preview.size == (160, 320)  # turned upright: portrait
    # The dark half was on the left of the stored pixels; turned 90° clockwise it is on top.
    top, bottom = preview.convert("L").getpixel((80, 40)), preview.convert("L").getpixel((80, 280))
    assert top < 100 < bottom


def test_a_pdf_gets_a_picture_of_its_first_page(conversation):
    attachment = samples.attachment_in(
        conversation, "receipt.pdf", factories.pdf_bytes("Receipt 1001"), "application/pdf"
    )

    attachment, preview = _made(attachment)

    assert preview is not None
    assert preview.format == "WEBP"
    assert preview.size == (248, 320)  # a US Letter page (612 x 792) fitted in 320
    grey = preview.convert("L")
    assert grey.getpixel((200, 300)) > 240  # the page is white...
    assert grey.crop((20, 20, 120, 50)).getextrema()[0] < 128  # ...with the text at its top


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("receipt.pdf", samples.encrypted_pdf(), "application/pdf"),
        ("receipt.pdf", samples.corrupt_pdf(), "application/pdf"),
        ("poster.pdf", samples.pdf_with_page(100_000, 100_000), "application/pdf"),
        ("ribbon.pdf", samples.pdf_with_page(20, 5000), "application/pdf"),
        ("bomb.png", samples.decompression_bomb_png(), "image/png"),
        ("photo.png", samples.text_named_like_a_photo(), "image/png"),
        ("photo.jpg", samples.picture("PNG")[:200], "image/jpeg"),
        ("drawing.eps", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "image/x-eps"),
    ],
    ids=[
        "encrypted pdf",
        "corrupt pdf",
        "pdf page too big",
        "pdf page a sliver",
        "decompression bomb",
        "text named like a photo",
        "truncated image",
        "postscript",
    ],
)
def test_a_file_that_cannot_be_drawn_has_no_preview_and_is_not_tried_again(
    conversation, name, data, content_type
):
    attachment = samples.attachment_in(conversation, name, data, content_type)
    files_before = _stored_files()

    started = time.monotonic()
    attachment, preview = _made(attachment)

    assert time.monotonic() - started < pdf_page.RENDER_TIMEOUT
    assert preview is None
    assert not attachment.has_preview
    assert attachment.preview_checked_at is not None  # given up for good, not retried
    assert _stored_files() == files_before
    assert attachment_preview_make(attachment.pk) is False


def test_a_pdf_that_takes_too_long_is_given_up(conversation, monkeypatch):
    monkeypatch.setattr(pdf_page, "RENDER_TIMEOUT", 0.001)
    attachment = samples.attachment_in(
        conversation, "slow.pdf", factories.pdf_bytes("Slow"), "application/pdf"
    )

    attachment, preview = _made(attachment)

    assert preview is None
    assert attachment.preview_checked_at is not None


def test_the_task_retried_after_two_failures_makes_one_preview(conversation):
    attachment = samples.attachment_in(
        conversation, "damage.png", samples.picture("PNG"), "image/png"
    )
    real_save = attachment_storage.save
    calls = []

    def flaky_save(*args, **kwargs):
        calls.append(args)
        if len(calls) <= 2:
            raise OSError("the attachment volume is briefly unavailable")
        return real_save(*args, **kwargs)

    with mock.patch.object(attachment_storage, "save", side_effect=flaky_save):
        make_attachment_preview.delay(attachment.pk)
    make_attachment_preview.delay(attachment.pk)  # queued twice: the second does nothing

    attachment.refresh_from_db()
    assert len(calls) == 3
    assert attachment.has_preview
    assert sorted(_stored_files()) == sorted(
        [Path(attachment.file.path), Path(attachment.preview.path)]
    )


def test_two_runs_side_by_side_keep_one_preview(conversation):
    """Two workers took the same task: the one that records its picture first wins, the
    other's picture is deleted."""
    attachment = samples.attachment_in(
        conversation, "damage.png", samples.picture("PNG"), "image/png"
    )
    real_save = attachment_storage.save

    def save_then_lose_the_race(*args, **kwargs):
        name = real_save(*args, **kwargs)
        with mock.patch.object(attachment_storage, "save", side_effect=real_save):
            assert attachment_preview_make(attachment.pk) is True  # the other worker
        return name

    with mock.patch.object(attachment_storage, "save", side_effect=save_then_lose_the_race):
        assert attachment_preview_make(attachment.pk) is False

    attachment.refresh_from_db()
    assert attachment.has_preview
    assert len(_stored_files()) == 2


def test_sending_a_message_queues_previews_for_its_images_and_pdfs_only(
    jordans_order, django_capture_on_commit_callbacks
):
    files = [
        SimpleUploadedFile("damage.png", samples.picture("PNG"), content_type="image/png"),
        factories.pdf_upload("receipt.pdf"),
        SimpleUploadedFile("notes.txt", b"Box was crushed on one side.\n"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        message = factories.buyer_message(
            jordans_order, "Photos and the receipt.", attachments=files
        )

    assert message.is_delivered
    previews = {a.original_name: a.has_preview for a in message.attachments.all()}
    assert previews == {"damage.png": True, "receipt.pdf": True, "notes.txt": False}
    text = message.attachments.get(original_name="notes.txt")
    assert text.preview_checked_at is None  # never read for a preview


def test_a_file_the_worker_cannot_draw_does_not_stop_the_message(
    jordans_order, django_capture_on_commit_callbacks
):
    """Even a bug in the thumbnailer fails the worker's task only, after the commit."""
    with (
        mock.patch(
            "messagecenter.messaging.previews.make_thumbnail", side_effect=RuntimeError("boom")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        factories.buyer_message(
            jordans_order, "The receipt.", attachments=[factories.pdf_upload("receipt.pdf")]
        )

    attachment = Attachment.objects.get()
    assert attachment.message.is_delivered
    assert not attachment.has_preview


def test_a_missing_attachment_is_nothing_to_do(db):
    assert attachment_preview_make(987_654_321) is False


def test_files_sent_before_previews_existed_are_queued_by_a_command(conversation):
    old_photo = samples.attachment_in(
        conversation, "damage.png", samples.picture("PNG"), "image/png"
    )
    old_note = samples.attachment_in(conversation, "notes.txt", b"Crushed box.\n", "text/plain")
    out = io.StringIO()

    call_command("queue_attachment_previews", stdout=out)

    assert out.getvalue().strip() == "Queued 1 attachment previews for the worker."
    old_photo.refresh_from_db()
    old_note.refresh_from_db()
    assert old_photo.has_preview
    assert old_note.preview_checked_at is None
    out = io.StringIO()
    call_command("queue_attachment_previews", stdout=out)
    assert out.getvalue().strip() == "Queued 0 attachment previews for the worker."
