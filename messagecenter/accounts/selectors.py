"""Read-only questions about who a user is in the marketplace."""

from __future__ import annotations

from django.db.models import QuerySet

from messagecenter.accounts.models import SellerBusiness, User


def businesses_for_member(user: User) -> QuerySet[SellerBusiness]:
    """The seller businesses the user works for, as owner or agent."""
    if not user.is_authenticated:
        return SellerBusiness.objects.none()
    return SellerBusiness.objects.filter(memberships__user=user)


def business_ids_for_member(user: User) -> list[int]:
    """Ids of the user's businesses, cached on the user object for the request."""
    cached: list[int] | None = getattr(user, "_business_ids", None)
    if cached is None:
        cached = list(businesses_for_member(user).values_list("id", flat=True))
        user._business_ids = cached  # type: ignore[attr-defined]
    return cached


def business_ids_if_read(user: User) -> list[int] | None:
    """The user's business ids if this request read them already, else None."""
    return getattr(user, "_business_ids", None)


def business_ids_read_with(user: User, ids: list[int]) -> None:
    """Keep, for the rest of the request, the user's business ids that another query read
    along with what it was for (the navigation's unread counts)."""
    user._business_ids = ids  # type: ignore[attr-defined]


def membership_known(user: User, business_id: int) -> None:
    """Note, for the rest of the request, that the user works for this business: a query
    that already joined their membership (an access check) proved it."""
    known: set[int] = getattr(user, "_member_of", set())
    user._member_of = known | {business_id}  # type: ignore[attr-defined]


def is_member_of(user: User, business_id: int) -> bool:
    """Whether the user works for this business; no query when the request knows already."""
    if business_id in getattr(user, "_member_of", ()):
        return True
    return business_id in business_ids_for_member(user)


def is_seller_member(user: User) -> bool:
    return bool(user.is_authenticated and business_ids_for_member(user))
