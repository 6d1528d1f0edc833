"""Keyset pages: "newer" and "older" links that carry the edge row's key, not a page number.

An offset page makes the database walk past every earlier row and a page count makes it
count them all; both grow with the list. A keyset page asks for the rows just after (or
just before) one row's (time, id) key, which an index on the time column answers in the
same time on the first page and the thousandth. The key travels in the query string as an
opaque cursor; one that does not decode gives the first page, as a bad page number did.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict

from messagecenter.core.ids import parse_id
from messagecenter.core.pagination import PAGE_SIZE

OLDER = "older"
NEWER = "newer"


@dataclass(frozen=True)
class Key:
    at: datetime
    id: int


def encode_cursor(key: Key) -> str:
    raw = f"{key.at.isoformat()}|{key.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Key | None:
    """The key a cursor carries, or None for a missing or malformed one."""
    if not cursor or len(cursor) > 100:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at_text, id_text = raw.split("|")
        at = datetime.fromisoformat(at_text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    row_id = parse_id(id_text)
    if row_id is None or at.tzinfo is None:
        return None
    return Key(at=at, id=row_id)


@dataclass
class KeysetPage:
    """One page of rows, newest first, and the cursors of the pages beside it."""

    object_list: Sequence[Any]
    newer_cursor: str | None
    older_cursor: str | None
    base_query: QueryDict | None = field(default=None, repr=False)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer_cursor or self.older_cursor)

    def link(self, direction: str) -> str:
        """The query string of the newer or older page, other parameters kept."""
        cursor = self.newer_cursor if direction == NEWER else self.older_cursor
        query = self.base_query.copy() if self.base_query is not None else QueryDict(mutable=True)
        query[direction] = cursor or ""
        return query.urlencode()

    @property
    def newer_link(self) -> str:
        return self.link(NEWER)

    @property
    def older_link(self) -> str:
        return self.link(OLDER)


def _key_of(row: Any, time_field: str) -> Key:
    return Key(at=getattr(row, time_field), id=row.pk)


def keyset_page(
    request: HttpRequest,
    rows: QuerySet,
    *,
    time_field: str,
    per_page: int = PAGE_SIZE,
) -> KeysetPage:
    """The page the request's ``older`` or ``newer`` cursor points at, newest row first.

    The rows' own ordering is replaced by (time_field, id), newest first. One query per
    page, plus one more only when a "newer" page runs out before it is full (the first
    page is shown then, so it is never short).
    """
    base_query = request.GET.copy()
    for name in (OLDER, NEWER, "page"):
        base_query.pop(name, None)
    older_key = decode_cursor(request.GET.get(OLDER))
    newer_key = decode_cursor(request.GET.get(NEWER)) if older_key is None else None

    if newer_key is not None:
        after = Q(**{f"{time_field}__gt": newer_key.at}) | Q(
            **{time_field: newer_key.at, "pk__gt": newer_key.id}
        )
        fetched = list(rows.filter(after).order_by(time_field, "pk")[: per_page + 1])
        if len(fetched) > per_page:
            shown = list(reversed(fetched[:per_page]))
            return _page(shown, time_field, has_newer=True, has_older=True, base=base_query)
        # The newest rows are reached: show the first page, full, rather than a short one.
        older_key = None

    ordered = rows.order_by(f"-{time_field}", "-pk")
    if older_key is not None:
        before = Q(**{f"{time_field}__lt": older_key.at}) | Q(
            **{time_field: older_key.at, "pk__lt": older_key.id}
        )
        ordered = ordered.filter(before)
    fetched = list(ordered[: per_page + 1])
    return _page(
        fetched[:per_page],
        time_field,
        has_newer=older_key is not None,
        has_older=len(fetched) > per_page,
        base=base_query,
    )


def _page(
    shown: list[Any], time_field: str, *, has_newer: bool, has_older: bool, base: QueryDict
) -> KeysetPage:
    newer = encode_cursor(_key_of(shown[0], time_field)) if has_newer and shown else None
    older = encode_cursor(_key_of(shown[-1], time_field)) if has_older and shown else None
    return KeysetPage(object_list=shown, newer_cursor=newer, older_cursor=older, base_query=base)
