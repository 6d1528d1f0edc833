"""Template helpers for the reply clock: the inbox badge and durations in words."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from messagecenter.threads.reply_due import due_state, format_duration

register = template.Library()


@register.inclusion_tag("includes/due_badge.html")
def due_badge(due_at: datetime | None, now: datetime | None = None) -> dict[str, object]:
    """ "due in 5 h" or "overdue by 2 h", or nothing when no buyer is waiting."""
    return {"state": due_state(due_at, now or timezone.now())}


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
