"""Who may write to a masked address, and as whom their email is stored.

Mail to the buyer's masked address must come from the seller's side: the registered
address of an active team member, or one of the business's approved sending addresses.
Mail to the seller's masked address must come from the buyer's registered address. The
envelope sender, when the sending server gave one, must pass the same test, so a forged
From alone is not enough.

Decided: mail from an approved sending address is stored as written by the business's
owner (the earliest active owner), because every message needs a person behind it and the
owner is the one who approved the address.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from compliance.config import current_policy
from compliance.engine import MessageDraft, check_rules
from messagecenter.accounts.models import Membership, User
from messagecenter.accounts.selectors import membership_known
from messagecenter.relay.approved_senders import approved_addresses
from messagecenter.relay.models import ProxyAddressPair
from messagecenter.threads.models import Side

NOT_ALLOWED = (
    "This address does not accept email from {address}. Only the people in this "
    "conversation can write to it, from the address they registered with the marketplace "
    "(or one their business approved)."
)
NO_FROM = "The email has no readable From address."


@dataclass(frozen=True)
class Sender:
    """A sender the pair accepts: the user the message is stored as, and their address."""

    user: User
    side: Side  # the side they write for
    address: str  # the address they wrote from: where notices about this email go
    approved_address: bool = False  # an approved sending address, stored as the owner


@dataclass(frozen=True)
class SenderRefused:
    reason: str
    rule: str = ""  # a policy rule id, when one names the problem


def null_sender(envelope_from: str | None) -> bool:
    """The envelope has the null sender "<>": a bounce or an automatic message."""
    return envelope_from is not None and envelope_from.strip() in ("", "<>")


def sender_for(
    *,
    pair: ProxyAddressPair,
    recipient_side: Side,
    from_address: str,
    envelope_from: str | None,
    team: Iterable[Membership] | None = None,
) -> Sender | SenderRefused:
    """The accepted sender of an email to this side's masked address, or why not.

    ``team``: the seller's active memberships with their users, earliest first, when the
    caller read them already (relay.addresses reads them with the pair)."""
    if not from_address:
        return SenderRefused(NO_FROM)
    # Unknown (None) or the null sender: only From can be checked.
    envelope = None
    if envelope_from is not None and not null_sender(envelope_from):
        envelope = envelope_from.strip().strip("<>").strip().lower()
    if recipient_side == Side.BUYER:
        return _seller_side_sender(pair, from_address, envelope, team)
    return _buyer_sender(pair, from_address, envelope)


def _buyer_sender(
    pair: ProxyAddressPair, address: str, envelope: str | None
) -> Sender | SenderRefused:
    buyer = pair.buyer
    registered = buyer.email.lower()
    if buyer.is_active and address == registered and envelope in (None, registered):
        return Sender(user=buyer, side=Side.BUYER, address=address)
    if _member_of_another_business(address, pair):
        refusal = _seller_to_seller_refusal()
        if refusal is not None:
            return refusal
    return SenderRefused(NOT_ALLOWED.format(address=address))


def _seller_side_sender(
    pair: ProxyAddressPair, address: str, envelope: str | None, team: Iterable[Membership] | None
) -> Sender | SenderRefused:
    if team is None:
        team = (
            Membership.objects.filter(business_id=pair.seller_id, user__is_active=True)
            .select_related("user")
            .order_by("created_at", "id")
        )
    members = {m.user.email.lower(): m for m in team}

    def accepted(allowed: set[str]) -> bool:
        return address in allowed and (envelope is None or envelope in allowed)

    # Most mail comes from the team's own addresses: the approved ones are read only when
    # the team's do not do.
    if not accepted(set(members)) and not accepted(set(members) | approved_addresses(pair.seller)):
        return SenderRefused(NOT_ALLOWED.format(address=address))
    for member in members.values():
        # Read as the business's team: the send need not ask again (accounts.selectors).
        membership_known(member.user, pair.seller_id)
    if address in members:
        return Sender(user=members[address].user, side=Side.SELLER, address=address)
    owners = [m.user for m in members.values() if m.role == Membership.Role.OWNER]
    if not owners:
        return SenderRefused(
            f"{address} is an approved sending address of {pair.seller.name}, but the "
            "business has no active owner to send it as. Ask an owner to sign in, or write "
            "from a team member's address."
        )
    return Sender(user=owners[0], side=Side.SELLER, address=address, approved_address=True)


def _member_of_another_business(address: str, pair: ProxyAddressPair) -> bool:
    return (
        Membership.objects.filter(user__email__iexact=address, user__is_active=True)
        .exclude(business_id=pair.seller_id)
        .exists()
    )


def _seller_to_seller_refusal() -> SenderRefused | None:
    """pair.seller_to_seller as the operator set it; None when they switched it off (the
    sender is then refused as anyone else who is not the buyer)."""
    draft = MessageDraft(sender_side="seller", message_type="", body="", recipient_is_seller=True)
    found = check_rules(draft, ["pair.seller_to_seller"], current_policy())
    if not found:
        return None
    return SenderRefused(f"{found[0].message} (rule pair.seller_to_seller)", found[0].rule)
