"""The clock's work has a queue of its own, and every way of running the app consumes it.

A worker that does not listen to the "clock" queue would leave the sweeps and reminders
unrun; one that does not listen to "celery" would leave the email. The fault test
tests/faults/test_clock_queue.py shows the sweep overtaking a backlog of email.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from messagecenter.celery import CLOCK_QUEUE, CLOCK_TASKS, DEFAULT_QUEUE
from messagecenter.celery import app as celery_app
from messagecenter.notifications.tasks import (
    SEND_ASSIGNMENT_NOTICE,
    SEND_BOUNCE_NOTICE,
    SEND_MENTION_NOTICE,
    SEND_MESSAGE_NOTIFICATION,
    SEND_REVIEW_DECISION_NOTICE,
)

ROOT = Path(__file__).resolve().parent.parent


def _queue_of(task_name: str) -> str:
    route = celery_app.amqp.router.route({}, task_name)
    return route["queue"].name


def _queues(command: str) -> set[str]:
    found = re.search(r"--queues[= ](\S+)", command)
    return set(found.group(1).strip("\"',]").split(",")) if found else set()


def test_every_periodic_task_but_the_digest_runs_on_the_clock_queue():
    celery_app.loader.import_default_modules()
    periodic = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}

    assert set(CLOCK_TASKS) <= set(celery_app.tasks), "a name in CLOCK_TASKS is no task"
    assert periodic - set(CLOCK_TASKS) == {"notifications.send_daily_digests"}
    assert {_queue_of(name) for name in CLOCK_TASKS} == {CLOCK_QUEUE}
    assert _queue_of("clock.send_reply_reminders") == CLOCK_QUEUE


def test_email_and_webhooks_run_on_the_default_queue():
    for name in (
        SEND_MESSAGE_NOTIFICATION,
        SEND_BOUNCE_NOTICE,
        SEND_REVIEW_DECISION_NOTICE,
        SEND_ASSIGNMENT_NOTICE,
        SEND_MENTION_NOTICE,
        "notifications.send_daily_digests",
        "webhooks.deliver_webhook",
    ):
        assert _queue_of(name) == DEFAULT_QUEUE, name


def test_a_worker_started_without_queues_consumes_both():
    assert {queue.name for queue in celery_app.conf.task_queues} == {DEFAULT_QUEUE, CLOCK_QUEUE}


def test_make_run_starts_a_worker_for_both_queues():
    script = (ROOT / "scripts" / "run-dev.sh").read_text()
    [worker] = [line for line in script.splitlines() if "messagecenter worker" in line]

    assert _queues(worker) == {DEFAULT_QUEUE, CLOCK_QUEUE}


def test_compose_runs_both_queues_and_a_worker_for_the_clock_alone():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    workers = {
        name: _queues(" ".join(service["command"]))
        for name, service in services.items()
        if "worker" in service.get("command", [])
    }

    assert set().union(*workers.values()) == {DEFAULT_QUEUE, CLOCK_QUEUE}
    assert {CLOCK_QUEUE} in workers.values()


def test_the_readme_tells_operators_to_consume_both_queues():
    readme = (ROOT / "README.md").read_text()

    assert "--queues=celery,clock" in readme
    assert "--queues=clock" in readme
