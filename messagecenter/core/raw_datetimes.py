"""Datetimes read with raw SQL, aware on every database.

PostgreSQL returns a ``timestamptz`` column aware. SQLite keeps datetimes as text in UTC
(Django writes them so when USE_TZ is on), and a raw cursor parses them naive: the ORM
makes them aware on the way out, a raw cursor does not. Comparing such a value with an
aware one fails, and filtering with it warns, so raw reads pass their datetimes here.
"""

from __future__ import annotations

from datetime import UTC, datetime


def aware_from_db(value: datetime | None) -> datetime | None:
    """The value as stored, in UTC when the database returned it without a zone."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
