#!/usr/bin/env bash
# `make run`: prepare the database, load the demo, and serve with a Celery worker and beat.
# Without DATABASE_URL / REDIS_URL it uses SQLite and an on-disk broker under var/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var

$PY manage.py migrate --noinput
$PY manage.py seed_demo

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/celery -A messagecenter worker --loglevel=INFO --concurrency=2 >var/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A messagecenter beat --loglevel=INFO >var/beat.log 2>&1 &
pids+=($!)
$PY manage.py run_smtp >var/smtp.log 2>&1 &
pids+=($!)

cat <<MSG

  Message Center is starting on http://127.0.0.1:8000
  Celery worker log: var/worker.log   beat log: var/beat.log   sent email: var/sent-mail/
  Mail for masked addresses: SMTP on ${SMTP_RELAY_HOST:-127.0.0.1}:${SMTP_RELAY_PORT:-2525} (log: var/smtp.log)

MSG
$PY manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
