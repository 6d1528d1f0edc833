"""Policy standing shown on every page: a seller's restriction, the staff review count."""

from __future__ import annotations

from django.http import HttpRequest

from messagecenter.messaging.models import Message
from messagecenter.moderation.selectors import active_restrictions_for_member


def review_waiting(request: HttpRequest) -> int:
    """How many messages wait for review, counted once per request: the staff navigation's
    badge and the unfiltered review queue's pages are the same count."""
    kept: int | None = getattr(request, "_review_waiting", None)
    if kept is None:
        kept = Message.objects.filter(status=Message.Status.HELD).count()
        request._review_waiting = kept  # type: ignore[attr-defined]
    return kept


def policy_standing(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    context: dict[str, object] = {"seller_restrictions": active_restrictions_for_member(user)}
    if user.is_staff:
        context["review_waiting"] = review_waiting(request)
    return context
