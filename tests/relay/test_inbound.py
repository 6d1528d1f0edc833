"""Email into conversations: who may write, where it lands, what is kept, what is said back.

Jordan bought from Northwind Home Goods and asked about his order; Sam (owner) and Avery
(agent) answer for Northwind, by email from their own mailboxes or from the shop's
approved support address. Maria runs Cascade Outdoor Supply. Strangers, mail programs
and auto-responders write too.
"""

from __future__ import annotations

import base64
import email
import io
from email import policy
from email.message import EmailMessage

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from compliance.models import PolicySettings, RuleSetting
from messagecenter.messaging.models import Message, Upload
from messagecenter.notifications.tasks import send_message_notification
from messagecenter.relay.inbound import Refusal, receive_email
from messagecenter.relay.models import ApprovedSender, InboundEmail
from messagecenter.threads.models import Conversation, ReadState, Side
from tests import factories
from tests.relay.emails import (
    buyer_address,
    email_from,
    new_message_id,
    png_bytes,
    raw,
    seller_address,
)

Outcome = InboundEmail.Outcome
REPLY = "Yes, we deliver to apartment 4B on Thursday."


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """receive_email as the SMTP server calls it, with after-commit work (notifications,
    notices) run as it would be in production."""

    def run(message: bytes, *recipients: str, envelope_from: str | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return receive_email(message, envelope_from=envelope_from, recipients=recipients)

    return run


@pytest.fixture
def question(jordans_order):
    """Jordan's question, which Northwind has not answered yet."""
    message = factories.buyer_message(jordans_order, "Do you deliver to apartment 4B?")
    mail.outbox.clear()
    return message


@pytest.fixture
def to_jordan(jordan, northwind) -> str:
    return buyer_address(jordan, northwind)


@pytest.fixture
def to_northwind(jordan, northwind) -> str:
    return seller_address(jordan, northwind)


def _newest() -> Message:
    return Message.objects.order_by("-id").first()


def _messages_in(conversation: Conversation) -> int:
    return Message.objects.filter(conversation=conversation).count()


def _decoded(sent: mail.EmailMessage) -> str:
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    return "\n".join(
        part.get_content() for part in parsed.walk() if part.get_content_maintype() == "text"
    )


# --- who may write ---------------------------------------------------------------------------


def test_a_sellers_reply_lands_in_the_conversation_and_reaches_the_buyer(
    deliver, sam, question, to_jordan
):
    message_id = new_message_id("northwind.example")
    [result] = deliver(
        email_from(
            "Sam Carter <sam@northwind.example>", to_jordan, text=REPLY, message_id=message_id
        ),
        to_jordan,
        envelope_from="sam@northwind.example",
    )

    assert result.accepted and result.outcome == Outcome.ACCEPTED
    stored = result.message
    assert stored.conversation == question.conversation
    assert (stored.sender, stored.sender_side, stored.message_type) == (sam, "seller", "reply")
    assert stored.via == Message.Via.EMAIL and stored.is_delivered and not stored.is_automatic
    assert REPLY in stored.body_html
    log = InboundEmail.objects.get()
    assert (log.outcome, log.message, log.header_message_id) == (
        Outcome.ACCEPTED,
        stored,
        message_id,
    )
    [notification] = mail.outbox
    assert notification.to == ["jordan@example.com"]
    assert REPLY in _decoded(notification)
    assert "northwind.example" not in str(notification.message())


def test_the_relayed_email_does_not_carry_the_senders_message_id(
    deliver, jordan, sam, question, to_northwind
):
    """A Message-ID names the sender's mail host (often their own domain): relayed on, it
    would tell Northwind where Jordan's mailbox is."""
    private_id = "<CAF7.1234@mail.miles-family.net>"

    [result] = deliver(
        email_from(
            "jordan@example.com", to_northwind, text="Thursday works.", message_id=private_id
        ),
        to_northwind,
    )

    assert InboundEmail.objects.get().header_message_id == private_id
    relayed = [m.message() for m in mail.outbox]
    assert relayed and all("miles-family" not in str(m) for m in relayed)
    result.message.refresh_from_db()
    assert result.message.email_message_id.endswith("@relay.marketplace.example>")


def test_an_agent_writes_as_themselves(deliver, avery, question, to_jordan):
    [result] = deliver(email_from("avery@northwind.example", to_jordan, text=REPLY), to_jordan)

    assert result.message.sender == avery


def test_an_approved_address_writes_as_the_owner(
    deliver, sam, avery, northwind, question, to_jordan
):
    ApprovedSender.objects.create(
        business=northwind, email="support@northwind.example", confirmed_at=timezone.now()
    )

    [result] = deliver(
        email_from("Northwind Support <Support@Northwind.example>", to_jordan, text=REPLY),
        to_jordan,
        envelope_from="support@northwind.example",
    )

    assert result.outcome == Outcome.ACCEPTED
    assert result.message.sender == sam  # the owner, who approved the address


def test_the_buyer_writes_to_the_seller(deliver, jordan, sam, avery, question, to_northwind):
    [result] = deliver(
        email_from(
            "Jordan Miles <jordan@example.com>", to_northwind, text="Thursday works, thank you."
        ),
        to_northwind,
    )

    stored = result.message
    assert (stored.sender, stored.sender_side, stored.message_type) == (
        jordan,
        "buyer",
        "buyer_inquiry",
    )
    assert stored.conversation == question.conversation
    assert sorted(m.to[0] for m in mail.outbox) == [
        "avery@northwind.example",
        "sam@northwind.example",
    ]


@pytest.mark.parametrize(
    ("sender", "envelope"),
    [
        ("Mallory <mallory@evil.example>", None),
        ("Sam Carter <sam@northwind.example>", "mallory@evil.example"),  # forged From
        ("Jordan Miles <jordan@example.com>", None),  # the buyer cannot write as the seller
        ("Northwind <noreply@relay.marketplace.example>", None),
    ],
    ids=["stranger", "forged-from", "buyer-to-own-address", "masked-address"],
)
def test_mail_to_the_buyer_from_anyone_but_the_seller_is_refused(
    deliver, sam, question, to_jordan, sender, envelope
):
    [result] = deliver(email_from(sender, to_jordan, text=REPLY), to_jordan, envelope_from=envelope)

    assert not result.accepted and result.refused == Refusal.SENDER
    assert result.outcome == Outcome.REJECTED and "does not accept email from" in result.reason
    assert _messages_in(question.conversation) == 1
    assert mail.outbox == []  # no backscatter
    assert InboundEmail.objects.get().outcome == Outcome.REJECTED


def test_a_former_team_member_is_refused(deliver, avery, question, to_jordan):
    avery.is_active = False
    avery.save(update_fields=["is_active"])

    [result] = deliver(email_from("avery@northwind.example", to_jordan), to_jordan)

    assert result.refused == Refusal.SENDER


def test_mail_to_the_seller_from_anyone_but_the_buyer_is_refused(
    deliver, priya, sam, question, to_northwind
):
    for sender in ("priya@example.com", "sam@northwind.example"):
        [result] = deliver(email_from(sender, to_northwind), to_northwind)
        assert result.refused == Refusal.SENDER
    assert _messages_in(question.conversation) == 1


def test_another_seller_writing_to_a_seller_is_refused_by_the_seller_to_seller_rule(
    deliver, maria, question, to_northwind
):
    [result] = deliver(
        email_from("Maria Lopez <maria@cascade.example>", to_northwind, text="Partnership?"),
        to_northwind,
    )

    assert result.refused == Refusal.SENDER
    assert "pair.seller_to_seller" in result.reason
    assert "Sellers cannot send messages to other sellers." in result.reason
    assert mail.outbox == []


def test_with_the_seller_to_seller_rule_off_another_seller_is_still_only_a_stranger(
    deliver, maria, question, to_northwind
):
    policy_row = PolicySettings.objects.create()
    RuleSetting.objects.create(policy=policy_row, rule="pair.seller_to_seller", action="off")

    [result] = deliver(email_from("maria@cascade.example", to_northwind), to_northwind)

    assert result.refused == Refusal.SENDER
    assert "pair.seller_to_seller" not in result.reason


@pytest.mark.parametrize(
    "recipient",
    [
        "nosuchtoken0000000000000@relay.marketplace.example",
        "someone@elsewhere.example",
        "@relay.marketplace.example",
    ],
)
def test_unknown_addresses_are_refused(deliver, sam, question, recipient):
    [result] = deliver(email_from("sam@northwind.example", recipient), recipient)

    assert result.refused == Refusal.UNKNOWN_RECIPIENT
    assert result.outcome == Outcome.REJECTED and mail.outbox == []


def test_one_email_to_two_masked_addresses_is_taken_for_each(
    deliver, jordan, priya, sam, northwind, question
):
    priyas_order = factories.order(buyer=priya, seller=northwind)
    factories.buyer_message(priyas_order, "Is the blue one in stock?")
    to_priya = buyer_address(priya, northwind)
    to_jordan = buyer_address(jordan, northwind)

    results = deliver(
        email_from("sam@northwind.example", f"{to_jordan}, {to_priya}", text=REPLY),
        to_jordan,
        to_priya,
        to_jordan.upper(),
    )

    assert [r.outcome for r in results] == [Outcome.ACCEPTED, Outcome.ACCEPTED]
    assert {r.message.conversation.buyer for r in results} == {jordan, priya}


# --- which conversation -----------------------------------------------------------------


@pytest.fixture
def two_orders(jordan, northwind, jordans_order):
    """Jordan asked about two orders; the second conversation is the newer one."""
    older = factories.buyer_message(jordans_order, "Where is the duvet cover?")
    second_order = factories.order(buyer=jordan, seller=northwind, title="Linen sheets")
    newer = factories.buyer_message(second_order, "Where are the sheets?")
    mail.outbox.clear()
    return older.conversation, newer.conversation


def test_a_reply_threads_by_in_reply_to(deliver, sam, two_orders, to_jordan):
    older, _ = two_orders
    answered = older.messages.get()
    answered.email_message_id = "<notification-1@relay.marketplace.example>"
    answered.save(update_fields=["email_message_id"])

    [result] = deliver(
        email_from(
            "sam@northwind.example",
            to_jordan,
            subject="Re: Something else",
            in_reply_to="<notification-1@relay.marketplace.example>",
        ),
        to_jordan,
    )

    assert result.message.conversation == older


def test_a_reply_threads_by_references_stored_without_brackets(deliver, sam, two_orders, to_jordan):
    older, _ = two_orders
    Message.objects.filter(conversation=older).update(email_message_id="abc.1@mail.example")

    [result] = deliver(
        email_from(
            "sam@northwind.example",
            to_jordan,
            in_reply_to="<unknown@elsewhere.example>",
            references="<abc.1@mail.example> <unknown@elsewhere.example>",
        ),
        to_jordan,
    )

    assert result.message.conversation == older


def test_a_reply_threads_under_an_email_received_earlier(
    deliver, jordan, sam, two_orders, to_jordan, to_northwind
):
    older, _ = two_orders
    first_id = new_message_id("example.com")
    subject = f"Order {older.order.number}"
    deliver(
        email_from(
            "jordan@example.com",
            to_northwind,
            subject=subject,
            text="One more thing: ring twice.",
            message_id=first_id,
        ),
        to_northwind,
    )
    assert not Message.objects.filter(email_message_id=first_id).exists()  # only in the log

    [result] = deliver(
        email_from("sam@northwind.example", to_jordan, subject="Re: ring", in_reply_to=first_id),
        to_jordan,
    )

    assert result.message.conversation == older


def test_without_reply_headers_the_order_number_in_the_subject_decides(
    deliver, sam, two_orders, to_jordan
):
    older, _ = two_orders

    [result] = deliver(
        email_from(
            "sam@northwind.example",
            to_jordan,
            subject=f"RE: AW: Question (Order {older.order.number})",
        ),
        to_jordan,
    )

    assert result.message.conversation == older
    assert result.message.subject_as_written == f"Question (Order {older.order.number})"


def test_an_order_number_of_another_pair_is_ignored(
    deliver, priya, sam, northwind, two_orders, to_jordan
):
    _, newer = two_orders
    priyas_order = factories.order(buyer=priya, seller=northwind)

    [result] = deliver(
        email_from("sam@northwind.example", to_jordan, subject=f"Re: Order {priyas_order.number}"),
        to_jordan,
    )

    assert result.message.conversation == newer  # the pair's newest, not Priya's order


def test_without_any_clue_the_newest_conversation_is_used(deliver, sam, two_orders, to_jordan):
    _, newer = two_orders

    [result] = deliver(
        email_from("sam@northwind.example", to_jordan, subject="Quick note"), to_jordan
    )

    assert result.message.conversation == newer


def test_a_pair_without_conversations_refuses_with_a_notice(deliver, jordan, sam, northwind):
    to_jordan = buyer_address(jordan, northwind)

    [result] = deliver(email_from("sam@northwind.example", to_jordan, text=REPLY), to_jordan)

    assert result.accepted and result.outcome == Outcome.REJECTED
    assert "no conversation" in result.reason
    assert Message.objects.count() == 0
    [notice] = mail.outbox
    assert notice.to == ["sam@northwind.example"]
    assert notice.subject.startswith("Not delivered:")
    assert "no conversation" in notice.body


def test_the_buyer_may_open_the_conversation_of_an_order_by_email(
    deliver, jordan, northwind, sam, jordans_order
):
    to_northwind = seller_address(jordan, northwind)

    [result] = deliver(
        email_from(
            "jordan@example.com",
            to_northwind,
            subject=f"Order {jordans_order.number}: damaged box",
            text="The box arrived crushed.",
        ),
        to_northwind,
    )

    conversation = result.message.conversation
    assert (conversation.order, conversation.started_by) == (jordans_order, Side.BUYER)
    assert result.outcome == Outcome.ACCEPTED


def test_a_seller_cannot_start_a_conversation_by_email(
    deliver, jordan, sam, northwind, jordans_order
):
    to_jordan = buyer_address(jordan, northwind)

    [result] = deliver(
        email_from(
            "sam@northwind.example",
            to_jordan,
            subject=f"Order {jordans_order.number}",
            text="Your order shipped.",
        ),
        to_jordan,
    )

    assert result.outcome == Outcome.REJECTED and Message.objects.count() == 0
    [notice] = mail.outbox
    assert "Contact Buyer" in notice.body
    assert f"/seller/orders/{jordans_order.number}/contact/" in notice.body


def test_a_seller_email_that_is_not_an_answer_is_refused_with_a_pointer_to_contact_buyer(
    deliver, sam, jordan, jordans_order, to_jordan
):
    opening = factories.seller_message(jordans_order, sam)  # Northwind started it
    mail.outbox.clear()

    [result] = deliver(
        email_from("sam@northwind.example", to_jordan, text="Also: 20% off your next order!"),
        to_jordan,
    )

    assert result.outcome == Outcome.REJECTED
    assert _messages_in(opening.conversation) == 1
    [notice] = mail.outbox
    assert notice.to == ["sam@northwind.example"]
    assert "Contact Buyer" in notice.body and "message type" in notice.body


# --- what is kept of the email --------------------------------------------------------------


def test_plain_text_is_preferred_and_the_quote_dropped(deliver, sam, question, to_jordan):
    text = (
        f"{REPLY}\n\nOn Tue, Nov 24, 2026 at 10:02 AM Jordan Miles via Marketplace "
        f"<{to_jordan}> wrote:\n> Do you deliver to apartment 4B?\n"
    )
    html = f"<div>{REPLY} <b>HTML VERSION</b></div>"

    [result] = deliver(
        email_from("sam@northwind.example", to_jordan, text=text, html=html), to_jordan
    )

    body = result.message.body_html
    assert REPLY in body and "HTML VERSION" not in body
    assert "Do you deliver" not in body and to_jordan not in body


def test_html_only_mail_keeps_its_formatting(deliver, sam, question, to_jordan):
    html = (
        "<html><head><style>p{font-size:11pt}</style></head><body>"
        "<p>We deliver on <strong>Thursday</strong>.</p>"
        '<div class="gmail_quote"><div class="gmail_attr">On Tue, Jordan wrote:</div>'
        '<blockquote class="gmail_quote">Do you deliver to apartment 4B?</blockquote></div>'
        "</body></html>"
    )

    [result] = deliver(
        email_from("sam@northwind.example", to_jordan, text=None, html=html), to_jordan
    )

    assert result.message.body_html == "<p>We deliver on <strong>Thursday</strong>.</p>"


def test_a_pdf_attachment_becomes_an_attachment_of_the_message(deliver, sam, question, to_jordan):
    pdf = factories.pdf_bytes("Delivery slot: Thursday")

    [result] = deliver(
        email_from(
            "sam@northwind.example",
            to_jordan,
            text="The delivery slip is attached.",
            files=[("delivery slip.pdf", pdf, "application/pdf")],
        ),
        to_jordan,
    )

    [attachment] = result.message.attachments.all()
    assert attachment.original_name == "delivery slip.pdf"
    with attachment.file.open("rb") as handle:
        assert handle.read() == pdf
    assert "delivery slip.pdf" in _decoded(mail.outbox[0])


def test_inline_images_become_attachments(deliver, jordan, sam, question, to_northwind):
    photo = png_bytes()
    message = raw(
        "From: jordan@example.com",
        f"To: {to_northwind}",
        "Subject: Re: damaged box",
        f"Message-ID: {new_message_id()}",
        "MIME-Version: 1.0",
        'Content-Type: multipart/related; boundary="rel"',
        "",
        "--rel",
        "Content-Type: text/html; charset=utf-8",
        "",
        '<p>This is how it arrived:</p><img src="cid:ii_box@example.com">',
        "--rel",
        "Content-Type: image/png",
        "Content-ID: <ii_box@example.com>",
        "Content-Disposition: inline",
        "Content-Transfer-Encoding: base64",
        "",
        base64.b64encode(photo).decode(),
        "--rel--",
        "",
    )

    [result] = deliver(message, to_northwind)

    [attachment] = result.message.attachments.all()
    assert attachment.original_name == "ii_box.png"
    assert "This is how it arrived" in result.message.body_html


def test_a_forbidden_attachment_blocks_the_message_and_the_bounce_names_the_rule(
    deliver, sam, question, to_jordan
):
    program = b"MZ\x90\x00" + b"\x00" * 200

    [result] = deliver(
        email_from(
            "sam@northwind.example",
            to_jordan,
            text="Run this to track the parcel.",
            files=[("tracker.exe", program, "application/octet-stream")],
        ),
        to_jordan,
    )

    assert result.outcome == Outcome.BLOCKED
    assert result.message.status == Message.Status.BLOCKED
    assert not Upload.objects.exists()  # no draft to keep for an email
    [bounce] = mail.outbox
    assert bounce.to == ["sam@northwind.example"]
    assert "attach.type" in bounce.body


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("iso-8859-1", "Grüße aus München: die Lieferung kommt Donnerstag, Straße 4B."),
        ("windows-1252", "We’ll deliver on Thursday – the fee is €5 “as agreed”."),
        ("shift_jis", "木曜日に配達します。よろしくお願いします。"),
        ("koi8-r", "Доставим в четверг."),
    ],
)
def test_bodies_in_other_charsets_are_decoded(deliver, sam, question, to_jordan, charset, text):
    [result] = deliver(
        email_from("sam@northwind.example", to_jordan, text=text, charset=charset), to_jordan
    )

    assert result.message.body_text == text


