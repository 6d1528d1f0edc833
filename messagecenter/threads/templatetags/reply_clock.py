"""Template helpers for the reply clock: the inbox badge and durations in words."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from messagecenter.threads.reply_due import due_state, format_duration

register = template.Library()


@register.simple_tag
def due_badge(due_at: datetime | None, now: datetime | None = None) -> str:
    """ "due in 5 h" or "overdue by 2 h", or nothing when no buyer is waiting.

    Built here rather than by a template of its own: the inbox shows one on each of its
    25 rows, and a template per row cost more than the row's own markup."""
    state = due_state(due_at, now or timezone.now())
    if state is None:
        return ""
    warning = mark_safe('<span aria-hidden="true">⚠ </span>') if state.overdue else ""
    return format_html(
        '<span class="chip chip--due chip--{}">{}{}</span>', state.level, warning, state.badge
    )


@register.filter
def seconds_in_words(seconds: int | float | None) -> str:
    return "" if seconds is None else format_duration(timedelta(seconds=seconds))


@register.simple_tag
def due_badge_text(due_at: datetime | None) -> str:
    """The badge's words alone, for plain-text email."""
    state = due_state(due_at, timezone.now())
    return state.badge if state else ""


@register.simple_tag
def seller_conversation_link(conversation_id: int) -> str:
    """The seller's page of a conversation as a full address, for email."""
    return settings.SITE_URL + reverse("seller_conversation", args=[conversation_id])
