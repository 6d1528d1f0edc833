"""The PostgreSQL functions raw SQL calls, made known to SQLite connections.

The unread counts take PostgreSQL advisory locks (``pg_advisory_xact_lock`` and its
shared form, threads/unread.py) inside the statements that read and write them. On SQLite
they are accepted and do nothing: settings open every SQLite transaction as
``BEGIN IMMEDIATE``, so a transaction that writes already holds the database's one write
lock from its start to its commit, and no other writer runs meanwhile (see row_locks.py).
Registered on every new SQLite connection (``connection_created``, CoreConfig.ready).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper


def _no_lock_needed(key: int) -> None:
    # The transaction's write lock already excludes every other writer.
    return None


# name, number of arguments, function
_FUNCTIONS = (
    ("pg_advisory_xact_lock", 1, _no_lock_needed),
    ("pg_advisory_xact_lock_shared", 1, _no_lock_needed),
)


def register_postgresql_functions(
    sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """connection_created receiver: give a new SQLite connection the functions above."""
    if connection.vendor != "sqlite":
        return
    for name, arity, function in _FUNCTIONS:
        connection.connection.create_function(name, arity, function, deterministic=False)
