"""The rows of an inbox, each kept by its version (core/fragments.py).

A row shows the time of the last message in words ("5 minutes ago") and, on the seller's
side, the reply clock's badge ("due in 3 h"), which change as time passes. They are worked
out here for the moment of the page and are part of the row's version, so a kept row is
the same as one rendered now; everything else the row shows is the conversation's, read as
values (threads/selectors.py: seller_inbox_page, buyer_inbox_page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils.safestring import SafeString

from messagecenter.accounts.models import public_name_of
from messagecenter.core.fragments import rendered_rows
from messagecenter.threads.templatetags.reply_clock import due_badge
from messagecenter.threads.topic_routing import topic_label

ROW_TEMPLATE = "includes/inbox_row.html"


Values = dict[str, Any]


def _name(values: Values, user: str) -> str | None:
    """The public name of the row's buyer or assignee (None: no assignee)."""
    first = values[f"{user}__first_name"]  # a column never NULL: None when no one is joined
    if first is None:
        return None
    return public_name_of(values[f"{user}__display_name"], first, values[f"{user}__last_name"])


def _row(
    values: Values, side: str, now: datetime, link_query: str, open_id: int | None
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    seller = side == "seller"
    row = {
        "id": values["id"],
        "is_unread": values["is_unread"],
        "name": _name(values, "buyer") if seller else values["seller__name"],
        "subject": values["subject"],
        "last_message_preview": values["last_message_preview"],
        "product_title": values["product__title"],
        # In the reader's language, so part of the version as shown.
        "topic_label": topic_label(values["topic"]),
        "awaiting": seller and values["reply_due_at"] is not None,
        "closed": seller and values["closed_at"] is not None,
        "assignee": _name(values, "assigned_to") if seller else None,
        "last_message_at": values["last_message_at"],
        # The seller's workspace: the link keeps the list's filter, order and page, and
        # the conversation open beside the list is marked.
        "link_query": link_query,
        "is_open": values["id"] == open_id,
    }
    when = naturaltime(row["last_message_at"])
    badge = due_badge(values["reply_due_at"], now) if seller else ""
    version = (side, *row.values(), when, str(badge))
    return version, {"row": row, "side": side, "when": when, "due_badge": badge}


def inbox_rows(
    rows: Sequence[Values],
    *,
    side: str,
    now: datetime,
    link_query: str = "",
    open_id: int | None = None,
) -> list[SafeString]:
    """Each conversation's row, in order, from the values an inbox page selector read."""
    return rendered_rows(
        ROW_TEMPLATE, [_row(values, side, now, link_query, open_id) for values in rows]
    )
