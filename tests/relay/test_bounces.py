"""Bounces of relayed email: read (RFC 3464), matched to the message, kept, shown to the
sender, and never relayed to anyone.

Sam (Northwind) writes to Jordan; the copy the relay emails to Jordan's mailbox bounces,
and Jordan's mail server sends its delivery-status report back to the address the email
left from, Northwind's masked address. Reports come in the shapes Postfix, Exim and Gmail
write them: permanent failures, delays, and one for mail we never sent.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from messagecenter.messaging.models import Message
from messagecenter.relay.inbound import receive_email
from messagecenter.relay.models import EmailBounce, InboundEmail
from tests import factories
from tests.relay.emails import raw, seller_address

Outcome = InboundEmail.Outcome


def postfix_failure(to: str, original_message_id: str, *, sender="MAILER-DAEMON@mx.example.com"):
    """Postfix: the headers of the returned email only (text/rfc822-headers)."""
    return raw(
        "Return-Path: <>",
        f"From: Mail Delivery System <{sender}>",
        f"To: {to}",
        "Subject: Undelivered Mail Returned to Sender",
        "Auto-Submitted: auto-replied",
        "Message-ID: <20261207031500.4F2A1C0123@mx.example.com>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="4F2A1C0123"',
        "",
        "--4F2A1C0123",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "This is the mail system at host mx.example.com.",
        "",
        "I'm sorry to have to inform you that your message could not",
        "be delivered to one or more recipients.",
        "",
        "<jordan@example.com>: host mx.example.com said: 550 5.1.1 <jordan@example.com>:",
        "    Recipient address rejected: User unknown in virtual mailbox table",
        "",
        "--4F2A1C0123",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.com",
        "X-Postfix-Queue-ID: 4F2A1C0123",
        "Arrival-Date: Mon,  7 Dec 2026 03:14:58 +0000 (UTC)",
        "",
        "Final-Recipient: rfc822; jordan@example.com",
        "Original-Recipient: rfc822;jordan@example.com",
        "Action: failed",
        "Status: 5.1.1",
        "Remote-MTA: dns; mx.example.com",
        "Diagnostic-Code: smtp; 550 5.1.1 <jordan@example.com>: Recipient address",
        "    rejected: User unknown in virtual mailbox table",
        "",
        "--4F2A1C0123",
        "Content-Type: text/rfc822-headers",
        "",
        f"From: Northwind Home Goods via Marketplace <{to}>",
        "To: jordan@example.com",
        "Subject: Please confirm your delivery address",
        f"Message-ID: {original_message_id}",
        "",
        "--4F2A1C0123--",
        "",
    )


def exim_delay(to: str, original_message_id: str):
    """Exim's warning: still trying (Action: delayed, a 4.x.x status), the whole email back."""
    return raw(
        "Return-Path: <>",
        "From: Mail Delivery System <Mailer-Daemon@mail.example.org>",
        f"To: {to}",
        "Subject: Warning: message 1kXyZ1-0004Qe-3T delayed 24 hours",
        "Auto-Submitted: auto-replied",
        "Message-ID: <E1kXyZ9-0005AB-7C@mail.example.org>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/report; report-type=delivery-status;",
        ' boundary="1607310898-eximdsn"',
        "",
        "--1607310898-eximdsn",
        "Content-type: text/plain; charset=us-ascii",
        "",
        "This message was created automatically by mail delivery software.",
        "A message that you sent has not yet been delivered to one or more of its",
        "recipients after more than 24 hours on the queue on mail.example.org.",
        "",
        "--1607310898-eximdsn",
        "Content-type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mail.example.org",
        "",
        "Action: delayed",
        "Final-Recipient: rfc822;jordan@example.com",
        "Status: 4.0.0",
        "Remote-MTA: dns; mx.example.com",
        "Will-Retry-Until: Thu, 10 Dec 2026 03:14:58 +0000",
        "",
        "--1607310898-eximdsn",
        "Content-type: message/rfc822",
        "",
        f"From: Northwind Home Goods via Marketplace <{to}>",
        "To: jordan@example.com",
        "Subject: Please confirm your delivery address",
        f"Message-ID: {original_message_id}",
        "",
        "Please confirm your delivery address.",
        "",
        "--1607310898-eximdsn--",
        "",
    )


@pytest.fixture
def emailed(jordans_order, sam, django_capture_on_commit_callbacks) -> Message:
    """Sam's message to Jordan, emailed to Jordan's mailbox by the relay."""
    with django_capture_on_commit_callbacks(execute=True):
        message = factories.seller_message(
            jordans_order, sam, body="Please confirm your delivery address: is it flat 4B?"
        )
    message.refresh_from_db()
    assert message.email_message_id and len(mail.outbox) == 1
    mail.outbox.clear()
    return message


@pytest.fixture
def to_northwind(jordan, northwind) -> str:
    return seller_address(jordan, northwind)


