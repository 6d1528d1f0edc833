"""Beat's sweep of the reply clock does not wait behind a backlog of email.

Sam's messages to eight buyers wait to be emailed through a slow mail server when beat queues
the minute's sweep. The worker, started as `make run` starts it, runs the sweep next,
not after the eight emails: Jordan's overdue question is marked late while most of the
backlog is still waiting.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from celery.beat import ScheduleEntry, Scheduler
from django.conf import settings
from django.utils import timezone

from messagecenter.celery import app as celery_app
from messagecenter.messaging.models import Message
from tests import factories
from tests.faults.processes import ROOT
from tests.faults.smtp_sink import SmtpSink

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

BACKLOG = 8


def _make_run_worker_queues() -> str:
    """The queues of the worker `make run` starts (scripts/run-dev.sh)."""
    script = (ROOT / "scripts" / "run-dev.sh").read_text()
    found = re.search(r"\$CELERY -A messagecenter worker .*?--queues=(\S+)", script)
    assert found, "make run's worker does not name its queues"
    return found.group(1)


def _beat_queues(entry_name: str) -> None:
    """What beat does with the schedule entry in messagecenter/celery.py."""
    entry = ScheduleEntry(
        name=entry_name, app=celery_app, **celery_app.conf.beat_schedule[entry_name]
    )
    Scheduler(app=celery_app, lazy=True).apply_async(entry, advance=False)


def test_the_sweep_runs_before_a_backlog_of_email(
    monkeypatch, point_celery_at, redis_key_prefix, start_worker, jordan, sam, jordans_order
):
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - timedelta(hours=25))
    overdue = factories.buyer_message(jordans_order, "Is anyone there?")  # emailed in place
    monkeypatch.setattr(timezone, "now", real_now)
    slow_relay = SmtpSink(delay=0.2).start()
    try:
        point_celery_at(
            settings.REDIS_URL,
            eager=False,
            transport_options={"global_keyprefix": redis_key_prefix},
        )
        buyers = [factories.user(f"buyer{i}@example.com", f"Buyer {i}") for i in range(BACKLOG)]
        for buyer in buyers:
            factories.seller_message(factories.order(buyer=buyer, seller=jordans_order.seller), sam)
        _beat_queues("sweep-reply-clocks")

        worker = start_worker(
            queues=_make_run_worker_queues(),
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(slow_relay.port),
        )
        deadline = time.monotonic() + 20
        while Message.objects.get(pk=overdue.pk).late_at is None:
            assert time.monotonic() < deadline, f"no sweep in 20 s:\n{worker.log_text()}"
            time.sleep(0.05)
        emailed_before_the_sweep = len(slow_relay.accepted)
        slow_relay.wait_for(BACKLOG)  # and the backlog is still worked off
    finally:
        slow_relay.stop()

    assert emailed_before_the_sweep <= 2, (
        f"the sweep waited for {emailed_before_the_sweep} of {BACKLOG} emails"
    )
    assert sorted(slow_relay.recipients()) == sorted(buyer.email for buyer in buyers)
