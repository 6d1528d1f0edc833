"""`make run` as a newcomer starts it: on the port they choose, with links that follow it,
keeping the earlier logs, and without installing the test tools.

The start script runs with stand-ins for Python and Celery (they record how they were
called and return at once), so the test checks the script itself, not Django starting.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN_DEV = ROOT / "scripts" / "run-dev.sh"

# Each stand-in writes its output, then records its call. The web server's waits until the
# three background ones have, as the real one keeps running while they work.
_STAND_IN = """#!/usr/bin/env bash
if [ "$2" = uvicorn ]; then
  for _ in $(seq 1 200); do
    [ "$(grep -c -e ' worker ' -e ' beat ' -e run_smtp "$CALLS" 2>/dev/null)" -ge 3 ] && break
    sleep 0.05
  done
fi
echo "output of $(basename "$0") $1 $2"
echo "$(basename "$0") $* SITE_URL=${SITE_URL:-}" >> "$CALLS"
"""


def _start(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name in ("python", "celery"):
        stand_in = bin_dir / name
        stand_in.write_text(_STAND_IN)
        stand_in.chmod(0o755)
    calls = tmp_path / "calls.txt"
    clean = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "SITE_URL")}
    finished = subprocess.run(
        ["bash", str(RUN_DEV)],
        env={
            **clean,
            "PY": str(bin_dir / "python"),
            "CELERY": str(bin_dir / "celery"),
            "CALLS": str(calls),
            "MESSAGECENTER_VAR_DIR": str(tmp_path / "var"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    return finished, calls.read_text().splitlines() if calls.exists() else []


def test_the_port_and_host_chosen_are_served_announced_and_linked(tmp_path):
    finished, calls = _start(tmp_path, HOST="127.0.0.2", PORT="8123")

    assert finished.returncode == 0, finished.stderr
    assert "Message Center is starting on http://127.0.0.2:8123" in finished.stdout
    assert "8000" not in finished.stdout
    # The ASGI server (pages and the live updates' websockets), as in production.
    [server] = [call for call in calls if " uvicorn " in call]
    assert "uvicorn messagecenter.asgi:application --host 127.0.0.2 --port 8123" in server
    assert server.endswith("SITE_URL=http://127.0.0.2:8123")
    workers = [call for call in calls if call.startswith("celery")]
    assert workers and all("SITE_URL=http://127.0.0.2:8123" in call for call in workers)


def test_every_interface_links_to_this_machine(tmp_path):
    finished, calls = _start(tmp_path, HOST="0.0.0.0", PORT="9000")

    assert "starting on http://127.0.0.1:9000" in finished.stdout
    [server] = [call for call in calls if " uvicorn " in call]
    assert "--host 0.0.0.0 --port 9000" in server
    assert server.endswith("SITE_URL=http://127.0.0.1:9000")


def test_an_ipv6_address_is_given_to_the_server_without_brackets(tmp_path):
    finished, calls = _start(tmp_path, HOST="::1", PORT="8123")

    assert "starting on http://[::1]:8123" in finished.stdout
    [server] = [call for call in calls if " uvicorn " in call]
    assert "--host ::1 --port 8123" in server


def test_a_site_url_that_is_set_is_kept(tmp_path):
    finished, calls = _start(tmp_path, PORT="8123", SITE_URL="https://mc.example.com")

    assert "Links in email point at https://mc.example.com" in finished.stdout
    [server] = [call for call in calls if " uvicorn " in call]
    assert "--host 127.0.0.1 --port 8123" in server
    assert server.endswith("SITE_URL=https://mc.example.com")


def test_each_start_appends_to_the_logs(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    for log in ("worker", "beat", "smtp"):
        (var / f"{log}.log").write_text(f"{log} log of the earlier run\n")

    _start(tmp_path)
    _start(tmp_path)

    for log in ("worker", "beat", "smtp"):
        text = (var / f"{log}.log").read_text()
        assert text.startswith(f"{log} log of the earlier run\n")
        assert text.count("=== make run started") == 2
    assert "output of celery -A messagecenter" in (var / "worker.log").read_text()
    assert "output of python manage.py run_smtp" in (var / "smtp.log").read_text()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"HOST": "localhost", "PORT": "8123"}, "http://localhost:8123"),
        ({"HOST": "::1", "PORT": "8123"}, "http://[::1]:8123"),
        ({"PORT": "8123", "SITE_URL": "https://mc.example.com/"}, "https://mc.example.com"),
    ],
)
def test_site_url_follows_host_and_port_unless_set(env, expected):
    clean = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "SITE_URL")}
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SITE_URL)",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "messagecenter.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert printed.stdout.strip() == expected, printed.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_installs_the_runtime_only_and_make_test_the_dev_tools(tmp_path):
    def planned(target: str) -> str:
        return subprocess.run(
            ["make", "-n", "-C", str(ROOT), target, f"VENV={tmp_path / 'venv'}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout

    run = planned("run")
    assert "pip install --quiet -e ." in run
    assert "[dev]" not in run and "npm" not in run

    test = planned("test")
    assert "pip install --quiet -e '.[dev]'" in test
    assert "npm ci" in test
