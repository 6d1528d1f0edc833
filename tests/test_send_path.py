"""The send path: check, then do, one reply rule, and one engine run per message whichever
way it comes in.

Jordan bought from Northwind, where Sam answers.
"""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance import engine
from messagecenter.messaging import sending
from messagecenter.messaging.delivery import Delivery
from messagecenter.messaging.drafts import Draft
from messagecenter.messaging.models import Message
from messagecenter.messaging.replies import reply_draft
from messagecenter.messaging.sending import check_message_send, message_send
from messagecenter.relay.inbound import receive_email
from messagecenter.threads.models import Conversation, Side
from tests import factories
from tests.relay.emails import email_from, seller_address

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def conversation(jordans_order, sam) -> Conversation:
    return factories.buyer_message(jordans_order, "Is apartment 4B on the label?").conversation


def _draft(sam, body: str = "Yes, apartment 4B is on the label.", **changes) -> Draft:
    return dataclasses.replace(
        Draft(sender=sam, side=Side.SELLER, message_type="reply", subject="Re: x", body=body),
        **changes,
    )


def test_checking_writes_nothing(conversation, sam):
    with CaptureQueriesContext(connection) as queries:
        request = check_message_send(conversation, _draft(sam, "Call me on 415 555 0199."))
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert request.delivery == Delivery.DELIVER
    assert [v.rule for v in request.verdict.violations] == ["contact.phone"]


def test_the_request_is_frozen_and_sending_stores_exactly_it(conversation, sam):
    request = check_message_send(
        conversation, _draft(sam, "Call me on 415 555 0199.", subject="  Re:   your   label ")
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.delivery = Delivery.BLOCK  # type: ignore[misc]

    stored = message_send(request).message

    assert stored.status == Message.Status.DELIVERED
    assert stored.subject_as_written == request.subject == "Re: your label"
    assert stored.body_text == request.body
    assert stored.body_html == request.verdict.body_html
    assert "[phone number removed]" in stored.body_html
    assert list(stored.violations.values_list("rule", flat=True)) == ["contact.phone"]


def test_a_blocked_request_is_stored_as_blocked_and_keeps_the_files_as_uploads(conversation, sam):
    uploads = factories.uploads_for(sam, factories.pdf_upload("label.pdf"))
    request = check_message_send(
        conversation, _draft(sam, "See https://cheap-deals.example", uploads=uploads)
    )
    assert request.blocked

    result = message_send(request)

    assert result.blocked and result.message.status == Message.Status.BLOCKED
    assert not result.message.attachments.exists()
    assert [u.pk for u in uploads] == list(
        sam.uploads.values_list("pk", flat=True)
    )  # still the sender's, to send again once fixed


def test_the_reply_rule_gives_type_and_subject_for_each_side(conversation, sam, jordan):
    seller = reply_draft(conversation, sender=sam, side=Side.SELLER, body="On its way.")
    buyer = reply_draft(conversation, sender=jordan, side=Side.BUYER, body="Thanks!")
    assert (seller.message_type, seller.subject) == ("reply", f"Re: {conversation.subject}")
    assert (buyer.message_type, buyer.subject) == ("buyer_inquiry", f"Re: {conversation.subject}")
    # A question about a product, before any order:
    product = factories.product(conversation.seller, "Lamp")
    asked = Conversation(buyer=jordan, seller=conversation.seller, product=product, subject="Q")
    assert reply_draft(asked, sender=jordan, side=Side.BUYER, body="?").message_type == (
        "product_question"
    )


@pytest.mark.parametrize("automatic", [False, True], ids=["person", "out-of-office"])
def test_an_email_is_judged_by_the_engine_once(
    monkeypatch, django_capture_on_commit_callbacks, conversation, sam, jordan, automatic
):
    """An automatic reply used to be judged, then stored and judged again."""
    calls = []
    real = engine.check_message

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(sending, "check_message", counted)
    to_seller = seller_address(jordan, conversation.seller)
    headers = {"Auto-Submitted": "auto-replied"} if automatic else {}
    with django_capture_on_commit_callbacks(execute=True):
        [result] = receive_email(
            email_from("jordan@example.com", to_seller, text="Still waiting.", headers=headers),
            recipients=[to_seller],
        )
    assert result.message is not None and result.message.is_automatic is automatic
    assert len(calls) == 1
