"""The websearch syntax (``"exact phrase"``, ``-word``, ``or``), read once in Python.

PostgreSQL parses what is looked for with ``websearch_to_tsquery`` in every language's
configuration; a word left out is left out in every form any of them gives it, so it is
asked apart (``NOT document @@ ...``): inside one query, "-delivery" read word for word
would not leave out "deliveries". SQLite gets the same reading as an FTS5 query, every
term written as an FTS5 string of its word characters only, so nothing a person types is
read as FTS5 syntax (column filters, NEAR, stars, stray quotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """A word or a phrase: as typed (PostgreSQL's parser reads "114-3941689-8772232" or
    "kestrel-warranty.pdf" its own way, the same in the text and the query) and as its
    words (for FTS5)."""

    typed: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Search:
    """What was typed: groups that must all match, each of alternative terms ("or"),
    and the terms to leave out."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    @property
    def wanted(self) -> str:
        """The terms looked for, in websearch syntax."""
        return " ".join(" or ".join(t.typed for t in group) for group in self.groups)

    @property
    def left_out(self) -> list[str]:
        """Each term to leave out, in websearch syntax."""
        return [term.typed for term in self.excluded]


def _fts5(term: Term) -> str:
    return '"' + " ".join(term.words) + '"'


def parse(text: str) -> Search | None:
    """The search as typed; None when it asks for nothing (no word, or only words to
    leave out)."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for token in _TOKEN.findall(text):
        if token.lower() == "or" and groups:
            join_next = True
            continue
        negated = token.startswith("-") and len(token) > 1
        typed = token[1:] if negated else token
        words = tuple(_WORD.findall(typed))
        if not words:
            continue
        # A phrase keeps its quotes (closed, if the person did not); a word is as typed.
        if typed.startswith('"'):
            typed = '"' + typed.strip('"') + '"'
        term = Term(typed, words)
        if negated:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        return None
    return Search(tuple(tuple(group) for group in groups), tuple(excluded))


def fts5_query(search: Search) -> str:
    """The search as an FTS5 query."""
    query = " AND ".join(f"({' OR '.join(_fts5(t) for t in group)})" for group in search.groups)
    for term in search.excluded:
        query = f"({query}) NOT {_fts5(term)}"
    return query