def test_latin1_labels_are_read_as_windows_1252(deliver, sam, question, to_jordan):
    message = raw(
        "From: sam@northwind.example",
        f"To: {to_jordan}",
        "Subject: Re: fee",
        f"Message-ID: {new_message_id()}",
        "Content-Type: text/plain; charset=iso-8859-1",
        "Content-Transfer-Encoding: 8bit",
        "",
        b"The fee is \x805 \x96 payable on delivery.",
        "",
    )

    [result] = deliver(message, to_jordan)

    assert "The fee is €5 – payable on delivery." in result.message.body_text


def test_encoded_headers_are_decoded(deliver, jordan, sam, question, to_northwind):
    message = raw(
        "From: =?iso-8859-1?q?J=F6rdan_M=FCller?= <jordan@example.com>",
        f"To: {to_northwind}",
        "Subject: =?iso-8859-1?q?Re:_Lieferung_f=FCr_Stra=DFe?= =?utf-8?b?IOKAkyBkYW5rZQ==?=",
        f"Message-ID: {new_message_id()}",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Passt, danke.",
        "",
    )

    [result] = deliver(message, to_northwind)

    assert result.message.subject_as_written == "Lieferung für Straße – danke"


def test_format_flowed_text_is_joined_back_into_paragraphs(deliver, sam, question, to_jordan):
    message = raw(
        "From: sam@northwind.example",
        f"To: {to_jordan}",
        "Subject: Re: slot",
        f"Message-ID: {new_message_id()}",
        "Content-Type: text/plain; charset=utf-8; format=flowed",
        "",
        "We can deliver on Thursday between nine and twelve, or on Friday ",
        "afternoon if that suits you better.",
        "",
    )

    [result] = deliver(message, to_jordan)

    assert result.message.body_text == (
        "We can deliver on Thursday between nine and twelve, or on Friday afternoon if that "
        "suits you better."
    )


