"""Files attached to messages: limits, names, where they are kept and how they are served.

Sam (Northwind's owner) sends Jordan invoices and documents about Jordan's order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messagecenter.messaging.attachments import clean_display_name
from messagecenter.messaging.models import Attachment, Message
from tests import factories

MB = 1024 * 1024
INVOICE_BODY = "Here is the invoice for order items you asked about, as a PDF."


def _pdf(name: str = "invoice.pdf", size: int = 0) -> SimpleUploadedFile:
    return factories.pdf_upload(name, size)


def _contact_buyer(client, order, *, files, message_type="send_invoice", body=INVOICE_BODY):
    return client.post(
        reverse("contact_buyer", args=[order.number]),
        {
            "message_type": message_type,
            "subject": f"Invoice for order {order.number}",
            "body": body,
            "attachments": files,
        },
    )


def _download(client, attachment: Attachment):
    response = client.get(reverse("attachment_download", args=[attachment.pk]))
    content = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, content


@pytest.fixture
def invoice_sent(client, sam, jordans_order):
    """Sam sends Jordan an invoice through the Contact Buyer form."""
    client.force_login(sam)
    upload = _pdf("Invoice 2026-114.pdf")
    expected = upload.read()
    upload.seek(0)
    response = _contact_buyer(client, jordans_order, files=[upload])
    assert response.status_code == 302, response.content.decode()[:3000]
    return Attachment.objects.get(), expected


# --- Serving -----------------------------------------------------------------------------------


def test_download_is_an_attachment_with_the_original_name_and_nosniff(client, jordan, invoice_sent):
    attachment, expected = invoice_sent
    client.force_login(jordan)

    response, content = _download(client, attachment)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Invoice 2026-114.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert content == expected
    assert int(response["Content-Length"]) == len(expected) == attachment.size


def test_the_sender_can_download_it_too_and_others_cannot(client, sam, priya, invoice_sent):
    attachment, expected = invoice_sent
    client.force_login(sam)
    assert _download(client, attachment)[1] == expected

    client.force_login(priya)
    assert _download(client, attachment)[0].status_code == 404
    client.logout()
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 302


def test_file_is_stored_under_a_generated_name_inside_the_attachment_root(invoice_sent):
    attachment, expected = invoice_sent
    root = Path(settings.ATTACHMENT_ROOT).resolve()

    stored = Path(attachment.file.path).resolve()

    assert stored.is_relative_to(root)
    assert stored.read_bytes() == expected
    assert "Invoice" not in attachment.file.name
    assert not stored.name.endswith(".pdf")
    assert [p for p in root.rglob("*") if p.is_file()] == [stored]


def test_two_files_with_the_same_name_are_kept_apart(client, sam, jordans_order):
    client.force_login(sam)
    first, second = _pdf("invoice.pdf"), _pdf("invoice.pdf", size=900)

    assert _contact_buyer(client, jordans_order, files=[first, second]).status_code == 302

    one, two = Attachment.objects.order_by("id")
    assert one.original_name == two.original_name == "invoice.pdf"
    assert one.file.name != two.file.name
    assert (one.size, two.size) == (first.size, 900)


def test_a_non_ascii_name_is_encoded_in_the_header(client, jordan, sam, jordans_order):
    client.force_login(sam)
    assert _contact_buyer(client, jordans_order, files=[_pdf("Rechnung März.pdf")]).status_code
    attachment = Attachment.objects.get()
    client.force_login(jordan)

    response, _ = _download(client, attachment)

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Rechnung%20M%C3%A4rz.pdf"
    )


# --- Limits ------------------------------------------------------------------------------------


def test_a_sixth_file_is_refused_naming_the_limit(client, sam, jordans_order):
    client.force_login(sam)
    files = [_pdf(f"page-{n}.pdf") for n in range(1, 7)]

    response = _contact_buyer(client, jordans_order, files=files)

    assert response.status_code == 400
    page = response.content.decode()
    assert "You attached 6 files; a message can carry at most 5." in page
    assert not Message.objects.filter(status=Message.Status.DELIVERED).exists()
    assert not Attachment.objects.exists()


def test_five_files_are_fine(client, sam, jordans_order):
    client.force_login(sam)
    files = [_pdf(f"page-{n}.pdf") for n in range(1, 6)]

    assert _contact_buyer(client, jordans_order, files=files).status_code == 302
    assert Attachment.objects.count() == 5


def test_more_than_ten_megabytes_in_all_is_refused(client, sam, jordans_order):
    client.force_login(sam)
    files = [_pdf("scan-1.pdf", size=6 * MB), _pdf("scan-2.pdf", size=5 * MB)]

    response = _contact_buyer(client, jordans_order, files=files)

    assert response.status_code == 400
    page = response.content.decode()
    assert "The attachments add up to 11.0\xa0MB; one message may carry at most 10.0\xa0MB" in (
        page.replace("&nbsp;", "\xa0")
    )
    assert not Attachment.objects.exists()


def test_the_size_limit_is_checked_by_the_service_for_every_way_in(sam, jordans_order):
    message = factories.seller_message(
        jordans_order,
        sam,
        body=INVOICE_BODY,
        message_type="send_invoice",
        attachments=[_pdf("big.pdf", size=10 * MB + 1)],
    )

    assert message.status == Message.Status.BLOCKED
    assert not message.attachments.exists()


def test_a_type_that_needs_a_file_refuses_to_go_without_one(client, sam, jordans_order):
    client.force_login(sam)

    response = _contact_buyer(client, jordans_order, files=[])

    assert response.status_code == 400
    assert "must carry the document itself: attach at least 1 file" in response.content.decode()
    assert not Message.objects.filter(status=Message.Status.DELIVERED).exists()


def test_a_type_that_allows_no_files_refuses_them(client, sam, jordan, northwind):
    delivered = factories.order(buyer=jordan, seller=northwind, status="delivered", days_ago=13)
    client.force_login(sam)

    response = _contact_buyer(
        client,
        delivered,
        files=[_pdf("coupon.pdf")],
        message_type="review_request",
        body="If you have a moment, please share your experience with this product.",
    )

    assert response.status_code == 400
    assert "message cannot carry attachments; remove the 1 file" in response.content.decode()
    assert not Attachment.objects.exists()


# --- Names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("a\\b.pdf", "b.pdf"),
        ("/var/lib/secret.pdf", "secret.pdf"),
        ("C:\\Users\\sam\\invoice.pdf", "invoice.pdf"),
        ("in\x00voi\x1bce\r\n.pdf", "invoice.pdf"),
        ("report\u202egnp.pdf", "reportgnp.pdf"),  # right-to-left override hides the type
        ('say "hi" <b>.pdf', "say _hi_ _b_.pdf"),
        ("..", "attachment"),
        ("", "attachment"),
        ("  .hidden.pdf. ", "hidden.pdf"),
        ("x" * 300 + ".pdf", "x" * 255),
    ],
)
def test_names_are_cleaned_for_display(given, shown):
    assert clean_display_name(given) == shown


@pytest.mark.parametrize(
    "given",
    ["a\\b.pdf", "..\\..\\etc\\passwd.pdf", "in\x00voi\x1bce\r\n.pdf", "report\u202egnp.pdf"],
)
def test_names_with_path_tricks_or_control_characters_are_refused(sam, jordans_order, given):
    """Names the API or email gateway pass on as given: refused, saying which file and why."""
    upload = _pdf()
    upload.name = given
    message = factories.seller_message(
        jordans_order, sam, body=INVOICE_BODY, message_type="send_invoice", attachments=[upload]
    )
    assert message.status == Message.Status.BLOCKED
    assert not message.attachments.exists()
    violations = list(message.violations.filter(rule="attach.type"))
    assert violations
    for violation in violations:
        assert violation.location == "attachments"
        assert violation.excerpt
        assert "name" in violation.explanation.lower()


def test_path_tricks_in_the_web_form_never_reach_the_disk_path(client, sam, jordans_order):
    client.force_login(sam)
    upload = _pdf()
    upload.name = "../../../../tmp/evil.pdf"

    assert _contact_buyer(client, jordans_order, files=[upload]).status_code == 302

    attachment = Attachment.objects.get()
    assert attachment.original_name == "evil.pdf"
    assert (
        Path(attachment.file.path)
        .resolve()
        .is_relative_to(Path(settings.ATTACHMENT_ROOT).resolve())
    )
    assert not Path("/tmp/evil.pdf").exists()
