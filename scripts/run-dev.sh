#!/usr/bin/env bash
# `make run`: prepare the database, load the demo, and serve (uvicorn, ASGI: the pages and
# the live updates' websockets) with a Celery worker and beat.
# Without DATABASE_URL / REDIS_URL it uses SQLite and an on-disk broker under var/.
#
# HOST and PORT choose where the web server listens (default 127.0.0.1:8000). SITE_URL, the
# address links in email point at, follows them unless it is set.
# Each start appends to the worker, beat and SMTP logs.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
CELERY=${CELERY:-.venv/bin/celery}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
VAR_DIR=${MESSAGECENTER_VAR_DIR:-var}
mkdir -p "$VAR_DIR"

# An IPv6 address is written in brackets before the port.
listen_host=$HOST
case "$HOST" in \[*) ;; *:*) listen_host="[$HOST]" ;; esac
# A server listening on every interface is still opened at 127.0.0.1 from this machine.
case "$listen_host" in
  0.0.0.0 | "[::]") link_host=127.0.0.1 ;;
  *) link_host=$listen_host ;;
esac
URL="http://${link_host}:${PORT}"
export SITE_URL=${SITE_URL:-$URL}

$PY manage.py migrate --noinput
$PY manage.py seed_demo

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

started="=== make run started $(date -u '+%Y-%m-%d %H:%M:%S UTC') ==="
for log in worker beat smtp; do echo "$started" >>"$VAR_DIR/$log.log"; done
# Both queues: email and webhooks ("celery") and the clock's sweeps and reminders ("clock").
# The worker takes from each in turn, so the clock never waits behind a backlog of email.
$CELERY -A messagecenter worker --queues=celery,clock --loglevel=INFO --concurrency=2 >>"$VAR_DIR/worker.log" 2>&1 &
pids+=($!)
$CELERY -A messagecenter beat --loglevel=INFO >>"$VAR_DIR/beat.log" 2>&1 &
pids+=($!)
$PY manage.py run_smtp >>"$VAR_DIR/smtp.log" 2>&1 &
pids+=($!)

cat <<MSG

  Message Center is starting on ${URL} (listening on ${listen_host}:${PORT})
  Links in email point at ${SITE_URL} (SITE_URL)
  Celery worker log: ${VAR_DIR}/worker.log   beat log: ${VAR_DIR}/beat.log   sent email: ${VAR_DIR}/sent-mail/
  Mail for masked addresses: SMTP on ${SMTP_RELAY_HOST:-127.0.0.1}:${SMTP_RELAY_PORT:-2525} (log: ${VAR_DIR}/smtp.log)

MSG
# The ASGI server, as in production (README.md): pages and the live updates' websockets.
# It serves the static files in development (messagecenter/asgi.py) and reloads on a code
# change, as runserver did.
bare_host=${HOST#[}
bare_host=${bare_host%]}
$PY -m uvicorn messagecenter.asgi:application --host "$bare_host" --port "$PORT" \
  --reload --reload-dir messagecenter --reload-dir orders --reload-dir compliance --reload-dir templates