def test_a_forwarded_email_keeps_what_was_forwarded(deliver, jordan, sam, question, to_northwind):
    text = (
        "This is what the courier sent me.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Dana Driver <dana.driver@fastcourier.com>\n"
        "Date: Mon, Nov 23, 2026 at 9:00 AM\n"
        "Subject: Delivery attempt\n"
        "To: <jordan@example.com>\n\n"
        "We tried to deliver your parcel today and will try again tomorrow.\n"
    )

    [result] = deliver(
        email_from("jordan@example.com", to_northwind, subject="Fwd: Delivery attempt", text=text),
        to_northwind,
    )

    body = result.message.body_html
    assert "We tried to deliver your parcel today" in body
    assert "This is what the courier sent me." in body
    assert "dana.driver@fastcourier.com" not in body  # addresses are still redacted


def test_an_email_forwarded_as_an_attachment_is_kept_as_text(
    deliver, jordan, sam, question, to_northwind
):
    inner = email_from(
        "Courier <noreply@courier.example>",
        "jordan@example.com",
        subject="Delivery attempt",
        text="We will try again tomorrow.",
    )
    outer = EmailMessage()
    outer["From"] = "jordan@example.com"
    outer["To"] = to_northwind
    outer["Subject"] = "Fwd: Delivery attempt"
    outer["Message-ID"] = new_message_id()
    outer.set_content("See below.")
    outer.add_attachment(email.message_from_bytes(inner, policy=policy.default))

    [result] = deliver(outer.as_bytes(), to_northwind)

    body = result.message.body_text
    assert "See below." in body and "We will try again tomorrow." in body
    assert "Subject: Delivery attempt" in body
    assert result.message.attachments.count() == 0


