"""Administrators decide about held messages; every decision is kept; repeated offences
restrict a seller's proactive messaging until it ends or staff lift it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance.models import PolicySettings, RuleSetting
from messagecenter.messaging.models import Message
from messagecenter.moderation.models import ReviewDecision, SellerRestriction
from tests import factories

LONG_KEY_MESSAGE = "Your licence key is ABCD-1234. " + "Setup notes follow. " * 30


@pytest.fixture
def held(db, sam, jordans_order):
    """A message held because the operator made text length a 'flag' rule."""
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.create(policy=policy, rule="type.text_length", action="flag")
    message = factories.seller_message(
        jordans_order,
        sam,
        LONG_KEY_MESSAGE,
        message_type="digital_access_key",
        subject="Your licence",
    )
    assert message.status == Message.Status.HELD
    return message


def test_queue_lists_held_messages_oldest_first_for_staff_only(client, held, morgan, sam):
    client.force_login(morgan)
    page = client.get(reverse("review_queue")).content.decode()
    assert "Your licence" in page
    assert "type.text_length" in page
    client.force_login(sam)
    assert client.get(reverse("review_queue")).status_code == 404
    assert client.get(reverse("review_message", args=[held.pk])).status_code == 404


def test_queue_filters_by_rule_and_seller(client, held, morgan, cascade):
    client.force_login(morgan)
    by_rule = client.get(reverse("review_queue"), {"rule": "contact.email"}).content.decode()
    assert "Nothing is waiting for review" in by_rule
    by_seller = client.get(reverse("review_queue"), {"seller": cascade.pk}).content.decode()
    assert "Nothing is waiting for review" in by_seller
    right = client.get(reverse("review_queue"), {"rule": "type.text_length"}).content.decode()
    assert "Your licence" in right


def test_review_page_shows_the_message_violations_and_history(client, held, morgan):
    client.force_login(morgan)
    page = client.get(reverse("review_message", args=[held.pk])).content.decode()
    assert "As the recipient would see it" in page
    assert "type.text_length" in page
    assert "Earlier violations by this sender" in page
    for action in ("Approve as sent", "Save edits and approve", "Reject"):
        assert f">{action}</button>" in page
    # The subject and the body are there to edit, as the recipient would get them.
    assert 'name="subject" value="Your licence"' in page
    assert "Your licence key is ABCD-1234." in page.split('name="body"')[1]


def test_approve_delivers_and_notifies_and_is_recorded(
    client, held, morgan, jordan, django_capture_on_commit_callbacks
):
    client.force_login(morgan)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review_message", args=[held.pk]), {"decision": "approve"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Message.Status.DELIVERED
    # The buyer gets the message; the seller who wrote it learns it was delivered.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([jordan.email, "sam@northwind.example"])
    notice = next(m for m in mail.outbox if m.to == ["sam@northwind.example"])
    assert notice.subject.startswith("Delivered after review")
    decision = ReviewDecision.objects.get()
    assert (decision.decision, decision.decided_by) == ("approve", morgan)
    client.force_login(jordan)
    inbox = client.get(reverse("buyer_inbox")).content.decode()
    assert "Northwind Home Goods" in inbox


def test_edit_subject_and_approve_records_before_and_after(client, held, morgan):
    client.force_login(morgan)
    client.post(
        reverse("review_message", args=[held.pk]),
        {"decision": "edit", "subject": "Licence key for your order", "body": held.body_html},
    )
    held.refresh_from_db()
    assert held.subject == "Licence key for your order"
    assert held.status == Message.Status.DELIVERED
    decision = ReviewDecision.objects.get()
    assert (decision.subject_before, decision.subject_after) == (
        "Your licence",
        "Licence key for your order",
    )


def test_reject_needs_a_reason_and_the_sender_sees_it(client, held, morgan, sam, jordan):
    client.force_login(morgan)
    missing = client.post(reverse("review_message", args=[held.pk]), {"decision": "reject"})
    assert missing.status_code == 400
    assert "Not rejected: write the reason first." in missing.content.decode()
    client.post(
        reverse("review_message", args=[held.pk]),
        {"decision": "reject", "reason": "Keep access-key messages short."},
    )
    held.refresh_from_db()
    assert held.status == Message.Status.REJECTED
    client.force_login(sam)
    seller_page = client.get(reverse("seller_conversation", args=[held.conversation_id]))
    assert "Keep access-key messages short." in seller_page.content.decode()
    client.force_login(jordan)
    buyer_page = client.get(reverse("buyer_conversation", args=[held.conversation_id]))
    assert "licence key" not in buyer_page.content.decode().lower()


def test_a_decided_message_cannot_be_decided_again(client, held, morgan):
    client.force_login(morgan)
    client.post(reverse("review_message", args=[held.pk]), {"decision": "approve"})
    again = client.post(
        reverse("review_message", args=[held.pk]), {"decision": "reject", "reason": "too late"}
    )
    assert again.status_code in (200, 400)
    held.refresh_from_db()
    assert held.status == Message.Status.DELIVERED
    assert ReviewDecision.objects.count() == 1


def _blocked_proactive(order, sender):
    return factories.seller_message(
        order,
        sender,
        "Your parcel leaves on Monday instead of Friday.",
        message_type="promotion",
    )


def test_three_rejections_restrict_proactive_messaging(client, sam, jordan, northwind, morgan):
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.create(policy=policy, rule="type.text_length", action="flag")
    for _ in range(3):
        order = factories.order(buyer=jordan, seller=northwind)
        message = factories.seller_message(
            order, sam, LONG_KEY_MESSAGE, message_type="digital_access_key"
        )
        client.force_login(morgan)
        client.post(
            reverse("review_message", args=[message.pk]),
            {"decision": "reject", "reason": "Too long."},
        )
    restriction = SellerRestriction.objects.get(business=northwind)
    assert restriction.ends_at - restriction.starts_at == timedelta(days=30)

    # The seller sees why and until when, proactive types are closed, answers are not.
    order = factories.order(buyer=jordan, seller=northwind)
    client.force_login(sam)
    page = client.get(reverse("contact_buyer", args=[order.number])).content.decode()
    assert "proactive messaging is restricted until" in page
    assert 'value="shipment_delay" disabled' in page
    assert '<option value="unexpected_problem">' in page
    blocked = factories.seller_message(
        order, sam, "Your parcel leaves on Monday instead.", message_type="shipment_delay"
    )
    assert blocked.status == Message.Status.BLOCKED
    assert blocked.violations.filter(rule="seller.restricted").exists()
    conversation = factories.buyer_message(order, "Is my parcel on its way?").conversation
    answer = factories.reply(conversation, sam, "seller", "Yes, it left this morning.")
    assert answer.status == Message.Status.DELIVERED


def test_staff_lift_a_restriction(client, northwind, morgan, sam, jordan):
    restriction = SellerRestriction.objects.create(
        business=northwind,
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(days=30),
        reason="3 blocked messages",
    )
    client.force_login(sam)
    assert client.post(reverse("restriction_lift", args=[restriction.pk])).status_code == 404
    client.force_login(morgan)
    page = client.get(reverse("restrictions")).content.decode()
    assert "Northwind Home Goods" in page
    response = client.post(
        reverse("restriction_lift", args=[restriction.pk]), {"reason": "Appeal upheld"}
    )
    assert response.status_code == 302
    restriction.refresh_from_db()
    assert restriction.lifted_by == morgan
    assert restriction.lift_reason == "Appeal upheld"
    order = factories.order(buyer=jordan, seller=northwind)
    sent = factories.seller_message(
        order, sam, "Your parcel leaves on Monday instead.", message_type="shipment_delay"
    )
    assert sent.status == Message.Status.DELIVERED


def test_blocked_conduct_messages_count_toward_a_restriction(sam, jordan, northwind):
    for _ in range(3):
        order = factories.order(buyer=jordan, seller=northwind)
        assert _blocked_proactive(order, sam).status == Message.Status.BLOCKED
    # Promotions are a type the policy does not allow: a mistake of form, not counted.
    assert not SellerRestriction.objects.exists()


def test_a_queue_line_is_rendered_once_and_shows_a_change_at_once(client, held, morgan):
    caches[settings.FRAGMENT_CACHE].clear()
    client.force_login(morgan)
    url = reverse("review_queue")

    def lines_rendered(response) -> int:
        return sum(1 for t in response.templates if t.name == "moderation/includes/held_row.html")

    first = client.get(url)
    again = client.get(url)
    Message.objects.filter(pk=held.pk).update(subject="Your licence, corrected")
    changed = client.get(url)

    assert (lines_rendered(first), lines_rendered(again), lines_rendered(changed)) == (1, 0, 1)
    assert "Your licence" in again.content.decode()
    assert "Your licence, corrected" in changed.content.decode()


def test_review_page_shows_a_held_message_files_with_one_query_more(
    client, db, sam, jordans_order, morgan
):
    """Files are read only for a message whose query says it has some."""
    policy, _ = PolicySettings.objects.get_or_create(pk=1)
    RuleSetting.objects.create(policy=policy, rule="type.text_length", action="flag")
    plain, with_file = (
        factories.seller_message(
            jordans_order,
            sam,
            LONG_KEY_MESSAGE,
            message_type="digital_access_key",
            subject="Your licence",
            **extra,
        )
        for extra in ({}, {"attachments": [factories.pdf_upload("Licence terms.pdf")]})
    )
    assert plain.status == with_file.status == Message.Status.HELD
    client.force_login(morgan)

    def visit(message: Message) -> tuple[str, int]:
        url = reverse("review_message", args=[message.pk])
        client.get(url)  # first visit's writes
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        return page, len(captured.captured_queries)

    (plain_page, plain_queries), (file_page, file_queries) = visit(plain), visit(with_file)
    assert "Licence terms.pdf" in file_page
    assert 'class="attachments"' not in plain_page
    assert file_queries == plain_queries + 1
