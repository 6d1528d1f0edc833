"""`python -m tests.faults.run_worker PREFIX [worker options]`: a real Celery worker whose
Redis keys all start with PREFIX, so it only sees the queues of the test that started it
(parallel test processes share one Redis database)."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")

import django

django.setup()

from messagecenter.celery import app  # noqa: E402

if __name__ == "__main__":
    prefix, options = sys.argv[1], sys.argv[2:]
    app.conf.broker_transport_options = {
        **(app.conf.broker_transport_options or {}),
        "global_keyprefix": prefix,
    }
    app.worker_main(["worker", *options])