def test_an_email_with_only_quoted_text_is_refused_with_a_notice(deliver, sam, question, to_jordan):
    text = "On Tue, Nov 24, 2026 at 10:02 AM Jordan wrote:\n> Do you deliver to 4B?\n"

    [result] = deliver(email_from("sam@northwind.example", to_jordan, text=text), to_jordan)

    assert result.outcome == Outcome.REJECTED
    assert _messages_in(question.conversation) == 1
    [notice] = mail.outbox
    assert "Write a message" in notice.body


def test_an_email_over_the_size_limit_is_refused(deliver, settings, sam, question, to_jordan):
    settings.INBOUND_EMAIL_MAX_BYTES = 2000

    [result] = deliver(email_from("sam@northwind.example", to_jordan, text="x " * 2000), to_jordan)

    assert result.refused == Refusal.TOO_LARGE
    assert _messages_in(question.conversation) == 1


# --- policy outcomes and what the sender is told ---------------------------------------


def test_a_blocked_reply_is_kept_as_blocked_and_bounced_with_the_rule_and_why(
    deliver, sam, question, to_jordan
):
    message_id = new_message_id("northwind.example")
    text = "Thursday it is. Cheaper next time at https://cheap-deals.example/x"

    [result] = deliver(
        email_from(
            "Sam <sam@northwind.example>",
            to_jordan,
            text=text,
            subject="Re: Delivery",
            message_id=message_id,
        ),
        to_jordan,
    )

    assert result.outcome == Outcome.BLOCKED and result.accepted
    assert result.message.status == Message.Status.BLOCKED
    assert "link.external" in InboundEmail.objects.get().reason
    [bounce] = mail.outbox  # and no notification to Jordan
    assert bounce.to == ["sam@northwind.example"]
    assert bounce.from_email == settings.DEFAULT_FROM_EMAIL
    assert bounce.subject == "Not delivered: Delivery"
    assert "link.external" in bounce.body
    assert 'Found: "https://cheap-deals.example/x"' in bounce.body
    headers = bounce.message()
    assert headers["Auto-Submitted"] == "auto-replied"
    assert headers["In-Reply-To"] == message_id
    everything = str(headers)
    assert "jordan@example.com" not in everything and to_jordan not in everything


