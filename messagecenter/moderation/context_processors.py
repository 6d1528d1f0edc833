"""Policy standing shown on every page: a seller's restriction, the staff review count."""

from __future__ import annotations

from django.http import HttpRequest

from messagecenter.messaging.models import Message
from messagecenter.moderation.selectors import active_restrictions_for_member


def policy_standing(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    context: dict[str, object] = {"seller_restrictions": active_restrictions_for_member(user)}
    if user.is_staff:
        context["review_waiting"] = Message.objects.filter(status=Message.Status.HELD).count()
    return context
