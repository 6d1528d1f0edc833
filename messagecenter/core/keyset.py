"""Pages of a long list by position, not by number: "older" continues after the last row
shown, "newer" goes back before the first. A page costs the rows it shows, however deep
(no OFFSET that reads and drops every row before it, no COUNT of them all).

The cursor in the link is opaque and signed: the sort key values of the row to continue
from, which the reader cannot forge to see anything else (the list is already limited to
what the user may see; a bad cursor just starts at the top). Every list paged by position
uses it: the inboxes (by newest or due first), Manage Orders, and a conversation's
"Show earlier messages".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import Expression, F, Q, QuerySet
from django.http import QueryDict

from messagecenter.core.pagination import PAGE_SIZE

_SALT = "messagecenter.core.keyset"
OLDER, NEWER = "o", "n"
CURSOR = "cursor"  # the query parameter that carries it


@dataclass(frozen=True)
class SortKey:
    """One column of the order: an annotation or field name, never empty (nulls would
    fall outside the comparisons), and whether it runs downwards."""

    name: str
    descending: bool


@dataclass(frozen=True)
class KeysetPage:
    object_list: list[Any]
    newer_cursor: str | None
    older_cursor: str | None
    # The page's other query parameters (a search, a filter), kept in its links.
    other_params: QueryDict | None = field(default=None, repr=False)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer_cursor or self.older_cursor)

    def _link(self, cursor: str | None) -> str:
        if cursor is None:
            return ""
        query = (
            self.other_params.copy() if self.other_params is not None else QueryDict(mutable=True)
        )
        query[CURSOR] = cursor
        return query.urlencode()

    @property
    def newer_link(self) -> str:
        """The query string of the newer page ("" when there is none)."""
        return self._link(self.newer_cursor)

    @property
    def older_link(self) -> str:
        return self._link(self.older_cursor)


def _encode(values: Sequence[Any], direction: str) -> str:
    plain = [{"t": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    return signing.dumps([direction, plain], salt=_SALT, compress=True)


def _decode(cursor: str, size: int) -> tuple[str, list[Any]] | None:
    try:
        direction, plain = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if direction not in (OLDER, NEWER) or not isinstance(plain, list) or len(plain) != size:
        return None
    return direction, [datetime.fromisoformat(v["t"]) if isinstance(v, dict) else v for v in plain]


def _beyond(keys: Sequence[SortKey], values: Sequence[Any], forwards: bool) -> Q:
    """Rows after (forwards) or before the row with these key values, in the keys' order:
    (k1 past v1) or (k1 = v1 and k2 past v2) or ... The first key's "at or past" is added
    on its own so the database can start an index scan there."""

    def past(key: SortKey, value: Any) -> Q:
        lookup = "lt" if key.descending == forwards else "gt"
        return Q(**{f"{key.name}__{lookup}": value})

    either = Q()
    equal_so_far = Q()
    for key, value in zip(keys, values, strict=True):
        either |= equal_so_far & past(key, value)
        equal_so_far &= Q(**{key.name: value})
    first = keys[0]
    at_or_past = "lte" if first.descending == forwards else "gte"
    return Q(**{f"{first.name}__{at_or_past}": values[0]}) & either


def _order(keys: Sequence[SortKey], forwards: bool) -> list[Expression]:
    return [F(k.name).desc() if k.descending == forwards else F(k.name).asc() for k in keys]


def _key_values(row: Any, keys: Sequence[SortKey]) -> list[Any]:
    """The row's sort key values: a model instance's attributes, or a values() dict's."""
    if isinstance(row, dict):
        return [row[k.name] for k in keys]
    return [getattr(row, k.name) for k in keys]


def older_than(row: Any, keys: Sequence[SortKey]) -> str:
    """A cursor to the page that starts right after ``row`` (as its page's Older link)."""
    return _encode(_key_values(row, keys), OLDER)