def test_a_held_message_gets_a_short_notice(deliver, jordan, sam, question, to_northwind):
    [result] = deliver(
        email_from(
            "jordan@example.com", to_northwind, text="This is fucking ridiculous, where is it?"
        ),
        to_northwind,
    )

    assert result.outcome == Outcome.HELD
    assert result.message.status == Message.Status.HELD
    [notice] = mail.outbox
    assert notice.to == ["jordan@example.com"]
    assert notice.subject.startswith("Held for review:")
    assert "held for review" in notice.body


def test_a_redacted_message_is_delivered_and_the_sender_told_what_was_removed(
    deliver, jordan, sam, avery, question, to_northwind
):
    [result] = deliver(
        email_from("jordan@example.com", to_northwind, text="Call me on 415 555 0199."),
        to_northwind,
    )

    assert result.outcome == Outcome.ACCEPTED and result.message.is_delivered
    assert "[phone number removed]" in result.message.body_html
    notices = [m for m in mail.outbox if m.to == ["jordan@example.com"]]
    [notice] = notices
    assert notice.subject.startswith("Delivered with changes:")
    assert "contact.phone" in notice.body and "415 555 0199" in notice.body


# --- automatic replies -------------------------------------------------------------------


AUTOMATIC = [
    pytest.param({"Auto-Submitted": "auto-replied"}, None, id="auto-submitted"),
    pytest.param({"Auto-Submitted": "auto-generated; owner-email=x@y"}, None, id="auto-generated"),
    pytest.param({"X-Autoreply": "yes"}, None, id="x-autoreply"),
    pytest.param({"X-Autorespond": "Out of office"}, None, id="x-autorespond"),
    pytest.param({"Precedence": "bulk"}, None, id="precedence-bulk"),
    pytest.param({"Precedence": "junk"}, None, id="precedence-junk"),
    pytest.param({"Precedence": "list"}, None, id="precedence-list"),
    pytest.param({"Precedence": "auto_reply"}, None, id="precedence-auto-reply"),
    pytest.param({"Return-Path": "<>"}, None, id="empty-return-path"),
    pytest.param({}, "<>", id="null-envelope-sender"),
]


