"""The row-lock clause raw SQL ends a locking SELECT with, for the connection in use.

On PostgreSQL a write locks the rows it will change before reading them (``FOR UPDATE``, or
``FOR NO KEY UPDATE`` when it changes no key, so another transaction's foreign key check
on the row does not wait). SQLite has no row locks and no such clause, and needs none:
settings open every SQLite transaction as ``BEGIN IMMEDIATE``, which takes the database's
one write lock at the start, so a transaction that writes runs alone from its first read
to its commit. The clause is then empty.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import connection


class RowLock(StrEnum):
    UPDATE = "FOR UPDATE"
    NO_KEY_UPDATE = "FOR NO KEY UPDATE"


def row_lock_clause(strength: RowLock = RowLock.UPDATE) -> str:
    """The clause for PostgreSQL, or "" where transactions already serialize writers."""
    return strength.value if connection.vendor == "postgresql" else ""
