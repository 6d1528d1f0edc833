"""What the benchmarks look at in a seeded marketplace: the bench accounts, each one's
long conversation, an order to write about and a name to search for."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from bench.scale import plan as planned
from messagecenter.accounts.models import SellerBusiness, User
from messagecenter.core.pagination import PAGE_SIZE
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation


@dataclass(frozen=True)
class SellerTarget:
    label: str
    user: User
    business: SellerBusiness
    conversations: int
    thread: Conversation  # the seller's long conversation, with one of the bench buyers
    order_number: str  # the order that conversation is about
    deep_page: int  # an inbox page halfway down
    search: str  # a buyer's last name to search Manage Orders for


@dataclass(frozen=True)
class BuyerTarget:
    label: str
    user: User
    conversations: int
    thread: Conversation
    order_number: str


@dataclass(frozen=True)
class Targets:
    sellers: tuple[SellerTarget, ...]
    buyers: tuple[BuyerTarget, ...]
    admin: User
    baseline_seller: SellerBusiness  # whose 25 newest conversations the bare view lists


def _longest(**where: object) -> Conversation:
    found = (
        Conversation.objects.filter(**where)
        .annotate(size=Count("messages"))
        .select_related("order", "buyer")
        .order_by("-size", "id")
        .first()
    )
    if found is None or found.order is None:
        raise LookupError(f"No conversation about an order for {where}: is the marketplace seeded?")
    return found


def _seller(label: str, email: str, buyer: User) -> SellerTarget:
    user = User.objects.get(email=email)
    business = SellerBusiness.objects.get(memberships__user=user)
    thread = _longest(seller=business, buyer=buyer)
    assert thread.order is not None
    conversations = Conversation.objects.filter(seller=business).count()
    pages = max(1, -(-conversations // PAGE_SIZE))
    return SellerTarget(
        label=label,
        user=user,
        business=business,
        conversations=conversations,
        thread=thread,
        order_number=thread.order.number,
        deep_page=max(1, pages // 2),
        search=thread.buyer.last_name,
    )


def _buyer(label: str, user: User, seller: SellerBusiness) -> BuyerTarget:
    thread = _longest(seller=seller, buyer=user)
    assert thread.order is not None
    return BuyerTarget(
        label=label,
        user=user,
        conversations=Conversation.objects.filter(buyer=user).count(),
        thread=thread,
        order_number=thread.order.number,
    )


def find_targets() -> Targets:
    """The bench accounts and objects of the seeded marketplace (plan.py names them)."""
    heavy_buyer = User.objects.get(email=planned.HEAVY_BUYER)
    small_buyer = User.objects.get(email=planned.SMALL_BUYER)
    heavy = _seller("heavy seller", planned.HEAVY_SELLER_OWNER, heavy_buyer)
    small = _seller("small seller", planned.SMALL_SELLER_OWNER, small_buyer)
    return Targets(
        sellers=(heavy, small),
        buyers=(
            _buyer("heavy buyer", heavy_buyer, heavy.business),
            _buyer("small buyer", small_buyer, small.business),
        ),
        admin=User.objects.get(email=planned.ADMIN),
        baseline_seller=heavy.business,
    )


def held_message_id() -> int | None:
    """A message waiting for review, for the reviewer's page."""
    return Message.objects.filter(status=Message.Status.HELD).values_list("pk", flat=True).first()
