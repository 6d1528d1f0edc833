"""The extra addresses a seller business may send email from, and who may change them.

Every active team member's login address is always accepted; these are others (a shared
support mailbox, a help-desk tool). Owners add and remove them; agents see the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.core.errors import UserFacingError
from messagecenter.relay.models import ApprovedSender

MAX_APPROVED_SENDERS = 25


def approved_addresses(business: SellerBusiness) -> set[str]:
    return {
        email.lower()
        for email in ApprovedSender.objects.filter(business=business).values_list(
            "email", flat=True
        )
    }


def is_proxy_address(address: str) -> bool:
    """An address on the masked-address domain (or below it)."""
    domain = address.rpartition("@")[2].strip().lower().rstrip(".")
    relay = settings.MESSAGECENTER_EMAIL_DOMAIN
    return domain == relay or domain.endswith("." + relay)


def approved_sender_add(*, business: SellerBusiness, email: str, added_by: User) -> ApprovedSender:
    """Approve an address for the business. Raises UserFacingError with what to change."""
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError as error:
        raise UserFacingError(
            "Enter a whole email address, like support@example.com.", field="email"
        ) from error
    if is_proxy_address(address):
        raise UserFacingError(
            "That is a masked marketplace address; approve the real address you send from.",
            field="email",
        )
    if Membership.objects.filter(
        business=business, user__email__iexact=address, user__is_active=True
    ).exists():
        raise UserFacingError(
            "That is a team member's address, which is always approved.", field="email"
        )
    if ApprovedSender.objects.filter(business=business).count() >= MAX_APPROVED_SENDERS:
        raise UserFacingError(
            f"A business can approve up to {MAX_APPROVED_SENDERS} addresses; remove one first.",
            field="email",
        )
    try:
        with transaction.atomic():
            return ApprovedSender.objects.create(
                business=business, email=address, added_by=added_by
            )
    except IntegrityError as error:
        raise UserFacingError("That address is already approved.", field="email") from error


def approved_sender_remove(*, approved_sender: ApprovedSender) -> None:
    approved_sender.delete()


@dataclass(frozen=True)
class BusinessSenders:
    """One business's sending addresses, as its settings page shows them."""

    business: SellerBusiness
    team: list[User]
    approved: list[ApprovedSender]
    can_manage: bool


def senders_for_member(user: User) -> list[BusinessSenders]:
    """Each business the user works for, with its team's and its approved addresses."""
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("business")
        .prefetch_related("business__memberships__user", "business__approved_senders")
        .order_by("business__name")
    )
    return [
        BusinessSenders(
            business=m.business,
            team=sorted(
                (t.user for t in m.business.memberships.all() if t.user.is_active),
                key=lambda person: person.email,
            ),
            approved=sorted(m.business.approved_senders.all(), key=lambda a: a.email),
            can_manage=m.role == Membership.Role.OWNER,
        )
        for m in memberships
    ]