@pytest.mark.parametrize(("headers", "envelope"), AUTOMATIC)
def test_automatic_replies_are_stored_as_such_and_change_nothing_else(
    deliver, sam, question, to_jordan, headers, envelope
):
    conversation = Conversation.objects.get(pk=question.conversation_id)
    before = {
        f: getattr(conversation, f)
        for f in ("last_message_at", "last_message_side", "last_seller_message_at")
    }
    ReadState.objects.filter(user=sam).delete()

    [result] = deliver(
        email_from(
            "sam@northwind.example",
            to_jordan,
            subject="Out of office",
            text="I am away until Monday.",
            headers=headers,
        ),
        to_jordan,
        envelope_from=envelope,
    )

    assert result.outcome == Outcome.AUTOMATIC and result.accepted
    stored = result.message
    assert stored.is_automatic and stored.is_delivered and stored.conversation == conversation
    assert mail.outbox == []  # no notification, no notice
    conversation.refresh_from_db()
    assert {f: getattr(conversation, f) for f in before} == before  # still awaiting an answer
    assert conversation.awaiting_seller_reply  # the reply clock keeps running
    assert not ReadState.objects.filter(user=sam).exists()  # Jordan's question stays unread


def test_auto_submitted_no_is_a_person(deliver, sam, question, to_jordan):
    [result] = deliver(
        email_from("sam@northwind.example", to_jordan, headers={"Auto-Submitted": "no"}), to_jordan
    )

    assert result.outcome == Outcome.ACCEPTED and not result.message.is_automatic


