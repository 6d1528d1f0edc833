"""Ids that come with a request (form fields, query strings, JSON) are read as whole
numbers in ASCII digits by one helper. "²" passes str.isdigit() but int() refuses it; "٣"
is 3 to int(). Neither is an id: the answer is a 400 (or the form's own error) that says
which id was wrong, never a 500 and never some other object."""

from __future__ import annotations

import pytest
from django.urls import reverse

from messagecenter.core.ids import ids_from_request, parse_id
from messagecenter.messaging.models import Message, Upload
from messagecenter.relay.models import ApprovedSender
from messagecenter.threads.models import ConversationAssignment, Side
from messagecenter.webhooks.models import WebhookEndpoint
from tests import factories

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def arabic_indic(number: int) -> str:
    """The id in Arabic-Indic digits: int() reads it as the same number."""
    return str(number).translate(ARABIC_INDIC)


NOT_IDS = ["²", "٣", "１", "-1", "0", "+1", "1.0", "1e3", "0x10", "12a", "", " ", "9" * 20]


@pytest.mark.parametrize("value", NOT_IDS)
def test_anything_but_ascii_digits_is_not_an_id(value):
    assert parse_id(value) is None


@pytest.mark.parametrize(
    ("value", "number"), [("1", 1), (" 42 ", 42), ("007", 7), (12, 12), (2**63 - 1, 2**63 - 1)]
)
def test_ascii_ids_are_read(value, number):
    assert parse_id(value) == number


def test_booleans_and_out_of_range_numbers_are_not_ids():
    assert parse_id(True) is None
    assert parse_id(2**63) is None
    assert parse_id(None) is None
    assert ids_from_request(["3", "1", "3"], what="upload") == [3, 1]


def _assert_bad_id(response, what: str, value: str) -> None:
    assert response.status_code == 400
    text = response.content.decode()
    assert f"“{value}” is not a valid {what} id" in text
    assert "digits 0 to 9" in text


# --- Pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "٣", "-4", "abc"])
def test_sending_addresses_page_business(client, sam, northwind, value):
    client.force_login(sam)

    response = client.post(
        reverse("approved_senders"), {"business": value, "action": "add", "email": "a@b.example"}
    )

    _assert_bad_id(response, "business", value)
    assert "We could not read that request" in response.content.decode()
    assert not ApprovedSender.objects.exists()


@pytest.mark.parametrize("value", ["²", "٣", "1.5"])
def test_sending_addresses_page_approved_sender(client, sam, northwind, value):
    kept = ApprovedSender.objects.create(
        business=northwind, email="support@northwind.example", added_by=sam
    )
    client.force_login(sam)

    response = client.post(
        reverse("approved_senders"),
        {"business": northwind.pk, "action": "remove", "approved_sender": value},
    )

    _assert_bad_id(response, "sending address", value)
    assert ApprovedSender.objects.filter(pk=kept.pk).exists()


def test_an_unknown_approved_sender_is_still_404(client, sam, northwind):
    client.force_login(sam)
    response = client.post(
        reverse("approved_senders"),
        {"business": northwind.pk, "action": "remove", "approved_sender": "999999"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["²", "٣"])
def test_webhooks_page_business(client, sam, northwind, value):
    client.force_login(sam)

    response = client.post(
        reverse("webhooks"),
        {"business": value, "url": "https://93.184.215.14/hook", "events": ["message.held"]},
    )

    _assert_bad_id(response, "business", value)
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("value", ["²", "٣", "9" * 30])
def test_live_check_conversation(client, sam, jordans_order, value):
    client.force_login(sam)

    response = client.post(reverse("compliance_check"), {"conversation": value, "body": "Hi"})

    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_request",
        "message": f"“{value[:40]}{'…' if len(value) > 40 else ''}” is not a valid "
        "conversation id. Ids are whole numbers written with the digits 0 to 9, such as 42.",
        "details": {},
    }


@pytest.mark.parametrize("value", ["²", "٣"])
def test_contact_buyer_keep_upload(client, sam, jordans_order, value):
    upload = factories.uploads_for(sam, factories.pdf_upload("schedule.pdf"))[0]
    client.force_login(sam)

    response = client.post(
        reverse("contact_buyer", args=[jordans_order.number]),
        {
            "message_type": "confirm_order_details",
            "subject": "Address check",
            "body": "Please confirm the delivery address: is it apartment 4B?",
            "keep_upload": [str(upload.pk), value],
        },
    )

    _assert_bad_id(response, "uploaded file", value)
    assert not Message.objects.exists()
    assert Upload.objects.filter(pk=upload.pk).exists()


