"""A new sending address is confirmed by a link mailed to it, and never another account's.

Sam owns Northwind Home Goods and adds the shop's help-desk address; whoever reads that
mailbox confirms it. Jordan is a buyer, Maria runs Cascade Outdoor Supply, a competitor
with its own confirmed support address. Nobody may add Jordan's address or Cascade's.
"""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from messagecenter.relay.inbound import Refusal, receive_email
from messagecenter.relay.models import ApprovedSender, InboundEmail
from messagecenter.relay.sender_confirmation import confirmation_url
from tests import factories
from tests.relay.emails import buyer_address, email_from

URL = reverse("approved_senders")
HELP = "help@northwind.example"
ANOTHER_ACCOUNT = "That address belongs to another account of the marketplace"


def _add(client, user, business, email):
    client.force_login(user)
    return client.post(URL, {"business": business.pk, "action": "add", "email": email})


def _path(entry) -> str:
    return confirmation_url(entry).removeprefix("http://testserver")


def _link_in(message) -> str:
    match = re.search(r"http://testserver(/sending-address/confirm/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def question(jordans_order):
    message = factories.buyer_message(jordans_order, "Do you deliver to apartment 4B?")
    mail.outbox.clear()
    return message


def _reply_from(address, jordan, northwind):
    to_jordan = buyer_address(jordan, northwind)
    [result] = receive_email(
        email_from(address, to_jordan, text="Yes, Thursday works."),
        envelope_from=address,
        recipients=[to_jordan],
    )
    return result


def test_a_new_address_is_pending_until_its_link_is_opened(
    client, sam, jordan, northwind, question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client, sam, northwind, "Help@Northwind.example")

    assert response.status_code == 302
    entry = ApprovedSender.objects.get(email=HELP)
    assert entry.confirmed_at is None
    [confirmation] = mail.outbox
    assert confirmation.to == [HELP]
    assert "Northwind Home Goods" in confirmation.body
    page = client.get(URL).content.decode()
    assert "We emailed a confirmation link to help@northwind.example." in page
    assert "Pending:" in page
    # Pending: the relay refuses it like any stranger.
    assert _reply_from(HELP, jordan, northwind).refused == Refusal.SENDER

    link = _link_in(confirmation)
    client.logout()  # a shared mailbox has no login: the link is the proof
    opened = client.get(link)
    assert opened.status_code == 200
    assert "Confirm help@northwind.example" in opened.content.decode()
    entry.refresh_from_db()
    assert entry.confirmed_at is None  # opening (or a mail scanner fetching) is not enough

    confirmed = client.post(link)

    assert confirmed.status_code == 200
    assert (
        "help@northwind.example can now answer buyers by email for Northwind Home Goods."
        in confirmed.content.decode()
    )
    entry.refresh_from_db()
    assert entry.confirmed_at is not None
    result = _reply_from(HELP, jordan, northwind)
    assert result.outcome == InboundEmail.Outcome.ACCEPTED
    assert result.message.sender == sam
    client.force_login(sam)
    assert "Confirmed " in client.get(URL).content.decode()


def test_an_expired_link_confirms_nothing(client, sam, northwind, monkeypatch, settings):
    settings.APPROVED_SENDER_CONFIRM_HOURS = 72
    entry = ApprovedSender.objects.create(business=northwind, email=HELP, added_by=sam)
    # Made 73 hours ago.
    old = int(time.time()) - 73 * 3600
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(old))
    link = _path(entry)
    monkeypatch.undo()

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        assert "This confirmation link has expired (links work for 72 hours)." in (
            response.content.decode()
        )
    entry.refresh_from_db()
    assert entry.confirmed_at is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda link: link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:],
        lambda link: "/sending-address/confirm/not-a-token/",
    ],
    ids=["altered", "made-up"],
)
def test_an_invalid_link_confirms_nothing(client, sam, northwind, tamper):
    entry = ApprovedSender.objects.create(business=northwind, email=HELP, added_by=sam)
    link = tamper(_path(entry))

    response = client.post(link)

    assert response.status_code == 400
    assert escape("This confirmation link is not valid.") in response.content.decode()
    entry.refresh_from_db()
    assert entry.confirmed_at is None


def test_a_link_to_a_removed_address_says_so(client, sam, northwind):
    entry = ApprovedSender.objects.create(business=northwind, email=HELP, added_by=sam)
    link = _path(entry)
    entry.delete()

    response = client.post(link)

    assert response.status_code == 400
    assert "no longer on the business" in response.content.decode()
    assert not ApprovedSender.objects.exists()


@pytest.mark.parametrize(
    "address",
    ["jordan@example.com", "JORDAN@example.com", "maria@cascade.example", "former@example.com"],
)
def test_another_accounts_address_is_refused_without_saying_whose(
    client, sam, jordan, maria, northwind, address
):
    factories.user("former@example.com", "Former Member", is_active=False)

    response = _add(client, sam, northwind, address)

    assert response.status_code == 400
    body = response.content.decode()
    assert escape(ANOTHER_ACCOUNT) in body
    assert "Jordan" not in body and "Maria" not in body and "Cascade" not in body
    assert not ApprovedSender.objects.exists()
    assert mail.outbox == []


def test_another_sellers_approved_address_is_refused(client, sam, maria, northwind, cascade):
    ApprovedSender.objects.create(
        business=cascade, email="support@cascade.example", confirmed_at=timezone.now()
    )

    response = _add(client, sam, northwind, "support@cascade.example")

    assert response.status_code == 400
    body = response.content.decode()
    assert escape(ANOTHER_ACCOUNT) in body
    assert "Cascade" not in body
    assert ApprovedSender.objects.filter(business=northwind).count() == 0


def test_whoever_confirms_first_keeps_an_address_both_asked_for(
    client, sam, maria, northwind, cascade
):
    # A pending entry proves nothing, so it does not stop another owner from asking.
    theirs = ApprovedSender.objects.create(business=cascade, email="desk@shared.example")
    assert _add(client, sam, northwind, "desk@shared.example").status_code == 302
    ours = ApprovedSender.objects.get(business=northwind)
    client.logout()
    assert client.post(_path(theirs)).status_code == 200

    late = client.post(_path(ours))

    assert late.status_code == 400
    assert escape(ANOTHER_ACCOUNT) in late.content.decode()
    ours.refresh_from_db()
    assert ours.confirmed_at is None


def test_an_address_that_became_an_account_can_no_longer_be_confirmed(client, sam, northwind):
    entry = ApprovedSender.objects.create(business=northwind, email=HELP, added_by=sam)
    factories.user(HELP, "Someone Who Registered")

    response = client.post(_path(entry))

    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.confirmed_at is None


def test_an_owner_sends_the_link_again(
    client, sam, avery, northwind, django_capture_on_commit_callbacks
):
    entry = ApprovedSender.objects.create(business=northwind, email=HELP, added_by=sam)
    client.force_login(avery)
    form = {"business": northwind.pk, "action": "resend", "approved_sender": entry.pk}
    assert client.post(URL, form).status_code == 403  # agents only read the list
    client.force_login(sam)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form)

    assert response.status_code == 302
    [again] = mail.outbox
    assert again.to == [HELP]
    assert _link_in(again)
    entry.refresh_from_db()
    assert entry.confirmation_sent_at is not None
