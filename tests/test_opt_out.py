"""A buyer who opted out gets only what they need: the opt-out matrix, the note in the
conversation, and the seller's bounce notice (which sellers can switch off)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from messagecenter.accounts.models import NotificationPreference
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Side
from tests import factories

CRITICAL = (
    "unexpected_problem",
    "The item you ordered is out of stock until Friday; please "
    "confirm whether you would like to wait or cancel.",
)
PROACTIVE = (
    "shipment_delay",
    "Your order will ship on Monday instead of Friday because of a delay at our warehouse.",
)
DELIVERED, UNDELIVERABLE = Message.Status.DELIVERED, Message.Status.UNDELIVERABLE


@pytest.mark.parametrize(
    ("group", "opted_out", "important", "buyer_started", "expected", "bounce"),
    [
        # Opted in: everything the policy allows is delivered.
        ("critical", False, False, False, DELIVERED, False),
        ("proactive", False, False, False, DELIVERED, False),
        ("proactive", False, True, False, DELIVERED, False),
        ("proactive", False, False, True, DELIVERED, False),
        # Opted out: critical types, [Important] subjects and answers still go through.
        ("critical", True, False, False, DELIVERED, False),
        ("critical", True, True, False, DELIVERED, False),
        ("proactive", True, False, False, UNDELIVERABLE, True),
        ("proactive", True, True, False, DELIVERED, False),
        ("proactive", True, False, True, DELIVERED, False),
        ("critical", True, False, True, DELIVERED, False),
    ],
)
def test_opt_out_matrix(
    django_capture_on_commit_callbacks,
    jordan,
    sam,
    jordans_order,
    group,
    opted_out,
    important,
    buyer_started,
    expected,
    bounce,
):
    jordan.opted_out_of_unsolicited = opted_out
    jordan.save()
    if buyer_started:
        factories.buyer_message(jordans_order, "Could you tell me when my parcel ships?")
        mail.outbox.clear()
    message_type, body = CRITICAL if group == "critical" else PROACTIVE
    if buyer_started:
        message_type = "reply"
    subject = ("[important] " if important else "") + "About your order"
    with django_capture_on_commit_callbacks(execute=True):
        message = factories.seller_message(
            jordans_order, sam, body, message_type=message_type, subject=subject
        )
    assert message.status == expected
    to_buyer = [m for m in mail.outbox if m.to == [jordan.email]]
    to_seller = [m for m in mail.outbox if m.to == [sam.email]]
    assert bool(to_buyer) == (expected == DELIVERED)
    assert bool(to_seller) == bounce
    if bounce:
        assert to_seller[0].subject.startswith("Not delivered:")
        assert "chosen not to receive messages of this type" in to_seller[0].body
        assert jordan.email not in to_seller[0].message().as_string()


@pytest.mark.parametrize(
    ("subject", "delivered"),
    [
        ("[Wichtig] Ihre Lieferung verschiebt sich", True),
        ("[Importante] Il suo ordine arriva lunedì", True),
        ("【Important】 Votre commande", True),
        ("[ I m p o r t a n t e ] Su pedido", True),
        ("Important: your order", False),  # no brackets: not the mark
        ("[Importantly] your order", False),
    ],
)
def test_the_mark_counts_in_every_marketplace_language(
    django_capture_on_commit_callbacks, jordan, sam, jordans_order, subject, delivered
):
    jordan.opted_out_of_unsolicited = True
    jordan.save()
    with django_capture_on_commit_callbacks(execute=True):
        message = factories.seller_message(
            jordans_order, sam, PROACTIVE[1], message_type=PROACTIVE[0], subject=subject
        )
    assert message.status == (DELIVERED if delivered else UNDELIVERABLE)
    assert bool([m for m in mail.outbox if m.to == [jordan.email]]) == delivered


def test_the_seller_sees_the_note_and_the_buyer_sees_nothing(client, jordan, sam, jordans_order):
    jordan.opted_out_of_unsolicited = True
    jordan.save()
    client.force_login(sam)
    response = client.post(
        reverse("contact_buyer", args=[jordans_order.number]),
        {"message_type": PROACTIVE[0], "subject": "Shipping update", "body": PROACTIVE[1]},
        follow=True,
    )
    page = response.content.decode()
    assert "The buyer has chosen not to receive messages of this type" in page
    message = Message.objects.get()
    client.force_login(jordan)
    assert "No conversations here" in client.get(reverse("buyer_inbox")).content.decode()
    buyer_page = client.get(reverse("buyer_conversation", args=[message.conversation_id]))
    assert "warehouse" not in buyer_page.content.decode()


def test_bounce_emails_can_be_switched_off(
    django_capture_on_commit_callbacks, jordan, sam, jordans_order
):
    jordan.opted_out_of_unsolicited = True
    jordan.save()
    NotificationPreference.objects.create(user=sam, kind="bounce", frequency="never")
    with django_capture_on_commit_callbacks(execute=True):
        message = factories.seller_message(
            jordans_order, sam, PROACTIVE[1], message_type=PROACTIVE[0]
        )
    assert message.status == UNDELIVERABLE
    assert mail.outbox == []


def test_an_old_buyer_message_does_not_make_a_seller_message_a_reply(jordan, sam, jordans_order):
    """A seller-started conversation where the buyer last wrote long ago: not an answer."""
    factories.seller_message(jordans_order, sam)
    conversation = jordans_order.conversations.get()
    factories.reply(conversation, jordan, Side.BUYER, "Thanks, the address is right.")
    conversation.refresh_from_db()
    conversation.last_buyer_message_at = timezone.now() - timedelta(days=31)
    conversation.save()
    jordan.opted_out_of_unsolicited = True
    jordan.save()
    message = factories.seller_message(jordans_order, sam, PROACTIVE[1], message_type=PROACTIVE[0])
    assert message.status == UNDELIVERABLE


def test_buyer_opts_out_on_the_settings_page(client, jordan):
    client.force_login(jordan)
    page = client.get(reverse("notification_settings")).content.decode()
    assert "Only messages I need" in page
    response = client.post(
        reverse("notification_settings"),
        {
            "language": "en",
            "time_zone": "UTC",
            "opted_out_of_unsolicited": "on",
            "email_new_message": "daily",
            "email_review_decision": "never",
        },
    )
    assert response.status_code == 302
    jordan.refresh_from_db()
    assert jordan.opted_out_of_unsolicited
    stored = dict(jordan.notification_preferences.values_list("kind", "frequency"))
    assert stored == {"new_message": "daily", "review_decision": "never"}


def test_sellers_choose_every_kind_and_bad_values_are_refused(client, sam):
    client.force_login(sam)
    page = client.get(reverse("notification_settings")).content.decode()
    for label in ("A new message arrives", "could not be delivered", "due for an answer"):
        assert label in page
    assert "Only messages I need" not in page  # sam has no orders as a buyer
    response = client.post(reverse("notification_settings"), {"email_new_message": "hourly"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not sam.notification_preferences.exists()


def test_a_new_message_email_is_not_sent_to_someone_who_chose_never(
    django_capture_on_commit_callbacks, jordan, sam, avery, jordans_order
):
    NotificationPreference.objects.create(user=avery, kind="new_message", frequency="never")
    with django_capture_on_commit_callbacks(execute=True):
        factories.buyer_message(jordans_order, "Where is my parcel?")
    assert [m.to for m in mail.outbox] == [[sam.email]]


def test_daily_digest_collects_messages_once_a_day(jordan, sam, jordans_order):
    from messagecenter.notifications.digests import send_due_digests

    NotificationPreference.objects.create(user=jordan, kind="new_message", frequency="daily")
    factories.seller_message(jordans_order, sam)
    assert mail.outbox == []  # on_commit callbacks do not run inside this test
    now = timezone.now()
    assert send_due_digests(now + timedelta(minutes=1)) == 1
    [digest] = mail.outbox
    assert digest.to == [jordan.email]
    assert "Northwind Home Goods" in digest.body
    assert jordans_order.number in digest.body
    assert sam.email not in digest.body
    # A second sweep the same day (or two at once) sends nothing more.
    assert send_due_digests(now + timedelta(hours=2)) == 0
    assert len(mail.outbox) == 1
