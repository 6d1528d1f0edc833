#!/bin/sh
# Entrypoint of the Message Center image (Dockerfile; docker-compose.yml uses it for every
# application service).
#
#   docker-entrypoint.sh migrate [ARGS]   `manage.py migrate --noinput [ARGS]`; with DEMO_DATA=1
#                                         it then loads the demo marketplace (`manage.py
#                                         seed_demo`: users with a known password)
#   docker-entrypoint.sh CMD ...          run CMD (uvicorn, celery, python manage.py ...)
#
# In production (MESSAGECENTER_ENV=production, the image's default) nothing runs without a
# real SECRET_KEY: set, at least 50 characters with 5 different ones, and not a
# "django-insecure-" key. These are the conditions of Django's own deployment check
# (security.W009); messagecenter/settings.py itself only refuses an empty one.
set -eu

# The same words as env_bool() in messagecenter/settings.py.
env_on() {
    case "$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]' | tr -d '[:space:]')" in
        1 | true | yes | on) return 0 ;;
        *) return 1 ;;
    esac
}

fail() {
    echo "docker-entrypoint: $*" >&2
    exit 1
}

environment=$(printf '%s' "${MESSAGECENTER_ENV:-development}" | tr '[:upper:]' '[:lower:]' | tr -d '[:space:]')
if [ "$environment" = production ]; then
    key=${SECRET_KEY:-}
    hint="generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    [ -n "$key" ] || fail "SECRET_KEY is not set; $hint"
    case "$key" in
        django-insecure-*) fail "SECRET_KEY is a django-insecure- key; $hint" ;;
        # The throwaway keys of the image build and of development settings.
        build-only-collectstatic | dev-only-insecure-key-never-use-in-production)
            fail "SECRET_KEY is a known non-secret value; $hint" ;;
    esac
    [ "${#key}" -ge 50 ] || fail "SECRET_KEY is shorter than 50 characters; $hint"
    unique=$(printf '%s' "$key" | fold -w 1 | sort -u | wc -l)
    [ "$unique" -ge 5 ] || fail "SECRET_KEY has fewer than 5 different characters; $hint"
fi

if [ "${1:-}" = migrate ]; then
    shift
    python manage.py migrate --noinput "$@"
    if env_on "${DEMO_DATA:-0}"; then
        echo "DEMO_DATA is on: loading the demo marketplace (logins with a known password)."
        python manage.py seed_demo
    fi
    exit 0
fi

exec "$@"
