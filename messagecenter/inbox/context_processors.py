"""What every page's navigation needs: the user's role and the counts its badges show."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.http import HttpRequest

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import business_ids_for_member
from messagecenter.messaging.business_counts import BusinessCounts, business_counts
from messagecenter.threads.unread import NavigationUnread, navigation_unread


@dataclass(frozen=True)
class SellerBadges:
    unread: int  # the user's own (read state is per user)
    business: BusinessCounts  # awaiting, overdue, held: the same for the whole team


def navigation_facts(request: HttpRequest) -> NavigationUnread:
    """Whether the user is on a seller team and their unread count on that side, read once
    per request with their businesses (threads/unread.py): one query on any page."""
    kept: NavigationUnread | None = getattr(request, "_navigation_unread", None)
    if kept is None:
        user = request.user
        assert isinstance(user, User)
        kept = navigation_unread(user)
        request._navigation_unread = kept  # type: ignore[attr-defined]
    return kept


def seller_badges(request: HttpRequest) -> SellerBadges:
    """The seller's counts, read once per request: the navigation and the inbox's filter
    tabs both show them. Two reads, neither of which counts conversations: the kept unread
    rows and the business counts cache."""
    kept: SellerBadges | None = getattr(request, "_seller_badges", None)
    if kept is None:
        user = request.user
        assert isinstance(user, User)
        facts = navigation_facts(request)
        kept = SellerBadges(
            unread=facts.unread if facts.seller else 0,
            business=business_counts(business_ids_for_member(user)),
        )
        request._seller_badges = kept  # type: ignore[attr-defined]
    return kept


def _navigation_values(request: HttpRequest) -> dict[str, object]:
    if navigation_facts(request).seller:
        badges = seller_badges(request)
        return {
            "nav_is_seller": True,
            "nav_unread": badges.unread,
            "nav_overdue": badges.business.overdue,
        }
    return {"nav_is_seller": False, "nav_unread": navigation_facts(request).unread}


def _navigation_value(request: HttpRequest, name: str) -> object:
    return _navigation_values(request).get(name)


_NAVIGATION_NAMES = ("nav_is_seller", "nav_unread", "nav_overdue")


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    if user.is_staff:
        # Staff see the review queue's navigation, which shows none of these: each is read
        # only if a page asks for it (a template calls it), where counting an
        # administrator's unread conversations as a buyer was a quarter of a review page.
        return {name: partial(_navigation_value, request, name) for name in _NAVIGATION_NAMES}
    return _navigation_values(request)
