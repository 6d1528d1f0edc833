"""Order messaging through the API: what may be sent, and what the policy says on send."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import PolicySettings, RuleSetting
from messagecenter.accounts.models import User
from messagecenter.messaging.models import Message, Upload
from messagecenter.threads.models import Side
from tests import factories

ADDRESS_QUESTION = "Please confirm the delivery address for your order: is it apartment 4B?"


def _send(client, order, message_type: str, **body):
    return client.post(
        f"/api/v1/orders/{order.number}/messages/{message_type}", body, format="json"
    )


def _upload(client, upload=None) -> int:
    response = client.post(
        "/api/v1/uploads", {"file": upload or factories.pdf_upload()}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


@pytest.fixture
def sams_api(api_as, sam):
    return api_as(sam)


def test_messaging_actions_say_which_types_are_open_and_why_not(sams_api, jordans_order):
    response = sams_api.get(f"/api/v1/orders/{jordans_order.number}/messaging-actions")

    actions = {a["message_type"]: a for a in response.json()["actions"]}
    assert actions["confirm_delivery_details"]["available"] is True
    assert actions["confirm_delivery_details"]["href"] == (
        f"/api/v1/orders/{jordans_order.number}/messages/confirm_delivery_details"
    )
    review = actions["review_request"]
    assert review["available"] is False
    assert "delivery" in review["reasons"][0]
    assert actions["promotion"]["available"] is False
    assert actions["warranty"]["min_attachments"] == 1
    assert "reply" not in actions  # nobody has asked anything yet


def test_reply_is_offered_once_the_buyer_has_written(sams_api, jordans_order):
    factories.buyer_message(jordans_order)

    response = sams_api.get(f"/api/v1/orders/{jordans_order.number}/messaging-actions")

    assert any(a["message_type"] == "reply" and a["available"] for a in response.json()["actions"])


def test_attributes_give_the_buyers_locale(sams_api, jordans_order, settings):
    settings.LANGUAGE_CODE = "de-de"

    response = sams_api.get(f"/api/v1/orders/{jordans_order.number}/attributes")

    assert response.json() == {
        "order_number": jordans_order.number,
        "buyer": {"locale": "de-DE"},
    }


def test_attributes_give_the_language_the_buyer_chose(sams_api, jordans_order):
    User.objects.filter(pk=jordans_order.buyer_id).update(language="fr")

    response = sams_api.get(f"/api/v1/orders/{jordans_order.number}/attributes")

    assert response.json()["buyer"] == {"locale": "fr"}


def test_a_delivered_message_is_201_with_what_the_policy_changed(sams_api, jordans_order):
    response = _send(
        sams_api,
        jordans_order,
        "confirm_order_details",
        text=ADDRESS_QUESTION + " Or write to jane.doe@mail.com.",
        subject="Your delivery address",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["outcome"] == "delivered"
    assert [(v["rule"], v["action"]) for v in body["violations"]] == [("contact.email", "redact")]
    assert "jane.doe@mail.com" not in body["message"]["html"]
    message = Message.objects.get(pk=body["message"]["id"])
    assert message.via == "api" and message.subject == "Your delivery address"


def test_html_is_sanitized_like_any_other_message(sams_api, jordans_order):
    response = _send(
        sams_api,
        jordans_order,
        "confirm_order_details",
        text=f"<p onclick='x()'>{ADDRESS_QUESTION}</p><script>alert(1)</script>",
    )

    assert response.status_code == 201
    assert response.json()["message"]["html"] == f"<p>{ADDRESS_QUESTION}</p>"


def flag_rule(rule: str) -> None:
    """The operator makes the rule hold messages for review instead of its default."""
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.update_or_create(policy=policy, rule=rule, defaults={"action": "flag"})


def test_a_flagged_message_is_202_and_held(sams_api, jordans_order):
    flag_rule("type.text_length")

    response = _send(
        sams_api,
        jordans_order,
        "digital_access_key",
        text="Your licence key is below. " + "Setup notes follow. " * 30,
    )

    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["outcome"] == "held"
    assert body["message"]["status"] == "held"
    assert [(v["rule"], v["action"]) for v in body["violations"]] == [("type.text_length", "flag")]


def test_a_blocked_message_is_422_with_rules_actions_and_excerpts(sams_api, jordans_order):
    upload_id = _upload(sams_api)

    response = _send(
        sams_api,
        jordans_order,
        "confirm_order_details",
        text=ADDRESS_QUESTION + " See https://evil.example/track for details.",
        attachments=[upload_id],
    )

    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "policy_blocked"
    assert "link.external" in error["message"]
    blocking = [v for v in error["details"]["violations"] if v["action"] == "block"]
    assert blocking[0]["rule"] == "link.external"
    assert "evil.example" in blocking[0]["excerpt"]
    assert blocking[0]["title"]
    # The marketplace keeps the record; the seller keeps the upload to try again.
    assert Message.objects.get().status == "blocked"
    assert Upload.objects.filter(pk=upload_id).exists()


def test_a_message_type_closed_for_the_order_is_refused_by_the_policy(sams_api, jordans_order):
    response = _send(sams_api, jordans_order, "review_request", text="How was your order?")

    assert response.status_code == 422
    assert "review.window" in {v["rule"] for v in response.json()["details"]["violations"]}


@pytest.mark.parametrize("message_type", ["buyer_inquiry", "no_such_type"])
def test_a_type_sellers_cannot_send_is_not_found(sams_api, jordans_order, message_type):
    response = _send(sams_api, jordans_order, message_type, text=ADDRESS_QUESTION)

    assert response.status_code == 404
    assert response.json()["message"] == "No such message type."
    assert not Message.objects.exists()


def test_an_invoice_carries_the_uploaded_file(sams_api, jordans_order):
    upload_id = _upload(sams_api, factories.pdf_upload("invoice-1001.pdf"))

    response = _send(
        sams_api,
        jordans_order,
        "send_invoice",
        text="Your invoice for the order is attached.",
        attachments=[upload_id],
    )

    assert response.status_code == 201, response.json()
    (attachment,) = response.json()["message"]["attachments"]
    assert attachment["name"] == "invoice-1001.pdf"
    assert not Upload.objects.filter(pk=upload_id).exists()  # it became the attachment
    download = sams_api.get(attachment["download_url"])
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_invoice_without_its_file_is_refused(sams_api, jordans_order):
    response = _send(sams_api, jordans_order, "send_invoice", text="Your invoice.")

    assert response.status_code == 422
    assert response.json()["details"]["violations"][0]["location"] == "attachments"


def test_someone_elses_upload_cannot_be_attached(api_as, sams_api, jordans_order, maria):
    marias_upload = _upload(api_as(maria))

    response = _send(
        sams_api, jordans_order, "send_invoice", text="Invoice.", attachments=[marias_upload]
    )

    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert f"No upload {marias_upload}" in error["details"]["fields"]["attachments"][0]
    assert not Message.objects.exists()


def test_a_warranty_needs_its_coverage_dates(sams_api, jordans_order):
    upload_id = _upload(sams_api, factories.pdf_upload("warranty.pdf"))

    missing = _send(
        sams_api, jordans_order, "warranty", text="Warranty attached.", attachments=[upload_id]
    )
    backwards = _send(
        sams_api,
        jordans_order,
        "warranty",
        text="Warranty attached.",
        attachments=[upload_id],
        coverage_start_date="2027-01-01",
        coverage_end_date="2026-01-01",
    )
    sent = _send(
        sams_api,
        jordans_order,
        "warranty",
        text="The warranty documents for your duvet cover are attached.",
        attachments=[upload_id],
        coverage_start_date="2026-01-01",
        coverage_end_date="2028-12-31",
    )

    assert missing.status_code == 400
    assert set(missing.json()["details"]["fields"]) == {"coverage_start_date", "coverage_end_date"}
    assert backwards.status_code == 400
    assert sent.status_code == 201, sent.json()
    assert "January 1, 2026 to December 31, 2028" in sent.json()["message"]["text"]


def test_coverage_dates_belong_to_warranties_only(sams_api, jordans_order):
    response = _send(
        sams_api,
        jordans_order,
        "confirm_order_details",
        text=ADDRESS_QUESTION,
        coverage_start_date="2026-01-01",
        coverage_end_date="2027-01-01",
    )

    assert response.status_code == 400


def test_an_empty_message_is_a_400_naming_the_field(sams_api, jordans_order):
    response = _send(sams_api, jordans_order, "confirm_order_details", text="   ")

    assert response.status_code == 400
    assert "body" in response.json()["details"]["fields"]
    assert not Message.objects.exists()


def test_a_proactive_message_to_a_buyer_who_opted_out_is_kept_undeliverable(
    sams_api, jordans_order, jordan
):
    jordan.opted_out_of_unsolicited = True
    jordan.save()

    response = _send(
        sams_api,
        jordans_order,
        "shipment_delay",
        text="Your order will ship two days later than planned; we are sorry for the wait.",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["outcome"] == "undeliverable"


def test_uploads_are_checked_like_any_attachment(sams_api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    disguised = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 200)

    response = sams_api.post("/api/v1/uploads", {"file": disguised}, format="multipart")

    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "policy_blocked"
    assert {v["rule"] for v in error["details"]["violations"]} & {"attach.type", "attach.content"}
    assert not Upload.objects.exists()


def test_an_upload_needs_a_file(sams_api):
    response = sams_api.post("/api/v1/uploads", {}, format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()["details"]["fields"]


def _queries(client, url: str) -> int:
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_messaging_actions_cost_the_same_for_a_busy_seller(sams_api, sam, jordan, northwind):
    """The availability of every type is worked out in a fixed number of queries, however
    many orders, conversations and messages the seller has."""
    order = factories.order(buyer=jordan, seller=northwind)
    conversation = factories.buyer_message(order, "Is it in stock?").conversation
    url = f"/api/v1/orders/{order.number}/messaging-actions"
    few = _queries(sams_api, url)
    for i in range(12):
        other = factories.order(buyer=jordan, seller=northwind)
        factories.buyer_message(other, f"Question {i}")
        factories.seller_message(other, sam, f"Answer {i}")
        factories.reply(conversation, sam, Side.SELLER, f"More about it {i}")

    many = _queries(sams_api, url)

    # the token (with its user), the order with the caller's membership joined in and its
    # lines (the door), the conversation, the seller's standing and counts (one query, where
    # it was four); the policy is kept by the process
    assert few == many == 5
