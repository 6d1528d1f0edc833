"""The reminder sweep beat runs every minute, and the reminder emails it queues.

The sweep reads only conversations with a buyer waiting, through partial indexes, so its
cost follows what is due, not how many conversations exist, and it does at most
SWEEP_BATCH rows of each kind per batch, the most urgent first (beat's task runs batches
while a backlog lasts, ``reply_clock_catch_up``):
- it marks late the buyer messages whose clock has just passed its due time;
- it claims the reminders whose point has come (REPLY_REMINDER_HOURS_BEFORE, 12 h and 2 h
  before the due time by default) by inserting ReplyReminder rows with ON CONFLICT DO
  NOTHING ... RETURNING, so of two sweeps at once only one gets each row, and it queues
  only those;
- it queues again reminders that were claimed but never finished (the broker was down,
  or a worker died mid-send and its lease ran out).

A conversation gets the reminder of the point it is at: due within 2 h, the 2-hour one;
within 12 h, the 12-hour one. A point missed while beat was down is not sent late
once a nearer point has come.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.sanitize import preview_text
from messagecenter.accounts.locale import in_the_locale_of
from messagecenter.accounts.models import User
from messagecenter.accounts.preferences import Kind, wants_now
from messagecenter.clock.events import RemindersClaimed
from messagecenter.clock.models import ReminderEmailSent, ReplyReminder
from messagecenter.core.events import publish
from messagecenter.core.mail_delivery import send_each_recorded
from messagecenter.core.tasks import enqueue
from messagecenter.messaging.models import CLOCK_RUNNING, Message
from messagecenter.threads.assignment import team_members
from messagecenter.threads.models import Conversation
from messagecenter.threads.reply_due import DueState, utc

logger = logging.getLogger(__name__)

# A worker that claimed a reminder and went silent this long is taken for dead.
SENDING_LEASE = timedelta(minutes=5)
# Reminders are queued in batches: a busy minute costs a few broker messages, not one each.
QUEUE_BATCH = 100
SEND_REMINDERS_TASK = "clock.send_reply_reminders"
# A reminder queued this long ago and not finished is queued again.
REQUEUE_AFTER = timedelta(minutes=5)
# At most this many rows of each kind per batch, one transaction each: after an outage, a
# backlog is worked off batch after batch (the most urgent first) instead of in one long
# transaction. bench/deadlines.py (a million conversations, 20,000 clocks overdue) on a
# 2-core machine shared with other work: batches of 500 took 50-330 ms, of 200 45-255 ms
# (most of it writing the rows and flushing them at COMMIT); of 100, 50-170 ms, under the
# 200 ms per batch issue #13 asks even there.
SWEEP_BATCH = 100
# Batches one beat tick runs while the backlog lasts: up to 2,000 rows of each kind a minute,
# and the tick's run ends in a few seconds, well before the next.
SWEEP_BATCHES_PER_RUN = 20


@dataclass
class SweepResult:
    marked_late: int = 0
    claimed: list[int] = field(default_factory=list)
    requeued: list[int] = field(default_factory=list)


def reminder_bands(now: datetime) -> list[tuple[int, datetime, datetime]]:
    """(hours before, from, to): a conversation due in (from, to] is at that point."""
    bands = []
    nearer = 0
    for hours in sorted(settings.REPLY_REMINDER_HOURS_BEFORE):
        bands.append((hours, now + timedelta(hours=nearer), now + timedelta(hours=hours)))
        nearer = hours
    return bands


def mark_late(now: datetime, limit: int = SWEEP_BATCH) -> int:
    """Mark late the waiting buyer messages whose due time has passed (late_at = due),
    the longest overdue first, at most `limit` of them, in one statement.

    The batch is claimed with FOR UPDATE SKIP LOCKED: a second sweep running at the same
    time, or a reply landing in one of these conversations, takes other rows instead of
    waiting for this transaction (a message being answered just then is left for the
    next sweep, which finds it answered).
    """
    turning_late = (
        Message.objects.filter(CLOCK_RUNNING, late_at__isnull=True, reply_due_at__lte=now)
        .order_by("reply_due_at")
        .select_for_update(skip_locked=True)
    )
    return Message.objects.filter(pk__in=turning_late.values("pk")[:limit]).update(
        late_at=F("reply_due_at")
    )


def _claim_sql() -> str:
    # Only the models' own table names are formatted in; every value is a parameter.
    reminder = ReplyReminder._meta.db_table
    return f"""
        INSERT INTO {reminder}
            (message_id, conversation_id, hours_before, due_at, created_at, queued_at,
             outcome, recipient_count)
        SELECT m.id, c.id, %s, c.reply_due_at, %s, %s, '', 0
        FROM {Conversation._meta.db_table} c
        JOIN {Message._meta.db_table} m
          ON m.conversation_id = c.id AND m.reply_due_at = c.reply_due_at
        WHERE c.reply_due_at IS NOT NULL AND c.reply_due_at > %s AND c.reply_due_at <= %s
          AND m.reply_due_at IS NOT NULL AND m.answered_at IS NULL
          AND m.no_response_needed_at IS NULL
          AND NOT EXISTS (
            SELECT 1 FROM {reminder} r WHERE r.message_id = m.id AND r.hours_before = %s
          )
        ORDER BY c.reply_due_at
        LIMIT %s
        ON CONFLICT DO NOTHING
        RETURNING id
    """  # noqa: S608


def claim_reminders(now: datetime, limit: int = SWEEP_BATCH) -> list[int]:
    """Create the reminder rows whose point has come, the soonest due first and at most
    `limit` per point; the ids this call created."""
    adapt = connection.ops.adapt_datetimefield_value
    claimed: list[int] = []
    with connection.cursor() as cursor:
        for hours, after, until in reminder_bands(now):
            moment = adapt(now)
            cursor.execute(
                _claim_sql(), [hours, moment, moment, adapt(after), adapt(until), hours, limit]
            )
            claimed.extend(row[0] for row in cursor.fetchall())
    return claimed


def requeue_unfinished(now: datetime, limit: int = SWEEP_BATCH) -> list[int]:
    """Reminders queued a while ago and never finished, still worth sending: the broker was
    down, or a worker died mid-send and its lease is over. Each is handed over again at
    most once per REQUEUE_AFTER, so an outage does not pile copies up in the queue."""
    ids = list(
        ReplyReminder.objects.filter(
            finished_at__isnull=True, queued_at__lt=now - REQUEUE_AFTER, due_at__gt=now
        )
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lt=now - SENDING_LEASE))
        .order_by("queued_at")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        ReplyReminder.objects.filter(pk__in=ids).update(queued_at=now)
    return ids


def reply_clock_sweep(now: datetime | None = None) -> SweepResult:
    """One sweep: mark late, claim the reminders due, queue them after commit."""
    now = utc(now or timezone.now())
    result = SweepResult()
    with transaction.atomic():
        result.marked_late = mark_late(now, limit=SWEEP_BATCH)
        result.claimed = claim_reminders(now, limit=SWEEP_BATCH)
        if result.claimed:
            publish(RemindersClaimed(tuple(result.claimed)))
        result.requeued = requeue_unfinished(now, limit=SWEEP_BATCH)
        to_queue = result.claimed + result.requeued
        if to_queue:
            transaction.on_commit(lambda: queue_reminders(to_queue))
    return result


def reply_clock_catch_up(max_batches: int = SWEEP_BATCHES_PER_RUN) -> list[SweepResult]:
    """What beat runs every minute: a sweep, and more, each its own batch and transaction,
    while the last one found a full batch of something to do (a backlog after an outage),
    at most ``max_batches``. Each batch is committed, and its reminders queued, before the
    next starts."""
    results = [reply_clock_sweep()]
    while len(results) < max_batches and _batch_was_full(results[-1]):
        results.append(reply_clock_sweep())
    return results


def _batch_was_full(result: SweepResult) -> bool:
    return (
        result.marked_late >= SWEEP_BATCH
        or len(result.claimed) >= SWEEP_BATCH
        or len(result.requeued) >= SWEEP_BATCH
    )


def queue_reminders(reminder_ids: list[int]) -> None:
    """Hand reminders to the broker in batches; if it is down, the next sweeps retry."""
    for start in range(0, len(reminder_ids), QUEUE_BATCH):
        if not enqueue(SEND_REMINDERS_TASK, reminder_ids[start : start + QUEUE_BATCH]):
            return


# --- Sending one reminder -----------------------------------------------------------------


def reminder_recipients(conversation: Conversation) -> list[User]:
    """The assignee while they are an active team member; otherwise the whole team."""
    members = team_members(conversation.seller_id)
    assigned = [m for m in members if m.pk == conversation.assigned_to_id]
    return assigned or members


def _finish(reminder_id: int, outcome: str, count: int = 0) -> None:
    ReplyReminder.objects.filter(pk=reminder_id).update(
        finished_at=timezone.now(), outcome=outcome, recipient_count=count, sending_since=None
    )


def reply_reminder_send(*, reminder_id: int, now: datetime | None = None) -> int:
    """Send one reminder, once to each member; the number of emails sent by this run.

    The send is claimed with a lease: a second run while the first is sending does
    nothing, and a run after the first died (lease over) sends it. Each member's email is
    recorded once the mail server accepted it, and a run only emails the members not yet
    recorded. A failed send is released so the task's retry can go on from there.
    """
    now = now or timezone.now()
    claimed = (
        ReplyReminder.objects.filter(pk=reminder_id, finished_at__isnull=True)
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lt=now - SENDING_LEASE))
        .update(sending_since=now)
    )
    if not claimed:
        return 0
    try:
        return _send(reminder_id, now)
    except Exception:
        ReplyReminder.objects.filter(pk=reminder_id, finished_at__isnull=True).update(
            sending_since=None
        )
        raise


def _send(reminder_id: int, now: datetime) -> int:
    reminder = ReplyReminder.objects.select_related(
        "message", "conversation__buyer", "conversation__seller", "conversation__order"
    ).get(pk=reminder_id)
    message, conversation = reminder.message, reminder.conversation
    if not message.clock_running or now >= reminder.due_at:
        _finish(reminder_id, ReplyReminder.Outcome.NOT_NEEDED)
        return 0
    recipients = reminder_recipients(conversation)
    wanted = wants_now(recipients, Kind.REPLY_DUE)
    if not wanted:
        _finish(reminder_id, ReplyReminder.Outcome.NOBODY)
        return 0
    done = set(reminder.emails.values_list("recipient_id", flat=True))

    def emails() -> Iterator[tuple[User, EmailMessage]]:
        for user in wanted:
            if user.pk not in done:
                yield (
                    user,
                    build_reminder_email(reminder, user, assigned=len(recipients) == 1, now=now),
                )

    def record(user: User) -> None:
        moment = timezone.now()
        ReminderEmailSent.objects.create(reminder=reminder, recipient=user, sent_at=moment)
        # Still alive: renew the lease while a large team is being emailed.
        ReplyReminder.objects.filter(pk=reminder_id).update(sending_since=moment)

    sent = send_each_recorded(emails(), record=record)
    _finish(reminder_id, ReplyReminder.Outcome.SENT, reminder.emails.count())
    return sent


def build_reminder_email(
    reminder: ReplyReminder, recipient: User, *, assigned: bool, now: datetime
) -> EmailMultiAlternatives:
    """The reminder: who is waiting, since when, by when to answer, and the link.

    Names the buyer as the conversation does (never their address).
    """
    with in_the_locale_of(recipient):
        conversation = reminder.conversation
        state = DueState(reminder.due_at, now)
        context = {
            "recipient": recipient,
            "buyer_name": conversation.buyer.public_name,
            "conversation": conversation,
            "message": reminder.message,
            "preview": preview_text(reminder.message.body_html, limit=300),
            "due_at": reminder.due_at,
            "left": state.in_words,
            "assigned": assigned and conversation.assigned_to_id == recipient.pk,
            "reply_within_hours": settings.REPLY_WITHIN_HOURS,
            "conversation_url": settings.SITE_URL
            + reverse("seller_conversation", args=[conversation.pk]),
            "settings_url": settings.SITE_URL + reverse("notification_settings"),
        }
        return EmailMultiAlternatives(
            # Translators: a reminder's subject: the time left to answer ("5 h", "40 min") and
            # the conversation's subject.
            subject=_("Answer due in %(time)s: %(subject)s")
            % {"time": state.coarse_time, "subject": conversation.subject},
            body=render_to_string("email/reply_reminder.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers={
                "Auto-Submitted": "auto-generated",
                "X-Auto-Response-Suppress": "OOF, AutoReply",
            },
        )
