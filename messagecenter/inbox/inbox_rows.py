"""The rows of an inbox, each kept by its version (core/fragments.py).

A row shows the time of the last message in words ("5 minutes ago") and, on the seller's
side, the reply clock's badge ("due in 3 h"), which change as time passes. They are worked
out here for the moment of the page and are part of the row's version, so a kept row is
the same as one rendered now; everything else the row shows is the conversation's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils.safestring import SafeString

from messagecenter.core.fragments import rendered_rows
from messagecenter.threads.models import Conversation
from messagecenter.threads.templatetags.reply_clock import due_badge

ROW_TEMPLATE = "includes/inbox_row.html"


def _name(user: Any) -> str | None:
    return user.public_name if user is not None else None


def _row(conversation: Any, side: str, now: datetime) -> tuple[tuple[Any, ...], dict[str, Any]]:
    when = naturaltime(conversation.last_message_at)
    badge = due_badge(conversation.reply_due_at, now) if side == "seller" else ""
    other = (
        _name(conversation.buyer) if side == "seller" else conversation.seller.name,
        _name(conversation.assigned_to) if side == "seller" else None,
    )
    product = conversation.product
    version = (
        side,
        conversation.pk,
        conversation.is_unread,
        *other,
        conversation.subject,
        conversation.last_message_preview,
        product.title if product is not None else None,
        conversation.reply_due_at is not None,
        conversation.last_message_at.isoformat(),
        when,
        str(badge),
    )
    context = {"conversation": conversation, "side": side, "when": when, "due_badge": badge}
    return version, context


def inbox_rows(
    conversations: Sequence[Conversation], *, side: str, now: datetime
) -> list[SafeString]:
    """Each conversation's row, in order."""
    return rendered_rows(ROW_TEMPLATE, [_row(c, side, now) for c in conversations])
