"""What every page's navigation needs: the user's role and the counts its badges show."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.messaging.business_counts import BusinessCounts, business_counts
from messagecenter.threads.selectors import buyer_unread_count
from messagecenter.threads.unread import member_unread_total


@dataclass(frozen=True)
class SellerBadges:
    unread: int  # the user's own (read state is per user)
    business: BusinessCounts  # awaiting, overdue, held: the same for the whole team


def _member_unread(request: HttpRequest) -> int | None:
    """The user's unread count over their businesses (None: on no seller team), read once
    per request with the businesses themselves (threads/unread.py)."""
    if not hasattr(request, "_member_unread"):
        user = request.user
        assert isinstance(user, User)
        request._member_unread = member_unread_total(user)  # type: ignore[attr-defined]
    kept: int | None = request._member_unread  # type: ignore[attr-defined]
    return kept


def seller_badges(request: HttpRequest) -> SellerBadges:
    """The seller's counts, read once per request: the navigation and the inbox's filter
    tabs both show them. Two reads, neither of which counts conversations: the kept unread
    rows and the business counts cache."""
    kept: SellerBadges | None = getattr(request, "_seller_badges", None)
    if kept is None:
        user = request.user
        assert isinstance(user, User)
        kept = SellerBadges(
            unread=_member_unread(request) or 0,
            business=business_counts(business_ids_for_member(user)),
        )
        request._seller_badges = kept  # type: ignore[attr-defined]
    return kept


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    # Whether the user is on a seller team, learned with their unread count in one query.
    if _member_unread(request) is not None:
        badges = seller_badges(request)
        return {
            "nav_is_seller": True,
            "nav_unread": badges.unread,
            "nav_overdue": badges.business.overdue,
        }
    return {"nav_is_seller": False, "nav_unread": buyer_unread_count(user)}
