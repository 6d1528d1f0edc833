"""On PostgreSQL the server binds the parameters, so a statement run again and again on a
connection is prepared there once (its plan kept), unless the operator turns it off for a
pooler that cannot keep prepared statements."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from messagecenter.core.one_round_trip import rows_in_one_round_trip, rows_of_each

MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"

pytestmark = pytest.mark.postgresql("prepared statements")


def _prepared(fragment: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{fragment}%"],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_a_statement_run_again_and_again_is_prepared_on_its_connection():
    sql = "SELECT %s::int + 1 AS prepared_statement_probe"
    with connection.cursor() as cursor:
        for n in range(settings.PREPARE_AFTER_USES):
            cursor.execute(sql, [n])
        assert _prepared("prepared_statement_probe") == []

        cursor.execute(sql, [41])
        assert cursor.fetchone() == (42,)

    # Parameters are bound by the server: the kept statement has placeholders, not values.
    assert _prepared("AS prepared_statement_probe") == [
        "SELECT $1::int + 1 AS prepared_statement_probe"
    ]


@pytest.mark.django_db
def test_several_statements_in_one_string_still_go_together_with_their_values():
    # The database binds one statement at a time; the one-round-trip reads write the values
    # into the string instead, quoted by the connection's own adapters.
    moment = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    for _ in range(settings.PREPARE_AFTER_USES + 1):
        first, second = rows_in_one_round_trip(
            [
                ("SELECT %s::timestamptz, %s::text", [moment, "50% off; it's 'quoted'"]),
                ("SELECT %s::numeric", ["12.50"]),
            ],
            settings=(),
        )
        assert first == [(moment, "50% off; it's 'quoted'")]
        assert [str(value) for (value,) in second] == ["12.50"]


@pytest.mark.django_db
def test_one_statement_for_one_round_trip_is_prepared_as_any_query():
    # A page's single read (a message window alone) is not written into a string of
    # values, which the server would plan on every load.
    sql = "SELECT %s::int * 2 AS single_read_probe"
    for n in range(settings.PREPARE_AFTER_USES + 1):
        assert rows_of_each([(sql, [n])]) == [[(n * 2,)]]

    assert _prepared("AS single_read_probe") == ["SELECT $1::int * 2 AS single_read_probe"]


def _database_options(**env: str) -> dict:
    environment = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@db.example:5432/mc",
        "DJANGO_SETTINGS_MODULE": "messagecenter.settings",
        **env,
    }
    printed = subprocess.run(
        [
            sys.executable,
            str(MANAGE_PY),
            "shell",
            "-c",
            "import json; from django.conf import settings; "
            "options = settings.DATABASES['default']['OPTIONS']; "
            "print(json.dumps({k: options.get(k) for k in "
            "('server_side_binding', 'prepare_threshold')}))",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(printed.stdout.strip().splitlines()[-1])


def test_prepared_statements_are_on_by_default_and_can_be_turned_off_for_a_pooler():
    assert _database_options() == {"server_side_binding": True, "prepare_threshold": 5}
    assert _database_options(DATABASE_PREPARED_STATEMENTS="false") == {
        "server_side_binding": True,
        "prepare_threshold": None,
    }
