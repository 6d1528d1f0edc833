"""`python -m tests.faults.run_web PREFIX [gunicorn options]`: gunicorn serving the app,
with every Redis key its tasks are queued under starting with PREFIX, so what a test's
server queues stays that test run's (and is deleted with its keys)."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")

import django

django.setup()

from gunicorn.app.wsgiapp import run  # noqa: E402

from messagecenter.celery import app  # noqa: E402

if __name__ == "__main__":
    prefix, options = sys.argv[1], sys.argv[2:]
    # Set before gunicorn forks its worker, which inherits it.
    app.conf.broker_transport_options = {
        **(app.conf.broker_transport_options or {}),
        "global_keyprefix": prefix,
    }
    sys.argv = ["gunicorn", *options, "messagecenter.wsgi:application"]
    run()
