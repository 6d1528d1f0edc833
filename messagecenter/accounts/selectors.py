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


def is_seller_member(user: User) -> bool:
    return bool(user.is_authenticated and business_ids_for_member(user))
