"""What every page's navigation needs: the user's role, unread and overdue counts."""

from __future__ import annotations

from django.http import HttpRequest

from messagecenter.accounts.selectors import is_seller_member
from messagecenter.threads.selectors import buyer_unread_count, seller_nav_counts


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {}
    if is_seller_member(user):
        counts = seller_nav_counts(user)
        return {"nav_is_seller": True, "nav_unread": counts.unread, "nav_overdue": counts.overdue}
    return {"nav_is_seller": False, "nav_unread": buyer_unread_count(user)}
