"""A worker killed with SIGKILL in the middle of sending email.

Northwind's team is Sam, Avery and Casey; Jordan is their buyer. A real worker emails the
team, and the test kills it at a chosen email (tests/faults/mail_hooks.py stops it there).
Then the time of a lease passes and what beat runs is run: every member gets the email.
An email whose acceptance by the mail server had not been recorded when the worker died is
the only one that can go twice: SMTP cannot tell "accepted" and "recorded" apart for us.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from messagecenter.celery import app as celery_app
from messagecenter.clock.models import ReplyReminder
from messagecenter.clock.reminders import claim_reminders, queue_reminders, reply_clock_sweep
from messagecenter.messaging.models import Message
from messagecenter.notifications.tasks import queue_unsent_notifications
from tests import factories

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

FREEZING_BACKEND = "tests.faults.mail_hooks.FreezingSmtpBackend"


@pytest.fixture
def casey(db, northwind):
    return factories.member(northwind, "casey@northwind.example", "Casey Wong", role="agent")


@pytest.fixture
def team(sam, avery, casey) -> list[str]:
    return sorted([sam.email, avery.email, casey.email])


@pytest.fixture
def real_now_plus(monkeypatch):
    """Move this process's clock (timezone.now) by a delta from the real time."""
    real_now = timezone.now

    def move(**delta: float) -> None:
        monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(**delta))

    return move


@pytest.fixture
def recover_as_beat_and_a_worker(settings, smtp_sink):
    """From now on this process plays beat and a fresh worker: tasks run in place and send
    their email to the same SMTP server."""

    def switch() -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = smtp_sink.port
        settings.EMAIL_USE_TLS = False
        celery_app.conf.task_always_eager = True

    return switch


def _worker_frozen_at(start_worker, smtp_sink, tmp_path: Path, freeze: str):
    marker = tmp_path / "frozen"
    worker = start_worker(
        EMAIL_BACKEND=FREEZING_BACKEND,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_sink.port),
        FAULT_FREEZE=freeze,
        FAULT_MARKER=str(marker),
    )
    return worker, marker


def _wait_for(marker: Path, worker, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert time.monotonic() < deadline, f"the worker never got there:\n{worker.log_text()}"
        time.sleep(0.02)


def _through_redis(point_celery_at, redis_key_prefix) -> None:
    point_celery_at(
        settings.REDIS_URL, eager=False, transport_options={"global_keyprefix": redis_key_prefix}
    )


# --- Notification emails ----------------------------------------------------------------------


def test_a_worker_killed_between_two_members_emails_loses_no_notification(
    tmp_path,
    start_worker,
    smtp_sink,
    recover_as_beat_and_a_worker,
    point_celery_at,
    redis_key_prefix,
    real_now_plus,
    team,
    jordans_order,
):
    worker, marker = _worker_frozen_at(start_worker, smtp_sink, tmp_path, "before:2")
    _through_redis(point_celery_at, redis_key_prefix)

    message = factories.buyer_message(jordans_order, "Is the sage duvet cover back in stock?")
    _wait_for(marker, worker)
    worker.kill()  # the first member's email was accepted, the other two not yet sent
    [first] = smtp_sink.recipients()

    # Beat's rescan, once the dead worker's claim has run out.
    real_now_plus(minutes=10)
    recover_as_beat_and_a_worker()
    queue_unsent_notifications()

    assert smtp_sink.recipients() == team, "each member gets the email exactly once"
    assert first in team
    message.refresh_from_db()
    assert message.notification_sent_at is not None
    assert queue_unsent_notifications() == 0
    assert len(smtp_sink.accepted) == 3


def test_only_the_email_in_flight_when_the_worker_died_can_go_twice(
    tmp_path,
    start_worker,
    smtp_sink,
    recover_as_beat_and_a_worker,
    point_celery_at,
    redis_key_prefix,
    real_now_plus,
    team,
    jordans_order,
):
    worker, marker = _worker_frozen_at(start_worker, smtp_sink, tmp_path, "after:2")
    _through_redis(point_celery_at, redis_key_prefix)

    factories.buyer_message(jordans_order, "Can you gift-wrap it?")
    _wait_for(marker, worker)
    worker.kill()  # the second email was accepted; the worker died before it could note it
    first, in_flight = (mail.to[0] for mail in smtp_sink.accepted)

    real_now_plus(minutes=10)
    recover_as_beat_and_a_worker()
    queue_unsent_notifications()

    counts = Counter(smtp_sink.recipients())
    assert sorted(counts) == team, "nobody is left without the email"
    assert counts[first] == 1
    assert counts[in_flight] == 2
    assert sum(counts.values()) == 4


# --- Reply reminders --------------------------------------------------------------------------


def test_a_worker_killed_mid_reminder_sends_each_member_one_reminder(
    tmp_path,
    start_worker,
    smtp_sink,
    recover_as_beat_and_a_worker,
    point_celery_at,
    redis_key_prefix,
    real_now_plus,
    team,
    jordans_order,
):
    # Jordan wrote 13 hours ago: the 12-hour reminder is due now.
    real_now_plus(hours=-13)
    question = factories.buyer_message(jordans_order, "Will it arrive before Friday?")
    real_now_plus()
    with transaction.atomic():
        [reminder_id] = claim_reminders(timezone.now())
    worker, marker = _worker_frozen_at(start_worker, smtp_sink, tmp_path, "before:3")
    _through_redis(point_celery_at, redis_key_prefix)

    queue_reminders([reminder_id])
    _wait_for(marker, worker)
    worker.kill()  # two members reminded, the third not yet
    assert len(smtp_sink.accepted) == 2

    # The sweep after the dead worker's lease ran out queues the reminder again.
    real_now_plus(minutes=10)
    recover_as_beat_and_a_worker()
    assert reply_clock_sweep().requeued == [reminder_id]

    assert smtp_sink.recipients() == team, "each member is reminded exactly once"
    assert all(mail.subject.startswith("Answer due in ") for mail in smtp_sink.accepted)
    reminder = ReplyReminder.objects.get(pk=reminder_id)
    assert (reminder.outcome, reminder.recipient_count) == ("sent", 3)
    assert reply_clock_sweep().requeued == []
    assert Message.objects.get(pk=question.pk).clock_running
