"""What the benchmarks look at in a seeded marketplace: the bench accounts, each one's
long conversation, an order to write about and a name to search for."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from bench.scale import plan as planned
from messagecenter.accounts.models import SellerBusiness, User
from messagecenter.core.keyset import older_than
from messagecenter.core.pagination import PAGE_SIZE
from messagecenter.messaging.models import Message
from messagecenter.threads.models import Conversation
from messagecenter.threads.selectors import inbox_sort_keys, seller_inbox


@dataclass(frozen=True)
class SellerTarget:
    label: str
    user: User
    business: SellerBusiness
    conversations: int
    thread: Conversation  # the seller's long conversation, with one of the bench buyers
    order_number: str  # the order that conversation is about
    deep_page: int  # an inbox page halfway down
    deep_cursor: str  # the Older link that leads to it ("" for the first page)
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
        deep_cursor=_cursor_to_page(user, max(1, pages // 2)),
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


def _cursor_to_page(user: User, page: int) -> str:
    """The cursor a seller reaches inbox page ``page`` (All, newest first) with, by following
    Older from the first page: the last row of the page before it."""
    if page <= 1:
        return ""
    keys = inbox_sort_keys()
    before = seller_inbox(user).order_by(*(("-" if k.descending else "") + k.name for k in keys))[
        (page - 1) * PAGE_SIZE - 1
    ]
    return older_than(before, keys)
