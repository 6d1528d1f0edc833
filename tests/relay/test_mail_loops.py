"""Mail loops: two auto-responders that do not say they are automatic, answering each other
through the relay.

Jordan asked Northwind a question on the website, then went on holiday; Sam is out of the
office too. Both mailboxes answer every email with the same words and neither marks its
answer (no Auto-Submitted, no Precedence), so headers cannot tell a machine wrote them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from messagecenter.messaging.models import Message
from messagecenter.relay.inbound import receive_email
from messagecenter.relay.models import InboundEmail
from tests import factories
from tests.relay.emails import buyer_address, email_from, seller_address

pytestmark = pytest.mark.faults

Outcome = InboundEmail.Outcome
SAM = "sam@northwind.example"
JORDAN = "jordan@example.com"
OUT_OF_OFFICE = "I am out of the office until Monday. For anything urgent call the shop."
ON_HOLIDAY = "I am on holiday and will read your email when I am back."


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    def run(message: bytes, recipient: str):
        with django_capture_on_commit_callbacks(execute=True):
            [result] = receive_email(message, envelope_from=None, recipients=[recipient])
        return result

    return run


@pytest.fixture
def question(jordans_order, django_capture_on_commit_callbacks):
    """Jordan's question, emailed to Sam (Northwind's only team member here)."""
    with django_capture_on_commit_callbacks(execute=True):
        message = factories.buyer_message(jordans_order, "Do you deliver to apartment 4B?")
    return message


def _answer(relayed: mail.EmailMessage, sender: str, words: str) -> tuple[bytes, str]:
    """What an auto-responder sends back to an email it got: to its Reply-To, nothing
    to say it is automatic."""
    original = relayed.message()
    reply_to = original["Reply-To"]
    return (
        email_from(
            sender,
            reply_to,
            subject="Automatic reply: " + " ".join(str(original["Subject"]).split()),
            text=words,
            in_reply_to=original["Message-ID"],
        ),
        reply_to,
    )


def _newest_to(address: str) -> mail.EmailMessage | None:
    found = [sent for sent in mail.outbox if address in sent.to]
    return found[-1] if found else None


def test_two_auto_responders_stop_being_relayed_when_their_answer_comes_back(
    deliver, jordan, sam, question
):
    mailbox = {SAM: OUT_OF_OFFICE, JORDAN: ON_HOLIDAY}
    relayed_rounds = 0
    answering = SAM
    for _round in range(8):
        received = _newest_to(answering)
        mail.outbox.clear()
        if received is None:
            break  # nothing came through: the loop is over
        message, reply_to = _answer(received, answering, mailbox[answering])
        deliver(message, reply_to)
        other = JORDAN if answering == SAM else SAM
        if _newest_to(other) is not None:
            relayed_rounds += 1
        notices = [sent for sent in mail.outbox if sent.to == [answering]]
        answering = other
        if notices:
            break

    # Sam's answer and Jordan's went through; Sam's second, the same words again, did not.
    assert relayed_rounds == 2
    assert list(InboundEmail.objects.order_by("id").values_list("outcome", flat=True)) == [
        Outcome.ACCEPTED,
        Outcome.ACCEPTED,
        Outcome.LOOP,
    ]
    [notice] = notices
    assert notice.subject.startswith("Mail loop stopped:")
    assert "the same email came back within 10 minutes" in notice.body
    assert notice.extra_headers["Auto-Submitted"] != "no"
    # Kept in the conversation as an automatic reply: shown, never emailed on.
    caught = Message.objects.filter(sender=sam).order_by("id").last()
    assert caught.is_automatic and OUT_OF_OFFICE in caught.body_text
    assert InboundEmail.objects.get(outcome=Outcome.LOOP).message == caught


def test_the_sender_is_told_once_per_loop(deliver, jordan, sam, question):
    to_jordan = buyer_address(jordan, sam.memberships.get().business)
    for attempt in range(4):
        mail.outbox.clear()
        deliver(email_from(SAM, to_jordan, text=OUT_OF_OFFICE), to_jordan)
        if attempt == 0:
            assert _newest_to(JORDAN) is not None  # the first one is relayed

    outcomes = list(InboundEmail.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == [Outcome.ACCEPTED, Outcome.LOOP, Outcome.LOOP, Outcome.LOOP]
    assert mail.outbox == []  # the fourth: neither relayed nor noticed again


def test_more_than_five_emails_a_minute_for_a_pair_are_not_relayed(deliver, jordan, sam, question):
    to_northwind = seller_address(jordan, sam.memberships.get().business)
    relayed = []
    notices = []
    for number in range(1, 8):
        mail.outbox.clear()
        deliver(
            email_from(JORDAN, to_northwind, text=f"Question {'x' * number}: is it blue?"),
            to_northwind,
        )
        relayed.append(_newest_to(SAM) is not None)
        notices += [sent for sent in mail.outbox if sent.to == [JORDAN]]

    assert relayed == [True] * 5 + [False, False]
    [notice] = notices
    assert "more than 5 emails in a minute between the buyer and the seller" in notice.body


def test_the_same_words_from_each_side_are_no_loop(deliver, jordan, sam, question):
    business = sam.memberships.get().business
    thanks = "Thank you, that works for me."

    deliver(
        email_from(SAM, buyer_address(jordan, business), text=thanks),
        buyer_address(jordan, business),
    )
    deliver(
        email_from(JORDAN, seller_address(jordan, business), text=thanks),
        seller_address(jordan, business),
    )

    assert set(InboundEmail.objects.values_list("outcome", flat=True)) == {Outcome.ACCEPTED}


def test_after_the_window_the_same_words_are_relayed_again(deliver, jordan, sam, question):
    to_jordan = buyer_address(jordan, sam.memberships.get().business)
    deliver(email_from(SAM, to_jordan, text=OUT_OF_OFFICE), to_jordan)
    InboundEmail.objects.update(received_at=timezone.now() - timedelta(minutes=11))
    mail.outbox.clear()

    result = deliver(email_from(SAM, to_jordan, text=OUT_OF_OFFICE), to_jordan)

    assert result.outcome == Outcome.ACCEPTED
    assert _newest_to(JORDAN) is not None


def test_a_strangers_flood_does_not_stop_the_pairs_mail(deliver, jordan, sam, question):
    to_jordan = buyer_address(jordan, sam.memberships.get().business)
    for number in range(10):
        deliver(email_from("mallory@evil.example", to_jordan, text=f"Buy now {number}"), to_jordan)
    mail.outbox.clear()

    result = deliver(email_from(SAM, to_jordan, text="We deliver on Thursday."), to_jordan)

    assert result.outcome == Outcome.ACCEPTED
    assert _newest_to(JORDAN) is not None
