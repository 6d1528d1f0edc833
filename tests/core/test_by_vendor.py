"""The vendor compatibility pieces: the body for the connection in use runs, the row-lock
clause is PostgreSQL's or nothing, and SQLite accepts the advisory lock calls."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from messagecenter.core.by_vendor import by_vendor
from messagecenter.core.raw_datetimes import aware_from_db
from messagecenter.core.row_locks import RowLock, row_lock_clause


@by_vendor
def _greeting(name: str) -> str:
    return f"postgresql greets {name}"


@_greeting.sqlite
def _greeting_sqlite(name: str) -> str:
    return f"sqlite greets {name}"


def _farewell_sqlite(name: str) -> str:
    return f"sqlite says goodbye to {name}"


@by_vendor(sqlite=_farewell_sqlite)
def _farewell(name: str) -> str:
    return f"postgresql says goodbye to {name}"


@by_vendor
def _postgresql_only() -> str:
    return "postgresql"


def test_the_body_of_the_connections_vendor_runs():
    assert _greeting("Sam") == f"{connection.vendor} greets Sam"
    assert _farewell("Sam") == f"{connection.vendor} says goodbye to Sam"
    assert _greeting.__name__ == "_greeting"


def test_a_function_without_a_body_for_the_vendor_says_so():
    if connection.vendor == "postgresql":
        assert _postgresql_only() == "postgresql"
    else:
        with pytest.raises(NotImplementedError, match="_postgresql_only has no body for"):
            _postgresql_only()


def test_the_row_lock_clause_is_postgresqls_or_nothing():
    on_postgresql = connection.vendor == "postgresql"
    assert row_lock_clause() == ("FOR UPDATE" if on_postgresql else "")
    assert row_lock_clause(RowLock.NO_KEY_UPDATE) == ("FOR NO KEY UPDATE" if on_postgresql else "")


def test_the_advisory_locks_of_raw_sql_run_on_every_database(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s), pg_advisory_xact_lock_shared(%s)", [7, 8])
        assert len(cursor.fetchone()) == 2


def test_raw_datetimes_come_back_aware_in_utc():
    naive = datetime(2026, 12, 7, 9, 30)
    assert aware_from_db(naive) == datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    aware = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    assert aware_from_db(aware) is aware
    assert aware_from_db(None) is None
