"""The sweep beat runs every minute: reminders before the deadline, once each; late marks.

Jordan writes to Northwind at 15:00 on Friday; the answer is due at 15:00 on Saturday.
With the default points, Sam and Avery are reminded at 03:00 (12 h before) and at
13:00 (2 h before), unless someone answers first.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta
from email import message_from_bytes, policy
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from messagecenter.accounts.models import NotificationPreference, User
from messagecenter.celery import app as celery_app
from messagecenter.clock.models import ReplyReminder
from messagecenter.clock.reminders import (
    SENDING_LEASE,
    claim_reminders,
    reply_clock_catch_up,
    reply_clock_sweep,
    reply_reminder_send,
)
from messagecenter.clock.tasks import send_reply_reminders, sweep_reply_clocks
from messagecenter.messaging.models import Message
from messagecenter.threads.assignment import conversation_assign
from messagecenter.threads.models import Conversation, Side
from tests import factories

_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _recipients() -> list[str]:
    return sorted(address for sent in mail.outbox for address in sent.to)


def _conversation(order) -> Conversation:
    return Conversation.objects.get(order=order)


def test_reminders_go_out_at_12_and_2_hours_before_and_late_is_marked_at_24(
    clock, sweep, sam, avery, jordans_order
):
    asked = factories.buyer_message(jordans_order, "Is the duvet cover in stock in sage?")
    start = clock.now

    clock.set(start + timedelta(hours=11, minutes=59))
    assert sweep().claimed == []
    assert mail.outbox == []

    clock.set(start + timedelta(hours=12))
    first = sweep()
    assert len(first.claimed) == 1
    assert _recipients() == sorted([sam.email, avery.email])
    subject = f"Answer due in 12 h: {asked.conversation.subject}"
    assert all(sent.subject == subject for sent in mail.outbox)

    clock.set(start + timedelta(hours=12, minutes=1))
    assert sweep().claimed == []
    assert len(mail.outbox) == 2

    clock.set(start + timedelta(hours=22))
    assert len(sweep().claimed) == 1
    assert len(mail.outbox) == 4
    assert "Answer due in 2 h" in mail.outbox[-1].subject

    clock.set(start + timedelta(hours=23, minutes=59))
    assert sweep().marked_late == 0
    clock.set(start + timedelta(hours=24))
    result = sweep()
    assert result.marked_late == 1 and result.claimed == []
    asked.refresh_from_db()
    assert asked.late_at == asked.reply_due_at
    assert asked.clock_running  # late, still waiting for an answer
    assert len(mail.outbox) == 4
    assert list(
        ReplyReminder.objects.order_by("hours_before").values_list(
            "hours_before", "outcome", "recipient_count"
        )
    ) == [(2, "sent", 2), (12, "sent", 2)]


def test_the_reminder_says_who_waits_and_by_when_without_revealing_an_address(
    clock, sweep, jordan, sam, jordans_order
):
    factories.buyer_message(jordans_order, "Could you ship it before Tuesday?")
    clock.advance(hours=22, minutes=30)

    sweep()

    [sent] = [s for s in mail.outbox if s.to == [sam.email]]
    conversation = _conversation(jordans_order)
    assert "Jordan Miles is waiting for an answer from Northwind Home Goods" in sent.body
    assert f"about order {jordans_order.number}" in sent.body
    assert "The answer is due by Sat, Mar 8, 15:00 UTC: 1 h 30 min left." in sent.body
    assert "Could you ship it before Tuesday?" in sent.body
    assert f"http://testserver/seller/messages/{conversation.pk}/" in sent.body
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    parsed = message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    addresses = set(_ADDRESS.findall(parsed.as_string())) - {parsed["Message-ID"].strip("<>")}
    assert jordan.email not in sent.message().as_string()
    assert {a.lower() for a in addresses} <= {sam.email, "no-reply@marketplace.example"}


def test_each_member_is_reminded_in_their_own_language_and_zone(
    clock, sweep, sam, avery, jordans_order
):
    User.objects.filter(pk=sam.pk).update(language="de", time_zone="Europe/Berlin")
    factories.buyer_message(jordans_order, "Could you ship it before Tuesday?")
    clock.advance(hours=22, minutes=30)

    sweep()

    by_recipient = {sent.to[0]: sent.body for sent in mail.outbox}
    # Django's own German day and month names, and Berlin's clock; Avery keeps the defaults.
    assert "Die Antwort ist fällig bis Samstag, 8. März, 16:00 CET." in by_recipient[sam.email]
    assert "The answer is due by Sat, Mar 8, 15:00 UTC" in by_recipient[avery.email]


def test_an_answer_before_the_point_means_no_reminder(clock, sweep, sam, jordans_order):
    factories.buyer_message(jordans_order)
    clock.advance(hours=5)
    factories.reply(_conversation(jordans_order), sam, Side.SELLER, "Yes, in stock.")

    for hours in (12, 22, 25):
        clock.set(clock.now.replace(hour=0) + timedelta(hours=hours))
        sweep()

    assert mail.outbox == []
    assert not ReplyReminder.objects.exists()


def test_the_assignee_alone_is_reminded(clock, sweep, sam, avery, jordans_order):
    factories.buyer_message(jordans_order)
    conversation_assign(conversation=_conversation(jordans_order), assignee=avery, by=sam)
    clock.advance(hours=12)

    sweep()

    assert _recipients() == [avery.email]
    assert "The conversation is assigned to you." in mail.outbox[0].body


def test_an_assignee_who_left_the_team_does_not_swallow_the_reminder(
    clock, sweep, sam, avery, jordans_order
):
    factories.buyer_message(jordans_order)
    conversation_assign(conversation=_conversation(jordans_order), assignee=avery, by=sam)
    avery.is_active = False
    avery.save(update_fields=["is_active"])
    clock.advance(hours=12)

    sweep()

    assert _recipients() == [sam.email]


def test_reminders_follow_each_members_email_choice(clock, sweep, sam, avery, jordans_order):
    NotificationPreference.objects.create(user=sam, kind="reply_due", frequency="never")
    NotificationPreference.objects.create(user=avery, kind="reply_due", frequency="daily")
    factories.buyer_message(jordans_order)
    clock.advance(hours=12)

    sweep()

    assert mail.outbox == []
    assert ReplyReminder.objects.get().outcome == ReplyReminder.Outcome.NOBODY


def test_a_point_missed_while_beat_was_down_gives_way_to_the_nearer_one(
    clock, sweep, sam, avery, jordans_order
):
    factories.buyer_message(jordans_order)
    clock.advance(hours=23)  # beat was down from before the 12-hour point

    sweep()

    assert list(ReplyReminder.objects.values_list("hours_before", flat=True)) == [2]
    assert len(mail.outbox) == 2


def test_the_points_are_a_setting(clock, settings, sweep, sam, avery, jordans_order):
    settings.REPLY_REMINDER_HOURS_BEFORE = (6,)
    factories.buyer_message(jordans_order)
    clock.advance(hours=12)
    assert sweep().claimed == []
    clock.advance(hours=6)
    assert len(sweep().claimed) == 1


def test_the_earliest_waiting_message_is_the_one_reminded_about(clock, sweep, sam, jordans_order):
    first = factories.buyer_message(jordans_order, "First question")
    clock.advance(hours=1)
    factories.buyer_message(jordans_order, "Second question")
    clock.advance(hours=11)

    sweep()

    assert list(ReplyReminder.objects.values_list("message_id", flat=True)) == [first.pk]


# --- Once, whatever happens ------------------------------------------------------------------


def _claimed_reminder(clock, order) -> ReplyReminder:
    factories.buyer_message(order)
    clock.advance(hours=12)
    with transaction.atomic():
        [reminder_id] = claim_reminders(clock.now)
    return ReplyReminder.objects.get(pk=reminder_id)


def test_running_the_send_task_twice_sends_once(clock, sam, avery, jordans_order):
    reminder = _claimed_reminder(clock, jordans_order)

    assert send_reply_reminders([reminder.pk]) == 2
    assert send_reply_reminders([reminder.pk]) == 0
    send_reply_reminders.apply(args=[[reminder.pk]])

    assert len(mail.outbox) == 2
    reminder.refresh_from_db()
    assert reminder.outcome == "sent" and reminder.finished_at is not None


def test_a_failed_send_is_released_for_the_retry(clock, monkeypatch, sam, avery, jordans_order):
    reminder = _claimed_reminder(clock, jordans_order)

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("mail server unreachable")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", smtp_down)
        with pytest.raises(ConnectionRefusedError):
            send_reply_reminders.run([reminder.pk])
    reminder.refresh_from_db()
    assert reminder.sending_since is None and reminder.finished_at is None

    assert send_reply_reminders.run([reminder.pk]) == 2


def test_a_send_cut_short_reminds_only_the_members_not_yet_reminded(
    clock, monkeypatch, sam, avery, jordans_order
):
    reminder = _claimed_reminder(clock, jordans_order)
    real_send = locmem.EmailBackend.send_messages
    handed_over: list[int] = []

    def second_one_fails(self, messages):
        handed_over.append(len(messages))
        if len(handed_over) == 2:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(self, messages)

    with monkeypatch.context() as patched:
        patched.setattr(locmem.EmailBackend, "send_messages", second_one_fails)
        with pytest.raises(SMTPServerDisconnected):
            send_reply_reminders.run([reminder.pk])
    [first] = mail.outbox

    assert send_reply_reminders.run([reminder.pk]) == 1

    assert _recipients() == sorted([sam.email, avery.email])
    assert mail.outbox[1].to != first.to
    reminder.refresh_from_db()
    assert (reminder.outcome, reminder.recipient_count) == ("sent", 2)
    assert reminder.emails.count() == 2


def test_a_reminder_whose_worker_died_is_sent_again_once_its_lease_is_over(
    clock, sweep, sam, avery, jordans_order
):
    reminder = _claimed_reminder(clock, jordans_order)
    # A worker claimed it and died before sending (the broker redelivers the task, or the
    # sweep queues it again).
    ReplyReminder.objects.filter(pk=reminder.pk).update(sending_since=clock.now)

    assert reply_reminder_send(reminder_id=reminder.pk) == 0  # still leased
    clock.advance(seconds=SENDING_LEASE.total_seconds() + 1)
    result = sweep()

    assert result.requeued == [reminder.pk]
    assert len(mail.outbox) == 2
    assert sweep().requeued == []


def test_a_reminder_answered_meanwhile_is_not_sent(clock, sam, jordans_order):
    reminder = _claimed_reminder(clock, jordans_order)
    factories.reply(_conversation(jordans_order), sam, Side.SELLER, "Answered just now.")

    assert send_reply_reminders([reminder.pk]) == 0
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.outcome == ReplyReminder.Outcome.NOT_NEEDED


def test_a_sweep_costs_the_same_queries_however_many_conversations_are_due(
    clock, django_capture_on_commit_callbacks, northwind, sam
):
    def open_conversations(count: int) -> None:
        for i in range(count):
            buyer = factories.user(f"waiting-{Message.objects.count()}-{i}@example.com")
            factories.buyer_message(factories.order(buyer=buyer, seller=northwind))

    sql: list[str] = []

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            result = reply_clock_sweep()
        sql[:] = [q["sql"] for q in queries.captured_queries]
        return len(queries.captured_queries), len(result.claimed)

    open_conversations(2)
    clock.advance(hours=12)
    few = measure()
    ReplyReminder.objects.update(finished_at=clock.now)  # sent, as a worker would have
    clock.advance(hours=-12)
    open_conversations(20)
    clock.advance(hours=12, minutes=30)
    many = measure()

    assert few[1] == 2 and many[1] == 20, "\n".join(sql)
    # savepoint, late marks, one claim per point (12 h, 2 h), unfinished ones, release;
    # and, when reminders were claimed, 2 for the sellers' webhooks (reply.due_soon).
    assert few[0] == many[0] <= 8, "\n".join(sql)


@pytest.mark.postgresql("two sweeps at once in two threads: SKIP LOCKED and waiting")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once(clock, jordan, sam, avery, northwind):
    orders = [factories.order(buyer=jordan, seller=northwind) for _ in range(5)]
    for order in orders:
        factories.buyer_message(order)
    clock.advance(hours=12)
    mail.outbox = []
    first_claimed = threading.Event()
    results: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def first_sweep() -> None:
        # Claims inside a transaction and holds it open while the second sweep runs: the
        # second one's insert waits on these rows, then finds them taken.
        try:
            with transaction.atomic():
                results["first"] = claim_reminders(clock.now)
                first_claimed.set()
                time.sleep(0.5)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            first_claimed.set()
            connection.close()

    def second_sweep() -> None:
        try:
            first_claimed.wait(5)
            results["second"] = reply_clock_sweep(clock.now).claimed
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_sweep), threading.Thread(target=second_sweep)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert errors == []
    assert len(results["first"]) == 5 and results["second"] == []
    # The second sweep queued nothing, so the first's claims are sent by their tasks alone.
    assert mail.outbox == []
    assert send_reply_reminders(results["first"]) == 10
    assert ReplyReminder.objects.count() == 5
    assert sorted(address for sent in mail.outbox for address in sent.to) == sorted(
        [sam.email, avery.email] * 5
    )


@pytest.mark.postgresql("four sweeps at once in four threads: ON CONFLICT under waiting")
@pytest.mark.django_db(transaction=True)
def test_many_sweeps_racing_claim_each_reminder_once(clock, jordan, northwind, sam):
    for _ in range(10):
        factories.buyer_message(factories.order(buyer=jordan, seller=northwind))
    clock.advance(hours=12)
    barrier = threading.Barrier(4)
    claimed: list[int] = []
    lock = threading.Lock()

    def race() -> None:
        try:
            barrier.wait(5)
            with transaction.atomic():
                mine = claim_reminders(clock.now)
            with lock:
                claimed.extend(mine)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert sorted(claimed) == sorted(set(claimed))
    assert len(claimed) == ReplyReminder.objects.count() == 10


def test_a_reminder_that_never_reached_the_broker_is_queued_again_every_few_minutes(
    clock, point_celery_at, django_capture_on_commit_callbacks, sam, avery, jordans_order
):
    factories.buyer_message(jordans_order)
    clock.advance(hours=12)
    point_celery_at("redis://127.0.0.1:1/0", eager=False)  # the broker is down
    with django_capture_on_commit_callbacks(execute=True):
        [claimed] = reply_clock_sweep().claimed
    assert mail.outbox == []

    clock.advance(minutes=4)
    assert reply_clock_sweep().requeued == []
    clock.advance(minutes=2)
    assert reply_clock_sweep().requeued == [claimed]
    clock.advance(minutes=1)
    assert reply_clock_sweep().requeued == []  # not every minute: the queue would fill up

    celery_app.conf.task_always_eager = True  # the broker is back
    clock.advance(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert reply_clock_sweep().requeued == [claimed]
    assert len(mail.outbox) == 2


def test_a_backlog_is_worked_off_over_several_sweeps_most_urgent_first(
    clock, monkeypatch, jordan, northwind, sam
):
    monkeypatch.setattr("messagecenter.clock.reminders.SWEEP_BATCH", 2)
    asked = []
    for _ in range(7):
        asked.append(factories.buyer_message(factories.order(buyer=jordan, seller=northwind)))
        clock.advance(minutes=10)
    clock.set(asked[2].reply_due_at + timedelta(minutes=5))  # beat was down for a day

    sweeps = [reply_clock_sweep() for _ in range(3)]
    marked = [result.marked_late for result in sweeps]
    claims = [result.claimed for result in sweeps]

    assert marked == [2, 1, 0]  # three overdue, two a sweep
    assert [len(c) for c in claims] == [2, 2, 0]  # four due within 2 h, two a sweep
    first_two = ReplyReminder.objects.filter(pk__in=claims[0]).values_list("message", flat=True)
    assert sorted(first_two) == [asked[3].pk, asked[4].pk]
    assert Message.objects.exclude(late_at=None).count() == 3


def test_beats_task_works_off_a_backlog_batch_after_batch_in_one_run(
    clock, monkeypatch, jordan, northwind, sam, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("messagecenter.clock.reminders.SWEEP_BATCH", 2)
    asked = []
    for _ in range(7):
        asked.append(factories.buyer_message(factories.order(buyer=jordan, seller=northwind)))
        clock.advance(minutes=10)
    clock.set(asked[2].reply_due_at + timedelta(minutes=5))  # beat was down for a day

    with django_capture_on_commit_callbacks(execute=True):
        totals = sweep_reply_clocks()

    # Three overdue and four reminders due, two of each a batch: all in one beat tick.
    assert totals == {"batches": 3, "marked_late": 3, "claimed": 4, "requeued": 0}
    assert Message.objects.exclude(late_at=None).count() == 3
    assert sorted(ReplyReminder.objects.values_list("message", flat=True)) == [
        asked[3].pk,
        asked[4].pk,
        asked[5].pk,
        asked[6].pk,
    ]
    # Each reminder emailed once, to the team.
    assert ReplyReminder.objects.filter(outcome="sent").count() == 4
    assert len(mail.outbox) == 4


def test_a_run_stops_after_its_batches_and_the_next_goes_on(
    clock, monkeypatch, jordan, northwind, sam
):
    monkeypatch.setattr("messagecenter.clock.reminders.SWEEP_BATCH", 1)
    for _ in range(3):
        factories.buyer_message(factories.order(buyer=jordan, seller=northwind))
    clock.advance(hours=25)  # all three overdue

    first = reply_clock_catch_up(max_batches=2)
    assert [result.marked_late for result in first] == [1, 1]
    second = reply_clock_catch_up(max_batches=2)
    assert [result.marked_late for result in second] == [1, 0]
    assert Message.objects.filter(late_at__isnull=True, sender_side=Side.BUYER).count() == 0
