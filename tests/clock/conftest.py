"""A clock the tests control, and helpers to run the sweep as beat would.

Every test here starts on Friday 7 March 2025, 15:00 UTC, and moves time on by hand:
`clock.advance(hours=23, minutes=59)`. Django's timezone.now() is what the code reads,
so the database rows, the pages and the emails all see the same moment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from messagecenter.clock.reminders import SweepResult, reply_clock_sweep

START = datetime(2025, 3, 7, 15, 0, tzinfo=UTC)  # a Friday afternoon


class Clock:
    """Like Django's timezone.now(): always UTC, so advancing it adds real time."""

    def __init__(self, start: datetime) -> None:
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when.astimezone(UTC)

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    controlled = Clock(START)
    monkeypatch.setattr(timezone, "now", controlled)
    return controlled


@pytest.fixture
def sweep(django_capture_on_commit_callbacks) -> Callable[[], SweepResult]:
    """Run one sweep and the reminder tasks it queues (eagerly), as beat and a worker do."""

    def run() -> SweepResult:
        with django_capture_on_commit_callbacks(execute=True):
            return reply_clock_sweep()

    return run