def test_an_out_of_office_answering_a_notification_does_not_start_a_loop(
    django_capture_on_commit_callbacks, deliver, jordan, sam, avery, jordans_order
):
    with django_capture_on_commit_callbacks(execute=True):
        factories.buyer_message(jordans_order, "Is it shipped yet?")
    notification = next(m for m in mail.outbox if m.to == ["sam@northwind.example"])
    relayed = notification.message()
    mail.outbox.clear()
    out_of_office = email_from(
        "Sam Carter <sam@northwind.example>",
        relayed["Reply-To"],
        subject=f"Automatic reply: {relayed['Subject']}",
        text="I am out of the office until Monday.",
        in_reply_to=relayed["Message-ID"],
        headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
    )

    [result] = deliver(out_of_office, relayed["Reply-To"], envelope_from="<>")

    assert result.outcome == Outcome.AUTOMATIC
    assert result.message.conversation.order == jordans_order
    assert mail.outbox == []
    assert send_message_notification(result.message.pk) == 0  # even if a retry comes round
    assert mail.outbox == []


def test_an_automatic_reply_the_policy_blocks_is_not_stored_and_not_bounced(
    deliver, sam, question, to_jordan
):
    [result] = deliver(
        email_from(
            "sam@northwind.example",
            to_jordan,
            subject="Out of office",
            text="Away. Meanwhile shop at https://cheap-deals.example",
            headers={"Auto-Submitted": "auto-replied"},
        ),
        to_jordan,
    )

    assert result.outcome == Outcome.BLOCKED and result.message is None
    assert "link.external" in result.reason
    assert _messages_in(question.conversation) == 1
    assert mail.outbox == []


