"""What happens to a message after the engine's verdict, through the real send service and
the real pages: delivered, held for review, blocked with the draft kept, redacted."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from compliance.models import PolicySettings, RuleSetting
from messagecenter.messaging.models import Attachment, Message, Upload
from messagecenter.moderation.models import MessageViolation
from messagecenter.threads.models import Conversation
from tests import factories


def _set_action(rule: str, action: str) -> None:
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.update_or_create(policy=policy, rule=rule, defaults={"action": action})


def _contact_buyer(client, order, follow=False, **data):
    payload = {
        "message_type": "confirm_order_details",
        "subject": "Address check",
        "body": "Please confirm the delivery address: is it apartment 4B?",
    }
    payload.update(data)
    return client.post(reverse("contact_buyer", args=[order.number]), payload, follow=follow)


def test_a_clean_message_is_delivered_and_the_buyer_is_notified(
    client, sam, jordan, jordans_order, django_capture_on_commit_callbacks
):
    client.force_login(sam)
    with django_capture_on_commit_callbacks(execute=True):
        response = _contact_buyer(client, jordans_order)
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.status == Message.Status.DELIVERED
    assert message.delivered_at is not None
    assert [m.to for m in mail.outbox] == [[jordan.email]]


def test_a_blocked_message_keeps_the_draft_and_names_the_rule(client, sam, jordans_order):
    jordans_order.ordered_at = timezone.now() - timedelta(days=45)
    jordans_order.save()
    client.force_login(sam)
    response = _contact_buyer(
        client,
        jordans_order,
        message_type="shipment_delay",
        subject="Running late",
        body="Your parcel leaves our warehouse on Monday instead of Friday.",
        attachments=[factories.pdf_upload("schedule.pdf")],
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "window.proactive" in page
    assert "within 30 days of the order date" in page
    # Everything the seller wrote is still in the form, and the file is still attached.
    assert "Running late" in page
    assert "Your parcel leaves our warehouse on Monday instead of Friday." in page
    upload = Upload.objects.get(owner=sam)
    assert upload.original_name == "schedule.pdf"
    assert f'name="keep_upload" value="{upload.pk}" checked' in page
    # A copy is kept for the marketplace, never shown to the buyer.
    blocked = Message.objects.get()
    assert blocked.status == Message.Status.BLOCKED
    assert MessageViolation.objects.filter(message=blocked, rule="window.proactive").exists()
    assert not Conversation.objects.filter(last_message_at__isnull=False).exists()


def test_the_kept_file_goes_with_the_corrected_message(client, sam, jordans_order):
    jordans_order.ordered_at = timezone.now() - timedelta(days=45)
    jordans_order.save()
    client.force_login(sam)
    _contact_buyer(
        client,
        jordans_order,
        message_type="shipment_delay",
        attachments=[factories.pdf_upload("schedule.pdf")],
    )
    upload = Upload.objects.get(owner=sam)
    response = _contact_buyer(
        client,
        jordans_order,
        message_type="unexpected_problem",
        body="The part you ordered is damaged in our stock; we are sending a new one.",
        keep_upload=[upload.pk],
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "schedule.pdf"
    assert attachment.message.status == Message.Status.DELIVERED
    assert not Upload.objects.exists()


def test_someone_elses_upload_cannot_be_attached(client, sam, avery, jordans_order):
    client.force_login(avery)
    other = factories.uploads_for(avery, factories.pdf_upload("avery.pdf"))[0]
    client.force_login(sam)
    response = _contact_buyer(client, jordans_order, keep_upload=[other.pk])
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert Upload.objects.filter(pk=other.pk).exists()


def test_a_flagged_message_is_held_the_buyer_sees_nothing(
    client, sam, jordan, jordans_order, django_capture_on_commit_callbacks
):
    _set_action("type.text_length", "flag")
    client.force_login(sam)
    with django_capture_on_commit_callbacks(execute=True):
        response = _contact_buyer(
            client,
            jordans_order,
            message_type="digital_access_key",
            body="Your licence key is below. " + "Setup notes follow. " * 30,
        )
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.status == Message.Status.HELD
    assert mail.outbox == []
    seller_page = client.get(reverse("seller_conversation", args=[message.conversation_id]))
    assert "Held for review" in seller_page.content.decode()
    client.force_login(jordan)
    inbox = client.get(reverse("buyer_inbox")).content.decode()
    assert "No conversations here" in inbox
    response = client.get(reverse("buyer_conversation", args=[message.conversation_id]))
    assert response.status_code == 200
    assert "licence key" not in response.content.decode()


def test_operator_can_switch_a_rule_off(client, sam, jordans_order):
    _set_action("window.proactive", "off")
    jordans_order.ordered_at = timezone.now() - timedelta(days=45)
    jordans_order.save()
    client.force_login(sam)
    response = _contact_buyer(
        client,
        jordans_order,
        message_type="shipment_delay",
        body="Your parcel leaves our warehouse on Monday instead.",
    )
    assert response.status_code == 302
    assert Message.objects.get().status == Message.Status.DELIVERED


@pytest.mark.parametrize(
    ("days_since_delivery", "open_"),
    [(2, False), (5, True), (10, True), (30, True), (31, False)],
)
def test_contact_buyer_page_says_when_a_review_request_is_possible(
    client, sam, jordan, northwind, days_since_delivery, open_
):
    order = factories.order(buyer=jordan, seller=northwind, status="delivered", days_ago=40)
    order.ordered_at = timezone.now() - timedelta(days=days_since_delivery + 3)
    order.shipped_at = order.ordered_at + timedelta(days=1)
    order.delivered_at = timezone.now() - timedelta(days=days_since_delivery, minutes=1)
    order.save()
    client.force_login(sam)
    page = client.get(reverse("contact_buyer", args=[order.number])).content.decode()
    option = page.split("<strong>Request a review</strong>", 1)[1].split("</li>", 1)[0]
    if open_:
        assert "between 5 and 30 days after delivery" not in option
        assert '<option value="review_request">' in page
    else:
        assert "between 5 and 30 days after delivery" in option
        assert 'value="review_request" disabled' in page


def test_review_request_only_once_per_order(client, sam, jordan, northwind):
    order = factories.order(buyer=jordan, seller=northwind, status="delivered", days_ago=15)
    order.delivered_at = timezone.now() - timedelta(days=10)
    order.save()
    client.force_login(sam)
    neutral = "How is the duvet cover working out? Your honest review helps other customers."
    first = _contact_buyer(
        client, order, message_type="review_request", subject="Your order", body=neutral
    )
    assert first.status_code == 302
    second = _contact_buyer(
        client, order, message_type="review_request", subject="Your order", body=neutral
    )
    assert second.status_code == 400
    assert "review.repeat" in second.content.decode()


def test_live_check_reports_violations_without_storing_anything(client, sam, jordans_order):
    jordans_order.ordered_at = timezone.now() - timedelta(days=45)
    jordans_order.save()
    client.force_login(sam)
    response = client.post(
        reverse("compliance_check"),
        {
            "order": jordans_order.number,
            "message_type": "shipment_delay",
            "subject": "Late",
            "body": "It ships Monday.",
        },
    )
    assert response.status_code == 200
    rules = [v["rule"] for v in response.json()["violations"]]
    assert rules == ["window.proactive"]
    assert not Message.objects.exists()
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("actor", ["maria", "jordan", "anonymous"])
def test_live_check_is_only_for_the_orders_seller(client, request, jordans_order, actor):
    if actor != "anonymous":
        client.force_login(request.getfixturevalue(actor))
    response = client.post(
        reverse("compliance_check"), {"order": jordans_order.number, "body": "x"}
    )
    assert response.status_code == (302 if actor == "anonymous" else 404)


def test_a_redacted_message_is_delivered_and_the_sender_is_told(client, sam, jordan, jordans_order):
    client.force_login(sam)
    response = _contact_buyer(
        client,
        jordans_order,
        body="Please confirm the delivery address, or write to sam (at) northwind [dot] com.",
        follow=True,
    )
    page = response.content.decode()
    assert "Your message was delivered with changes" in page
    assert "contact.email" in page
    message = Message.objects.get()
    assert message.status == Message.Status.DELIVERED
    assert "[email address removed]" in message.body_html
    assert "northwind" not in message.body_html
    assert "sam (at) northwind [dot] com" in message.body_text  # kept as written
    client.force_login(jordan)
    buyer_page = client.get(reverse("buyer_conversation", args=[message.conversation_id]))
    assert "northwind [dot]" not in buyer_page.content.decode()
    assert "[email address removed]" in buyer_page.content.decode()


def test_a_refused_file_is_kept_unticked_with_the_reason_and_the_good_ones_ticked(
    client, sam, jordan, jordans_order
):
    """After a block for one file, Send goes through with the good files alone."""
    client.force_login(sam)
    disguised = SimpleUploadedFile(
        "photo.jpg", b"MZ\x90\x00 not a picture at all", content_type="image/jpeg"
    )
    response = _contact_buyer(
        client,
        jordans_order,
        attachments=[factories.pdf_upload("schedule.pdf"), disguised],
    )
    page = response.content.decode()
    assert response.status_code == 400
    good = Upload.objects.get(owner=sam, original_name="schedule.pdf")
    bad = Upload.objects.get(owner=sam, original_name="photo.jpg")
    assert f'name="keep_upload" value="{good.pk}" checked' in page
    refused_box = re.search(
        rf'<input type="checkbox" name="keep_upload" value="{bad.pk}"[^>]*>', page
    )
    assert refused_box is not None
    assert "checked" not in refused_box.group(0)
    refusal = re.search(
        rf'<p class="kept-upload__refusal" id="kept-upload-{bad.pk}-refusal">(.*?)</p>', page, re.S
    )
    assert refusal is not None
    assert "attach.content" in refusal.group(1) or "attach.type" in refusal.group(1)
    assert f'aria-describedby="kept-upload-{bad.pk}-refusal"' in refused_box.group(0)

    # The page sends back the ticked boxes only: the message goes, with the good file.
    response = _contact_buyer(client, jordans_order, keep_upload=[good.pk])
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "schedule.pdf"
    assert attachment.message.status == Message.Status.DELIVERED


def test_files_are_all_kept_ticked_when_the_block_is_not_about_them(client, sam, jordans_order):
    jordans_order.ordered_at = timezone.now() - timedelta(days=45)
    jordans_order.save()
    client.force_login(sam)
    page = _contact_buyer(
        client,
        jordans_order,
        message_type="shipment_delay",
        attachments=[factories.pdf_upload("a.pdf"), factories.pdf_upload("b.pdf")],
    ).content.decode()
    for upload in Upload.objects.filter(owner=sam):
        assert f'name="keep_upload" value="{upload.pk}" checked' in page
    assert "kept-upload__refusal" not in page
