"""Members who chose a daily digest for due replies get the waiting buyers in it."""

from __future__ import annotations

from django.core import mail

from messagecenter.accounts.models import NotificationPreference
from messagecenter.notifications.digests import send_due_digests
from messagecenter.threads.models import Conversation, Side
from tests import factories


def _daily(user, kind: str = "reply_due") -> None:
    NotificationPreference.objects.create(user=user, kind=kind, frequency="daily")


def test_the_digest_counts_waiting_buyers_and_those_due_within_4_hours(
    clock, jordan, priya, sam, avery, northwind
):
    _daily(avery)
    early = factories.order(buyer=jordan, seller=northwind)
    factories.buyer_message(early, "Where is it?")  # due at 15:00 tomorrow
    clock.advance(hours=3)
    later = factories.order(buyer=priya, seller=northwind)
    factories.buyer_message(later, "Gift wrap?")  # due at 18:00 tomorrow
    clock.advance(hours=2)
    answered = factories.order(buyer=factories.user("ola@example.com", "Ola N"), seller=northwind)
    factories.buyer_message(answered, "Hi")
    factories.reply(Conversation.objects.get(order=answered), sam, Side.SELLER, "Hello!")
    clock.advance(hours=16)  # 12:00 on Saturday: Jordan's is due in 3 h, Priya's in 6 h
    mail.outbox = []

    assert send_due_digests() == 1

    [digest] = mail.outbox
    assert digest.to == [avery.email]
    assert "Buyers waiting for an answer: 2, of which 1 due within 4 hours." in digest.body
    jordans = Conversation.objects.get(order=early)
    lines = digest.body.splitlines()
    first = lines.index(
        f"- Jordan Miles: {jordans.subject}, due in 3 h. "
        f"http://testserver/seller/messages/{jordans.pk}/"
    )
    priyas = Conversation.objects.get(order=later)
    assert lines[first + 1] == (
        f"- Priya Natarajan: {priyas.subject}, due in 6 h. "
        f"http://testserver/seller/messages/{priyas.pk}/"
    )
    assert "Due within 4 hours: http://testserver/seller/messages/?filter=due-soon&sort=due" in (
        digest.body
    )
    assert jordan.email not in digest.message().as_string()


def test_an_overdue_buyer_is_counted_as_such(clock, jordan, avery, northwind):
    _daily(avery)
    factories.buyer_message(factories.order(buyer=jordan, seller=northwind))
    clock.advance(hours=26)
    mail.outbox = []

    send_due_digests()

    [digest] = mail.outbox
    assert "Buyers waiting for an answer: 1, of which 0 due within 4 hours and 1 overdue." in (
        digest.body
    )
    assert ", overdue by 2 h. http://testserver/seller/messages/" in digest.body


def test_no_digest_when_nobody_waits(clock, jordan, sam, avery, northwind):
    _daily(avery)
    order = factories.order(buyer=jordan, seller=northwind)
    factories.buyer_message(order)
    factories.reply(Conversation.objects.get(order=order), sam, Side.SELLER, "Done.")
    clock.advance(hours=1)
    mail.outbox = []

    assert send_due_digests() == 0
    assert mail.outbox == []


def test_members_who_want_reminders_at_once_get_no_digest_for_them(clock, jordan, sam, northwind):
    factories.buyer_message(factories.order(buyer=jordan, seller=northwind))
    clock.advance(hours=1)
    mail.outbox = []

    assert send_due_digests() == 0