def test_an_automatic_reply_that_cannot_be_placed_is_dropped_silently(
    deliver, jordan, sam, northwind
):
    to_jordan = buyer_address(jordan, northwind)  # no conversation at all

    [result] = deliver(
        email_from("sam@northwind.example", to_jordan, headers={"Precedence": "bulk"}), to_jordan
    )

    assert result.outcome == Outcome.REJECTED and result.accepted
    assert mail.outbox == []


def test_a_strangers_auto_reply_is_refused_without_an_answer(deliver, sam, question, to_jordan):
    [result] = deliver(
        email_from(
            "mailer-daemon@mx.example", to_jordan, headers={"Auto-Submitted": "auto-replied"}
        ),
        to_jordan,
        envelope_from="<>",
    )

    assert result.refused == Refusal.SENDER and mail.outbox == []


# --- the same email twice --------------------------------------------------------------------


def test_the_same_message_id_is_stored_once(deliver, sam, question, to_jordan):
    message = email_from("sam@northwind.example", to_jordan, text=REPLY)

    [first] = deliver(message, to_jordan)
    [second] = deliver(message, to_jordan)

    assert (first.outcome, second.outcome) == (Outcome.ACCEPTED, Outcome.DUPLICATE)
    assert second.message == first.message and second.accepted
    assert _messages_in(question.conversation) == 2
    assert len(mail.outbox) == 1  # Jordan is told once
    assert list(InboundEmail.objects.order_by("id").values_list("outcome", flat=True)) == [
        Outcome.ACCEPTED,
        Outcome.DUPLICATE,
    ]


def test_a_refused_email_may_be_sent_again_once_the_address_is_approved(
    deliver, sam, northwind, question, to_jordan
):
    message = email_from("help@northwind.example", to_jordan, text=REPLY)
    [first] = deliver(message, to_jordan)
    ApprovedSender.objects.create(
        business=northwind, email="help@northwind.example", confirmed_at=timezone.now()
    )

    [second] = deliver(message, to_jordan)

    assert first.refused == Refusal.SENDER
    assert second.outcome == Outcome.ACCEPTED


# --- the pipe command --------------------------------------------------------------------------


def test_the_command_takes_recipients_from_the_headers(
    sam, question, to_jordan, django_capture_on_commit_callbacks
):
    message = email_from(
        "sam@northwind.example",
        f"Jordan <{to_jordan}>",
        text=REPLY,
        headers={"Cc": "someone@elsewhere.example"},
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("receive_email", stdin=io.BytesIO(message), stdout=io.StringIO())

    assert _newest().body_text == REPLY


@pytest.mark.parametrize(
    ("sender", "recipient", "code"),
    [
        ("sam@northwind.example", "nosuchtoken0000000000@relay.marketplace.example", 67),
        ("mallory@evil.example", None, 77),
    ],
    ids=["unknown-recipient", "refused-sender"],
)
def test_the_command_exits_as_mail_servers_expect(
    sam, question, to_jordan, sender, recipient, code
):
    message = email_from(sender, recipient or to_jordan)

    with pytest.raises(CommandError) as refused:
        call_command("receive_email", "--to", recipient or to_jordan, stdin=io.BytesIO(message))

    assert refused.value.returncode == code
    assert _messages_in(question.conversation) == 1


def test_the_command_refuses_mail_without_any_masked_recipient(sam, question):
    message = email_from("sam@northwind.example", "someone@elsewhere.example")

    with pytest.raises(CommandError) as refused:
        call_command("receive_email", stdin=io.BytesIO(message))

    assert refused.value.returncode == 67