def older_from(values: Sequence[Any], keys: Sequence[SortKey]) -> str:
    """A cursor to the page that starts at the row with these key values, itself included
    (a search result shown in its place). The keys must end with a descending integer id:
    the page reads on from just above it."""
    assert keys[-1].descending, "older_from needs keys ending with a descending id"
    *rest, last = values
    return _encode([*rest, last + 1], OLDER)


@dataclass(frozen=True)
class Position:
    """Where a cursor points: the direction to read in, and the key values of the row to
    continue from (None: the first page, for no cursor or a bad one)."""

    forwards: bool
    after: list[Any] | None


def position_of(cursor: str | None, keys: Sequence[SortKey]) -> Position:
    decoded = _decode(cursor, len(keys)) if cursor else None
    if decoded is None:
        return Position(forwards=True, after=None)
    return Position(forwards=decoded[0] == OLDER, after=decoded[1])


def beyond_sql(
    keys: Sequence[SortKey], values: Sequence[Any], forwards: bool, columns: Sequence[str]
) -> tuple[str, list[Any]]:
    """_beyond as SQL, for a page read by a statement of its own: ``columns`` are the keys'
    columns as the statement names them, ``values`` already adapted for the database."""
    either, params = [], []
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        equal_so_far = [f"{column} = %s" for column in columns[:index]]
        past = "<" if key.descending == forwards else ">"
        either.append(" AND ".join([*equal_so_far, f"{columns[index]} {past} %s"]))
        params += [*values[:index], value]
    at_or_past = "<=" if keys[0].descending == forwards else ">="
    condition = f"{columns[0]} {at_or_past} %s AND (" + " OR ".join(f"({e})" for e in either)
    return condition + ")", [values[0], *params]


def order_sql(keys: Sequence[SortKey], forwards: bool, columns: Sequence[str]) -> str:
    """_order as SQL, for the same statements as beyond_sql."""
    return ", ".join(
        f"{column} {'DESC' if key.descending == forwards else 'ASC'}"
        for key, column in zip(keys, columns, strict=True)
    )


def page_from(
    fetched: list[Any],
    keys: Sequence[SortKey],
    position: Position,
    per_page: int,
    other_params: QueryDict | None = None,
) -> KeysetPage:
    """The page of the rows read from ``position`` in its direction (per_page + 1 of them,
    or fewer at the end: the extra one says there are more)."""
    more = len(fetched) > per_page
    shown = fetched[:per_page]
    if not position.forwards:
        shown.reverse()
    if not shown:
        return KeysetPage([], None, None, other_params)

    def cursor_at(row: Any, direction: str) -> str:
        return _encode(_key_values(row, keys), direction)

    # Came from a page: that side has rows. Otherwise, the extra row fetched says.
    from_a_page = position.after is not None
    has_older = more if position.forwards else True
    has_newer = from_a_page if position.forwards else more
    return KeysetPage(
        shown,
        newer_cursor=cursor_at(shown[0], NEWER) if has_newer else None,
        older_cursor=cursor_at(shown[-1], OLDER) if has_older else None,
        other_params=other_params,
    )


def keyset_page(
    rows: QuerySet[Any],
    keys: Sequence[SortKey],
    cursor: str | None,
    per_page: int = PAGE_SIZE,
    *,
    query: QueryDict | None = None,
) -> KeysetPage:
    """The page that the cursor points to (the first without one, or with a bad one).

    The keys must order the rows completely: end them with a unique column (the id).
    Rows may be model instances or values() dicts that include the keys.
    ``query`` is the request's query string: its other parameters go into the page's
    links (its cursor is replaced).
    """
    other_params = None
    if query is not None:
        other_params = query.copy()
        other_params.pop(CURSOR, None)
    position = position_of(cursor, keys)
    if position.after is not None:
        rows = rows.filter(_beyond(keys, position.after, position.forwards))
    fetched = list(rows.order_by(*_order(keys, position.forwards))[: per_page + 1])
    return page_from(fetched, keys, position, per_page, other_params)
