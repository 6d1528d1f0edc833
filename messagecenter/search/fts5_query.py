"""The websearch syntax (``"exact phrase"``, ``-word``, ``or``) as an FTS5 query, for the
embedded SQLite database; PostgreSQL reads the same text with ``websearch_to_tsquery``.

Every term is written as an FTS5 string of its word characters only, so nothing a person
types is read as FTS5 syntax (column filters, NEAR, stars, stray quotes).
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_WORD = re.compile(r"\w+")


def _term(token: str) -> str | None:
    words = _WORD.findall(token)
    return '"' + " ".join(words) + '"' if words else None


def fts5_query(text: str) -> str | None:
    """The FTS5 query for a search as typed; None when it asks for nothing (no word, or
    only words to leave out)."""
    groups: list[list[str]] = []  # each group's terms are alternatives ("or")
    excluded: list[str] = []
    join_next = False
    for token in _TOKEN.findall(text):
        if token.lower() == "or" and groups:
            join_next = True
            continue
        negated = token.startswith("-") and len(token) > 1
        term = _term(token[1:] if negated else token)
        if term is None:
            continue
        if negated:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        return None
    query = " AND ".join(f"({' OR '.join(group)})" for group in groups)
    for term in excluded:
        query = f"({query}) NOT {term}"
    return query
