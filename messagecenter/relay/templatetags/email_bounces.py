"""``{{ email_bounces|bounces_of:message.pk }}``: a message's bounce notes on its page."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from messagecenter.relay.bounces import BounceNote

register = template.Library()


@register.filter
def bounces_of(notes: Mapping[int, list[BounceNote]] | str, message_id: int) -> list[BounceNote]:
    """The notes of one message; nothing where the page has no notes at all."""
    if not isinstance(notes, Mapping):
        return []
    return notes.get(message_id, [])