@pytest.mark.parametrize("value", ["²", "٣"])
def test_buyer_reply_keep_upload(client, jordan, jordans_order, value):
    conversation = factories.buyer_message(jordans_order).conversation
    client.force_login(jordan)

    response = client.post(
        reverse("buyer_conversation", args=[conversation.pk]),
        {"body": "Any news?", "keep_upload": value},
    )

    _assert_bad_id(response, "uploaded file", value)
    assert conversation.messages.count() == 1


@pytest.mark.parametrize("arabic", [False, True])
def test_no_response_needed_message(client, sam, jordans_order, arabic):
    question = factories.buyer_message(jordans_order)
    value = arabic_indic(question.pk) if arabic else "²"
    client.force_login(sam)

    response = client.post(
        reverse("conversation_no_response_needed", args=[question.conversation_id]),
        {"message": value},
        follow=True,
    )

    assert response.status_code == 200
    assert "That buyer message is not in this conversation." in response.content.decode()
    question.refresh_from_db()
    assert question.no_response_needed_at is None


@pytest.mark.parametrize("value", ["²", "٣"])
def test_assign_assignee(client, sam, avery, jordans_order, value):
    conversation = factories.buyer_message(jordans_order).conversation
    client.force_login(sam)

    response = client.post(
        reverse("conversation_assign", args=[conversation.pk]), {"assignee": value}, follow=True
    )

    assert response.status_code == 200
    assert "Choose an active member of your team, or Nobody." in response.content.decode()
    assert not ConversationAssignment.objects.exists()


@pytest.mark.parametrize("arabic", [False, True])
def test_review_queue_seller_filter(client, morgan, northwind, arabic):
    """Northwind's id in Arabic-Indic digits must not quietly filter by Northwind."""
    client.force_login(morgan)
    value = arabic_indic(northwind.pk) if arabic else "²"

    response = client.get(reverse("review_queue"), {"seller": value})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_huge_ids_in_the_path_are_not_found(client, jordan):
    client.force_login(jordan)
    response = client.get(f"/messages/{'9' * 30}/")
    assert response.status_code == 404


# --- API ---------------------------------------------------------------------------------


@pytest.fixture
def sams_api(api_as, sam):
    return api_as(sam)


@pytest.fixture
def api_as(db):
    from rest_framework.test import APIClient

    from messagecenter.api.tokens import api_token_create

    def make(user):
        client = APIClient()
        key = api_token_create(user=user, name="Helpdesk").key
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make


@pytest.mark.parametrize("value", ["²", "٣", True, -1, 0, 2**63])
def test_api_attachments(sams_api, jordans_order, value):
    response = sams_api.post(
        f"/api/v1/orders/{jordans_order.number}/messages/confirm_order_details",
        {"text": "Please confirm the delivery address.", "attachments": [value]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Message.objects.exists()


@pytest.mark.parametrize("arabic", [False, True])
def test_api_no_response_needed_message_id(sams_api, jordans_order, arabic):
    question = factories.buyer_message(jordans_order)
    value = arabic_indic(question.pk) if arabic else "²"

    response = sams_api.post(
        f"/api/v1/conversations/{question.conversation_id}/no-response-needed",
        {"message_id": value},
        format="json",
    )

    assert response.status_code == 400
    assert "digits 0 to 9" in str(response.json()["details"])
    question.refresh_from_db()
    assert question.no_response_needed_at is None


@pytest.mark.parametrize("arabic", [False, True])
def test_api_assign_assignee_id(sams_api, avery, jordans_order, arabic):
    question = factories.buyer_message(jordans_order)
    value = arabic_indic(avery.pk) if arabic else "²"
    response = sams_api.post(
        f"/api/v1/conversations/{question.conversation_id}/assign",
        {"assignee_id": value},
        format="json",
    )

    assert response.status_code == 400
    assert "digits 0 to 9" in str(response.json()["details"])
    assert not ConversationAssignment.objects.exists()
    assert question.conversation.messages.filter(sender_side=Side.BUYER).count() == 1
