"""Build a believable demo marketplace. Safe to run again: it only adds what is missing."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.clock.reply_clock import reply_clock_rebuild
from messagecenter.demo import demo_data
from messagecenter.messaging.drafts import Draft
from messagecenter.messaging.models import Message
from messagecenter.messaging.sending import message_send_for_order, message_send_product_question
from messagecenter.threads.models import Conversation, ConversationTopic, Side
from messagecenter.threads.unread_repair import unread_counts_repair
from orders.models import Order, OrderLine, Product

STATUSES = [s.value for s in Order.Status]
ORDERS_PER_OTHER_BUYER = 8


class Command(BaseCommand):
    help = "Create demo sellers, buyers, products, orders and conversations (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(20261124)  # noqa: S311 - demo data, not security
        now = timezone.now()
        with transaction.atomic():
            users = self._users()
            businesses = self._businesses(users)
            products = self._products(businesses)
            self._orders(rng, now, users, businesses, products)
            self._conversations(now, users, businesses)
            # Backdating rewrote last words and read markers around the services.
            unread_counts_repair()
        self.stdout.write(self.style.SUCCESS("Demo marketplace ready."))
        self.stdout.write(
            f"Demo logins (password {demo_data.DEMO_PASSWORD}):\n"
            "  buyer@example.com   buyer with orders from both sellers\n"
            "  seller@example.com  owner of Northwind Home Goods\n"
            "  agent@example.com   agent of Northwind Home Goods\n"
            "  admin@example.com   administrator (Django admin at /admin/)"
        )

    def _user(self, email: str, name: str, **extra: Any) -> User:
        user, _ = User.objects.get_or_create(email=email, defaults={"display_name": name, **extra})
        user.set_password(demo_data.DEMO_PASSWORD)
        user.save(update_fields=["password"])
        return user

    def _users(self) -> dict[str, User]:
        users = {email: self._user(email, name) for email, name in demo_data.BUYERS}
        for roles in demo_data.BUSINESSES.values():
            for email, name in roles.values():
                users[email] = self._user(email, name)
        email, name = demo_data.ADMIN
        users[email] = self._user(email, name, is_staff=True, is_superuser=True)
        return users

    def _businesses(self, users: dict[str, User]) -> dict[str, SellerBusiness]:
        businesses = {}
        for business_name, roles in demo_data.BUSINESSES.items():
            business, _ = SellerBusiness.objects.get_or_create(name=business_name)
            for role, (email, _name) in roles.items():
                Membership.objects.get_or_create(
                    user=users[email], business=business, defaults={"role": role}
                )
            businesses[business_name] = business
        return businesses

    def _products(self, businesses: dict[str, SellerBusiness]) -> dict[str, list[Product]]:
        products: dict[str, list[Product]] = {}
        for business_name, items in demo_data.PRODUCTS.items():
            products[business_name] = [
                Product.objects.get_or_create(
                    seller=businesses[business_name],
                    sku=sku,
                    defaults={"title": title, "price": price},
                )[0]
                for title, sku, price in items
            ]
        return products

    def _orders(
        self,
        rng: random.Random,
        now: Any,
        users: dict[str, User],
        businesses: dict[str, SellerBusiness],
        products: dict[str, list[Product]],
    ) -> None:
        # (buyer, business, status, the SKU the order must contain or "")
        plan: list[tuple[User, str, str, str]] = []
        talked_about = _products_talked_about()
        main_buyer = users["buyer@example.com"]
        for business_name in businesses:
            plan.extend(
                (
                    main_buyer,
                    business_name,
                    status,
                    talked_about.get((main_buyer.email, business_name, status), ""),
                )
                for status in STATUSES
            )
        for email, _name in demo_data.BUYERS[1:]:
            # First the orders the demo conversations are about, then random ones.
            wanted = [(b, st, sku) for (e, b, st), sku in talked_about.items() if e == email]
            while len(wanted) < ORDERS_PER_OTHER_BUYER:
                wanted.append((rng.choice(list(businesses)), rng.choice(STATUSES), ""))
            plan.extend((users[email], *entry) for entry in wanted)
        for index, (buyer, business_name, status, sku) in enumerate(plan):
            number = (
                f"{rng.randint(111, 114)}-{rng.randint(1000000, 9999999)}-"
                f"{rng.randint(1000000, 9999999)}"
            )
            days_ago = {"pending": 1, "unshipped": 3}.get(status, 0) + rng.randint(0, 55)
            if buyer == main_buyer and status == "delivered":
                days_ago = 16  # delivered about 10 days ago: inside the review window
            ordered_at = now - timedelta(days=days_ago, hours=rng.randint(0, 23))
            dates = self._order_dates(rng, now, ordered_at, status)
            picked = rng.sample(products[business_name], k=1 + index % 2)
            quantities = [rng.randint(1, 3) for _ in picked]
            if sku and all(p.sku != sku for p in picked):
                # The order a demo conversation is about holds the product it talks about.
                picked[0] = next(p for p in products[business_name] if p.sku == sku)
            # Every random draw happens before this check, so a second run draws the same
            # numbers and finds every order already there.
            if Order.objects.filter(number=number).exists():
                continue
            order = Order.objects.create(
                number=number,
                buyer=buyer,
                seller=businesses[business_name],
                status=status,
                **dates,
            )
            for product, quantity in zip(picked, quantities, strict=True):
                OrderLine.objects.create(
                    order=order,
                    product=product,
                    title=product.title,
                    sku=product.sku,
                    quantity=quantity,
                    unit_price=product.price,
                )

    @staticmethod
    def _order_dates(rng: random.Random, now: Any, ordered_at: Any, status: str) -> dict:
        dates: dict[str, Any] = {"ordered_at": ordered_at}
        if status in {"pending", "unshipped", "cancelled"}:
            if status == "unshipped":
                dates["earliest_delivery_date"] = (ordered_at + timedelta(days=4)).date()
                dates["latest_delivery_date"] = (ordered_at + timedelta(days=8)).date()
            return dates
        shipped_at = min(ordered_at + timedelta(days=1, hours=rng.randint(0, 30)), now)
        dates["shipped_at"] = shipped_at
        dates["earliest_delivery_date"] = (shipped_at + timedelta(days=2)).date()
        dates["latest_delivery_date"] = (shipped_at + timedelta(days=6)).date()
        if status == "delivered":
            dates["delivered_at"] = min(shipped_at + timedelta(days=rng.randint(2, 5)), now)
        return dates

    def _conversations(
        self, now: Any, users: dict[str, User], businesses: dict[str, SellerBusiness]
    ) -> None:
        for email, business_name, status, sku, starter, script in demo_data.CONVERSATIONS:
            order = (
                _orders_of(users[email], businesses[business_name], status, sku)
                .order_by("ordered_at")
                .first()
            )
            if order is None or Conversation.objects.filter(order=order).exists():
                continue
            seller_member = users[demo_data.BUSINESSES[business_name]["owner"][0]]
            buyer_has_written = starter == "buyer"
            for side, text, hours_ago, *opening_type in script:  # type: ignore[attr-defined]
                is_seller = side == "seller"
                if is_seller:
                    message_type = "reply" if buyer_has_written else opening_type[0]
                else:
                    message_type = "buyer_inquiry"
                    buyer_has_written = True
                result = message_send_for_order(
                    order=order,
                    draft=Draft(
                        sender=seller_member if is_seller else users[email],
                        side=Side.SELLER if is_seller else Side.BUYER,
                        message_type=message_type,
                        subject=f"Order {order.number}",
                        body=text,
                    ),
                )
                self._backdate(result.message, now - timedelta(hours=hours_ago))
        self._held_message(now, users, businesses)
        email, sku, subject, text, hours_ago = demo_data.PRODUCT_QUESTION
        product = Product.objects.get(sku=sku)
        if not Conversation.objects.filter(product=product, buyer=users[email]).exists():
            result = message_send_product_question(
                product=product,
                draft=Draft(
                    sender=users[email],
                    side=Side.BUYER,
                    message_type="product_question",
                    subject=subject,
                    body=text,
                ),
                topic=ConversationTopic.PRODUCT_QUESTION,
            )
            self._backdate(result.message, now - timedelta(hours=hours_ago))

    def _held_message(
        self, now: Any, users: dict[str, User], businesses: dict[str, SellerBusiness]
    ) -> None:
        email, business_name, status, sku, subject, text, hours_ago = demo_data.HELD_MESSAGE
        order = (
            _orders_of(users[email], businesses[business_name], status, sku)
            .order_by("ordered_at")
            .last()
        )
        if (
            order is None
            or Message.objects.filter(
                conversation__order=order, subject_as_written=subject
            ).exists()
        ):
            return
        result = message_send_for_order(
            order=order,
            draft=Draft(
                sender=users[email],
                side=Side.BUYER,
                message_type="buyer_inquiry",
                subject=subject,
                body=text,
            ),
        )
        Message.objects.filter(pk=result.message.pk).update(
            created_at=now - timedelta(hours=hours_ago)
        )

    @staticmethod
    def _backdate(message: Message, when: Any) -> None:
        """Give demo messages believable times; their notifications count as sent."""
        Message.objects.filter(pk=message.pk).update(
            created_at=when, delivered_at=when, notification_sent_at=when
        )
        conversation = message.conversation
        conversation.last_message_at = when
        if message.sender_side == Side.BUYER:
            conversation.last_buyer_message_at = when
        else:
            conversation.last_seller_message_at = when
        conversation.save(
            update_fields=["last_message_at", "last_buyer_message_at", "last_seller_message_at"]
        )
        conversation.read_states.update(last_read_at=when)
        # Due times and answers follow the rewritten times.
        reply_clock_rebuild(conversation)


def _products_talked_about() -> dict[tuple[str, str, str], str]:
    """(buyer email, business, order status) -> the SKU a demo message talks about."""
    about = {
        (email, business_name, status): sku
        for email, business_name, status, sku, *_ in demo_data.CONVERSATIONS
    }
    email, business_name, status, sku, *_ = demo_data.HELD_MESSAGE
    about[(email, business_name, status)] = sku
    return about


def _orders_of(buyer: User, seller: SellerBusiness, status: str, sku: str) -> QuerySet[Order]:
    orders = Order.objects.filter(buyer=buyer, seller=seller, status=status)
    return orders.filter(lines__sku=sku).distinct() if sku else orders
