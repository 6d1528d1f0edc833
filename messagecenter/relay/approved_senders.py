"""The extra addresses a seller business may send email from, and who may change them.

Every active team member's login address is always accepted; these are others (a shared
support mailbox, a help-desk tool). Owners add and remove them; agents see the list.

A new address is pending until someone who reads that mailbox opens the link mailed to it
(``sender_confirmation``); the relay only accepts confirmed ones. An address that is
another account's login, or another business's confirmed sending address, is refused: a
seller could otherwise write as a buyer or as a competitor's agent.

Decided: another business's *pending* address does not block an owner (pending entries
prove nothing and could be used to squat on an address); whoever confirms first has it,
and the second confirmation is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.core.errors import UserFacingError
from messagecenter.core.tasks import enqueue_on_commit
from messagecenter.relay.models import ApprovedSender

SEND_SENDER_CONFIRMATION = "relay.send_sender_confirmation"

MAX_APPROVED_SENDERS = 25


def approved_addresses(business: SellerBusiness) -> set[str]:
    """The business's confirmed sending addresses (pending ones send nothing)."""
    return {
        email.lower()
        for email in ApprovedSender.objects.filter(
            business=business, confirmed_at__isnull=False
        ).values_list("email", flat=True)
    }


def belongs_to_another_account(address: str, business: SellerBusiness) -> bool:
    """The address is someone's login (other than this business's active team) or another
    business's confirmed sending address."""
    team = Membership.objects.filter(
        business=business, user__email__iexact=address, user__is_active=True
    )
    if User.objects.filter(email__iexact=address).exists() and not team.exists():
        return True
    return (
        ApprovedSender.objects.filter(email__iexact=address, confirmed_at__isnull=False)
        .exclude(business=business)
        .exists()
    )


def _another_account_error() -> UserFacingError:
    return UserFacingError(
        _(
            "That address belongs to another account of the marketplace, so it can't send "
            "email for your business. Approve an address that only your team uses."
        ),
        field="email",
        code="another_account",
    )


def is_proxy_address(address: str) -> bool:
    """An address on the masked-address domain (or below it)."""
    domain = address.rpartition("@")[2].strip().lower().rstrip(".")
    relay = settings.MESSAGECENTER_EMAIL_DOMAIN
    return domain == relay or domain.endswith("." + relay)


def approved_sender_add(*, business: SellerBusiness, email: str, added_by: User) -> ApprovedSender:
    """Add a pending address for the business and mail it its confirmation link.

    Raises UserFacingError with what to change.
    """
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError as error:
        raise UserFacingError(
            _("Enter a whole email address, like support@example.com."), field="email"
        ) from error
    if is_proxy_address(address):
        raise UserFacingError(
            _("That is a masked marketplace address; approve the real address you send from."),
            field="email",
        )
    if Membership.objects.filter(
        business=business, user__email__iexact=address, user__is_active=True
    ).exists():
        raise UserFacingError(
            _("That is a team member's address, which is always approved."), field="email"
        )
    if belongs_to_another_account(address, business):
        raise _another_account_error()
    if ApprovedSender.objects.filter(business=business).count() >= MAX_APPROVED_SENDERS:
        raise UserFacingError(
            _("A business can approve up to %(limit)d addresses; remove one first.")
            % {"limit": MAX_APPROVED_SENDERS},
            field="email",
        )
    try:
        with transaction.atomic():
            entry = ApprovedSender.objects.create(
                business=business,
                email=address,
                added_by=added_by,
                confirmation_sent_at=timezone.now(),
            )
    except IntegrityError as error:
        raise UserFacingError(
            _("That address is already on the list."), field="email", code="duplicate"
        ) from error
    enqueue_on_commit(SEND_SENDER_CONFIRMATION, entry.pk)
    return entry


def approved_sender_resend_confirmation(*, approved_sender: ApprovedSender) -> None:
    """Mail a pending address a fresh confirmation link."""
    if approved_sender.is_confirmed:
        raise UserFacingError(_("That address is already confirmed."), code="confirmed")
    approved_sender.confirmation_sent_at = timezone.now()
    approved_sender.save(update_fields=["confirmation_sent_at"])
    enqueue_on_commit(SEND_SENDER_CONFIRMATION, approved_sender.pk)


def approved_sender_confirm(*, approved_sender: ApprovedSender) -> ApprovedSender:
    """Confirm a pending address (its link was opened). Confirming twice changes nothing.

    Refused when the address became another account's meanwhile (a login was registered
    with it, or another business confirmed it first).
    """
    with transaction.atomic():
        # Every business's entry for this address, locked in one order: two businesses
        # confirming it at once are served one after the other.
        same_address = ApprovedSender.objects.select_for_update().filter(
            email=approved_sender.email
        )
        locked = {row.pk: row for row in same_address.select_related("business").order_by("pk")}
        entry = locked.get(approved_sender.pk)
        if entry is None:
            raise UserFacingError(
                _("This address was removed from the list; ask an owner to add it again."),
                code="removed",
            )
        if entry.is_confirmed:
            return entry
        if belongs_to_another_account(entry.email, entry.business):
            raise _another_account_error()
        entry.confirmed_at = timezone.now()
        entry.save(update_fields=["confirmed_at"])
        return entry


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
