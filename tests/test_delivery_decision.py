"""One delivery decision at every moment of delivery: a held message marked "[Important]"
that a reviewer approves, as it is or with the mark edited out, reaches a buyer who opted
out only when the mark is deserved by what the message says."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from compliance.models import PolicySettings, RuleSetting
from messagecenter.api.tokens import api_token_create
from messagecenter.messaging.models import Message
from messagecenter.moderation.models import ReviewDecision
from tests import factories

REVIEW_ASK = (
    "How did the duvet cover work out for you? If you have a moment, you can leave a "
    "review of the product on its page."
)
DELAY = "Your order will ship on Monday instead of Friday because of a delay at our warehouse."


@pytest.fixture
def delivered_order(jordan, northwind):
    """Delivered a week ago: a review request is in its window."""
    return factories.order(buyer=jordan, seller=northwind, status="delivered", days_ago=10)


@pytest.fixture
def opted_out(jordan):
    jordan.opted_out_of_unsolicited = True
    jordan.save()
    return jordan


def _held_review_request(order, sender, subject="[Important] Your duvet cover"):
    message = factories.seller_message(
        order, sender, REVIEW_ASK, message_type="review_request", subject=subject
    )
    assert message.status == Message.Status.HELD
    assert list(message.violations.values_list("rule", "location")) == [
        ("type.important_misuse", "subject")
    ]
    return message


def _decide(client, reviewer, message, captured, **data):
    client.force_login(reviewer)
    with captured(execute=True):
        response = client.post(reverse("review_message", args=[message.pk]), data, follow=True)
    message.refresh_from_db()
    return response.content.decode()


def _mail_to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.mark.parametrize(
    "decision",
    [
        {"decision": "approve"},
        {"decision": "edit", "subject": "Your duvet cover", "body": REVIEW_ASK},
        {"decision": "edit", "subject": "[IMPORTANT] How is your duvet cover?", "body": REVIEW_ASK},
    ],
    ids=["approved-as-is", "mark-edited-out", "mark-kept-in-the-edit"],
)
def test_approving_a_misused_mark_does_not_reach_a_buyer_who_opted_out(
    client,
    django_capture_on_commit_callbacks,
    opted_out,
    sam,
    morgan,
    delivered_order,
    decision,
):
    held = _held_review_request(delivered_order, sam)
    page = _decide(client, morgan, held, django_capture_on_commit_callbacks, **decision)

    assert held.status == Message.Status.UNDELIVERABLE
    assert held.delivered_at is None
    assert ReviewDecision.objects.filter(message=held).count() == 1
    # The reviewer is told, in a warning, what became of the message.
    assert 'class="flash flash--warning"' in page
    assert "but not delivered: the buyer has opted out of messages of this type" in page
    assert "the message has been delivered" not in page
    # The buyer gets nothing; the seller gets the bounce notice and the decision.
    assert _mail_to(opted_out.email) == []
    subjects = sorted(m.subject.split(":")[0] for m in _mail_to(sam.email))
    assert subjects == ["Not delivered", "Not delivered after review"]
    decision_mail = next(m for m in _mail_to(sam.email) if "after review" in m.subject)
    assert "approved by the marketplace, but it was not delivered" in decision_mail.body
    assert "Reason:" not in decision_mail.body
    client.force_login(opted_out)
    buyer_page = client.get(reverse("buyer_conversation", args=[held.conversation_id]))
    assert buyer_page.status_code == 404 or "leave a review" not in buyer_page.content.decode()
    client.force_login(sam)
    seller_page = client.get(reverse("seller_conversation", args=[held.conversation_id]))
    assert "The buyer has chosen not to receive messages of this type" in (
        seller_page.content.decode()
    )


def test_an_approved_review_request_reaches_a_buyer_who_did_not_opt_out(
    client, django_capture_on_commit_callbacks, jordan, sam, morgan, delivered_order
):
    held = _held_review_request(delivered_order, sam)
    page = _decide(
        client,
        morgan,
        held,
        django_capture_on_commit_callbacks,
        decision="edit",
        subject="Your duvet cover",
        body=REVIEW_ASK,
    )
    assert held.status == Message.Status.DELIVERED
    assert "Edited and approved: the message has been delivered." in page
    assert [m.subject for m in _mail_to(jordan.email)] == [
        f"Your duvet cover (Order {delivered_order.number})"
    ]


def test_a_deserved_mark_still_reaches_a_buyer_who_opted_out_after_review(
    client, django_capture_on_commit_callbacks, opted_out, sam, morgan, jordans_order
):
    """Held for another rule, the mark on a real shipping delay keeps its exemption."""
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.create(policy=policy, rule="content.inappropriate", action="flag")
    RuleSetting.objects.create(policy=policy, rule="type.text_length", action="flag")
    held = factories.seller_message(
        jordans_order,
        sam,
        DELAY + " We are sorry for the wait." * 80,
        message_type="shipment_delay",
        subject="[Important] Your parcel ships on Monday",
    )
    assert held.status == Message.Status.HELD
    assert not held.violations.filter(rule="type.important_misuse").exists()
    _decide(client, morgan, held, django_capture_on_commit_callbacks, decision="approve")
    assert held.status == Message.Status.DELIVERED
    assert len(_mail_to(opted_out.email)) == 1


def test_the_api_send_and_its_approval_ask_the_same_decision(
    client, django_capture_on_commit_callbacks, opted_out, sam, morgan, delivered_order
):
    secret = api_token_create(user=sam, name="Order tool").key
    response = client.post(
        f"/api/v1/orders/{delivered_order.number}/messages/review_request",
        {"subject": "[Important] Your duvet cover", "text": REVIEW_ASK},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 202, response.content
    held = Message.objects.get()
    assert held.via == Message.Via.API
    _decide(client, morgan, held, django_capture_on_commit_callbacks, decision="approve")
    assert held.status == Message.Status.UNDELIVERABLE
    assert _mail_to(opted_out.email) == []
