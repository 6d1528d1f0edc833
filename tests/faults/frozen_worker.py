"""A real worker that stops dead at a chosen email (mail_hooks.py), for the test to kill."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings

FREEZING_BACKEND = "tests.faults.mail_hooks.FreezingSmtpBackend"


def worker_frozen_at(start_worker, smtp_sink, tmp_path: Path, freeze: str, **env: str):
    """A worker that emails through smtp_sink and freezes at `freeze` ("before:N" or
    "after:N"); the worker and the file it writes when it gets there."""
    marker = tmp_path / "frozen"
    worker = start_worker(
        EMAIL_BACKEND=FREEZING_BACKEND,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_sink.port),
        FAULT_FREEZE=freeze,
        FAULT_MARKER=str(marker),
        **env,
    )
    return worker, marker


def wait_for(marker: Path, worker, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert time.monotonic() < deadline, f"the worker never got there:\n{worker.log_text()}"
        time.sleep(0.02)


def through_redis(point_celery_at, redis_key_prefix) -> None:
    """Tasks this process queues go through Redis, to the workers of this test only."""
    point_celery_at(
        settings.REDIS_URL, eager=False, transport_options={"global_keyprefix": redis_key_prefix}
    )