def _page(client, user, name, conversation_id) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=[conversation_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_permanent_failure_is_kept_and_shown_to_the_sender_only(
    client, emailed, to_northwind, jordan, sam, avery
):
    messages_before = Message.objects.count()

    [result] = receive_email(
        postfix_failure(to_northwind, emailed.email_message_id),
        envelope_from="",
        recipients=[to_northwind],
    )

    assert result.accepted and result.outcome == Outcome.BOUNCE
    [bounce] = EmailBounce.objects.all()
    assert bounce.message == emailed
    assert bounce.recipient_address == "jordan@example.com"
    assert bounce.status == "5.1.1"
    assert "User unknown" in bounce.diagnostic
    assert InboundEmail.objects.get().message == emailed
    # Never relayed, answered or stored as a message.
    assert Message.objects.count() == messages_before
    assert mail.outbox == []

    for seller in (sam, avery):
        page = _page(client, seller, "seller_conversation", emailed.conversation_id)
        assert "Your email copy to the buyer bounced:" in page
        assert "the mailbox does not exist" in page
        assert "User unknown in virtual mailbox table" in page
        assert "jordan@example.com" not in page  # the buyer's real address stays hidden
    buyer_page = _page(client, jordan, "buyer_conversation", emailed.conversation_id)
    assert "bounced" not in buyer_page


def test_the_same_report_twice_is_kept_once(emailed, to_northwind):
    report = postfix_failure(to_northwind, emailed.email_message_id)

    receive_email(report, envelope_from="", recipients=[to_northwind])
    receive_email(report, envelope_from="", recipients=[to_northwind])

    assert EmailBounce.objects.count() == 1


def test_a_delay_is_logged_but_not_a_bounce(client, emailed, to_northwind, sam):
    [result] = receive_email(
        exim_delay(to_northwind, emailed.email_message_id),
        envelope_from="",
        recipients=[to_northwind],
    )

    assert result.accepted and result.outcome == Outcome.BOUNCE
    assert "delayed" in InboundEmail.objects.get().reason
    assert not EmailBounce.objects.exists()
    assert mail.outbox == []
    page = _page(client, sam, "seller_conversation", emailed.conversation_id)
    assert "bounced" not in page


@pytest.mark.parametrize(
    "original_message_id",
    ["<not-one-of-ours.123@mail.example.net>", "<abc.42@relay.marketplace.example>"],
    ids=["foreign-id", "unknown-id"],
)
def test_a_report_that_matches_nothing_is_dropped(emailed, to_northwind, original_message_id):
    messages_before = Message.objects.count()

    [result] = receive_email(
        postfix_failure(to_northwind, original_message_id),
        envelope_from="",
        recipients=[to_northwind],
    )

    assert result.accepted and result.outcome == Outcome.BOUNCE
    assert "matches no message" in InboundEmail.objects.get().reason
    assert not EmailBounce.objects.exists()
    assert Message.objects.count() == messages_before
    assert mail.outbox == []


def test_a_report_is_never_relayed_even_from_an_accepted_address(emailed, to_northwind):
    """A report claiming to come from Jordan's own address is still only a report."""
    messages_before = Message.objects.count()

    [result] = receive_email(
        postfix_failure(to_northwind, "<nothing@mail.example.net>", sender="jordan@example.com"),
        envelope_from="jordan@example.com",
        recipients=[to_northwind],
    )

    assert result.outcome == Outcome.BOUNCE
    assert Message.objects.count() == messages_before
    assert mail.outbox == []


def test_a_report_without_the_returned_headers_is_matched_by_address(emailed, to_northwind):
    report = postfix_failure(to_northwind, emailed.email_message_id)
    without_headers = report.split(b"--4F2A1C0123\r\nContent-Type: text/rfc822-headers")[0]

    receive_email(
        without_headers + b"--4F2A1C0123--\r\n", envelope_from="", recipients=[to_northwind]
    )

    assert EmailBounce.objects.get().message == emailed


def test_a_bounce_to_a_team_member_is_shown_to_the_buyer(
    client, jordans_order, jordan, sam, northwind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = factories.buyer_message(jordans_order, "Do you deliver on Saturdays?")
    question.refresh_from_db()
    to_jordan_masked = mail.outbox[0].from_email.rpartition("<")[2].rstrip(">")
    report = postfix_failure(to_jordan_masked, question.email_message_id).replace(
        b"jordan@example.com", b"sam@northwind.example"
    )

    [result] = receive_email(report, envelope_from="", recipients=[to_jordan_masked])

    assert result.outcome == Outcome.BOUNCE
    assert EmailBounce.objects.get().message == question
    page = _page(client, jordan, "buyer_conversation", question.conversation_id)
    assert "Your email copy to the seller bounced:" in page
    assert "sam@northwind.example" not in page
