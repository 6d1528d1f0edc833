"""Production settings pass Django's deployment checks and refuse to run without a secret."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

MANAGE_PY = Path(__file__).resolve().parent.parent / "manage.py"

# Anything an operator might have set that changes what production looks like.
_INHERITED_SETTINGS = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "EMAIL_BACKEND",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # the test suite's own conftest sets it
)


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _INHERITED_SETTINGS}
    env.update(
        MESSAGECENTER_ENV="production",
        MESSAGECENTER_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="messagecenter.settings",
        ALLOWED_HOSTS="mc.example.com",
        SECRET_KEY=secrets.token_urlsafe(64),
    )
    env.update(overrides)
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MANAGE_PY), *args],
        env=env,
        cwd=MANAGE_PY.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = _production_env(tmp_path)
    assert len(env["SECRET_KEY"]) >= 50

    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]

    result = _manage(env, "check")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_an_empty_secret_key(tmp_path):
    result = _manage(_production_env(tmp_path, SECRET_KEY=""), "check")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_turns_debug_off_and_secures_cookies(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.ALLOWED_HOSTS)"
    )
    result = _manage(_production_env(tmp_path), "shell", "-c", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False True True True True ['mc.example.com']"


def test_an_empty_database_url_means_the_embedded_default(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in _INHERITED_SETTINGS}
    env.update(
        DATABASE_URL="",
        REDIS_URL="",
        MESSAGECENTER_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="messagecenter.settings",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['ENGINE'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=MANAGE_PY.parent,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"
