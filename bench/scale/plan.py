"""How big the generated marketplace is and what is in it: people, seller businesses,
products, orders and conversations, with the skew of a real marketplace.

At scale 1.0: 1,000,000 messages in 200,000 conversations, 50,000 buyers, 200 sellers and
300,000 orders. One seller has a tenth of the conversations (20,000), the others fewer and
fewer down to a couple of hundred; one buyer has 500 conversations, most a handful. Pure
Python and deterministic for a seed: `build_plan` decides everything, load.py writes it.
Times are seconds since the epoch until they are written.
"""

from __future__ import annotations

import base64
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from bench.scale import texts
from bench.scale.timeline import (
    BUYER,
    DAY,
    HOUR,
    NO_RESPONSE,
    WAITING,
    Clock,
    ConversationPlan,
    PlannedMessage,
    Team,
    fill,
    settle,
    shape,
)

MIN_SCALE = 0.001
DEFAULT_SEED = 20250307
LONG_THREAD = 50  # messages in the long conversation each bench seller has
LONGEST_OTHERWISE = 40
PRODUCT_QUESTION_SHARE = 0.1
HISTORY_DAYS = 120  # how far back conversations were last written in
ORDER_HISTORY_DAYS = 180

# The accounts the benchmarks use; they log in with BENCH_PASSWORD.
HEAVY_SELLER_OWNER = "owner@heavy-seller.bench.example"
SMALL_SELLER_OWNER = "owner@small-seller.bench.example"
HEAVY_BUYER = "heavy-buyer@bench.example"
SMALL_BUYER = "buyer@bench.example"
ADMIN = "admin@bench.example"
BENCH_PASSWORD = "bench-pass-123"


@dataclass(frozen=True)
class Sizes:
    scale: float
    messages: int
    conversations: int
    buyers: int
    sellers: int
    orders: int
    heavy_seller_conversations: int
    heavy_buyer_conversations: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        """The marketplace at `scale` (1.0: a million messages); small scales keep enough
        sellers and buyers for the heavy ones to stand out."""
        if scale < MIN_SCALE:
            raise ValueError(f"The scale must be at least {MIN_SCALE}.")
        conversations = round(200_000 * scale)
        return cls(
            scale=scale,
            messages=round(1_000_000 * scale),
            conversations=conversations,
            buyers=max(50, round(50_000 * scale)),
            sellers=max(20, round(200 * scale)),
            orders=round(300_000 * scale),
            heavy_seller_conversations=round(conversations / 10),
            heavy_buyer_conversations=max(25, round(500 * scale)),
        )


@dataclass(slots=True)
class User:
    id: int
    email: str
    first_name: str
    last_name: str
    opted_out: bool = False
    is_staff: bool = False


@dataclass(slots=True)
class Business:
    id: int
    name: str
    team: Team
    conversations: int
    orders: int
    products: list[Product] = field(default_factory=list)


@dataclass(slots=True)
class Product:
    id: int
    seller: int
    title: str
    sku: str
    price: Decimal


@dataclass(slots=True)
class Order:
    number: str
    buyer: int
    seller: int
    ordered_at: float
    lines: list[tuple[Product, int]]
    status: str = "pending"
    shipped_at: float | None = None
    delivered_at: float | None = None
    earliest_delivery: float | None = None
    latest_delivery: float | None = None
    id: int = 0


@dataclass
class Plan:
    sizes: Sizes
    now: float
    users: list[User]
    businesses: list[Business]
    orders: list[Order]
    conversations: list[ConversationPlan]
    messages: list[PlannedMessage]  # in time order, which is id order
    address_pairs: dict[tuple[int, int], tuple[str, str, float]]

    @property
    def products(self) -> list[Product]:
        return [p for b in self.businesses for p in b.products]


def _shares(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, in whole numbers that add up."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _token(rng: random.Random) -> str:
    """A masked address's local part as relay.addresses makes them (104 bits, base32)."""
    raw = rng.getrandbits(104).to_bytes(13, "big")
    return base64.b32encode(raw).decode("ascii").rstrip("=").lower()


class _Planner:
    def __init__(self, sizes: Sizes, now: float, seed: int, clock: Clock) -> None:
        self.sizes, self.now, self.clock = sizes, now, clock
        self.rng = random.Random(seed)
        self.users: list[User] = []
        self.order_count = 0
        self.next_product = 1

    def person(self, email: str = "", domain: str = "", **extra: bool) -> User:
        first, last = self.rng.choice(texts.FIRST_NAMES), self.rng.choice(texts.LAST_NAMES)
        user_id = len(self.users) + 1
        email = email or f"{first}.{last}.{user_id}@{domain}".lower()
        user = User(user_id, email, first, last, **extra)
        self.users.append(user)
        return user

    def businesses(self) -> list[Business]:
        sizes, rng = self.sizes, self.rng
        others = _shares(
            sizes.conversations - sizes.heavy_seller_conversations,
            [1 / (rank + 9) for rank in range(1, sizes.sellers)],
        )
        conversations = [sizes.heavy_seller_conversations, *others]
        orders = _shares(sizes.orders, [float(c) for c in conversations])
        combos = len(texts.BUSINESS_WORDS) * len(texts.BUSINESS_PLACES) * len(texts.BUSINESS_KINDS)
        picks = rng.sample(range(combos), min(combos, sizes.sellers))
        businesses = []
        for index, count in enumerate(conversations):
            pick = picks[index % len(picks)]
            word, rest = divmod(pick, len(texts.BUSINESS_PLACES) * len(texts.BUSINESS_KINDS))
            place, kind = divmod(rest, len(texts.BUSINESS_KINDS))
            name = (
                f"{texts.BUSINESS_WORDS[word]} {texts.BUSINESS_PLACES[place]} "
                f"{texts.BUSINESS_KINDS[kind]}"
            )
            if index >= len(picks):
                name = f"{name} {index}"
            business_id = index + 1
            domain = f"seller{business_id}.bench.example"
            bench_owner = {0: HEAVY_SELLER_OWNER, len(conversations) - 1: SMALL_SELLER_OWNER}
            owner = self.person(bench_owner.get(index, ""), domain)
            agents = [self.person("", domain) for _ in range(min(9, 1 + count // 2000))]
            team = Team(business_id, owner.id, [a.id for a in agents])
            business = Business(business_id, name, team, count, max(orders[index], count))
            business.products = self.products(business)
            businesses.append(business)
        return businesses

    def products(self, business: Business) -> list[Product]:
        rng = self.rng
        prefix = "".join(word[0] for word in business.name.split() if word[0].isalpha())[:3]
        first_id = self.next_product
        count = 20 + business.conversations // 40
        self.next_product = first_id + count
        return [
            Product(
                first_id + i,
                business.team.id,
                f"{rng.choice(texts.PRODUCT_ADJECTIVES)} {rng.choice(texts.PRODUCT_ITEMS)}, "
                f"{rng.choice(texts.PRODUCT_VARIANTS)}",
                f"{prefix}-{i + 1:05d}",
                Decimal(rng.randint(500, 30_000)).scaleb(-2),
            )
            for i in range(count)
        ]

    def buyer_index(self) -> int:
        """Any buyer but the two bench ones, the first ones far busier than the last."""
        return 2 + int((self.sizes.buyers - 2) * self.rng.random() ** 1.3)

    def conversations(
        self, businesses: list[Business], buyers: list[User]
    ) -> list[ConversationPlan]:
        """Every conversation with its seller and buyer. The first conversation about an
        order of the heaviest and of the smallest seller is their long thread, with the
        heavy and the ordinary bench buyer; the heavy buyer gets the rest of their share
        among all sellers, the ordinary one three more; the other buyers are drawn with a
        few far busier than most."""
        plans: list[ConversationPlan] = []
        threads: list[ConversationPlan] = []
        for business in businesses:
            questions = round(business.conversations * PRODUCT_QUESTION_SHARE)
            for index in range(business.conversations):
                buyer = buyers[self.buyer_index()]
                plan = ConversationPlan(
                    team=business.team,
                    buyer=buyer.id,
                    about_order=index >= questions,
                    buyer_opted_out=buyer.opted_out,
                )
                plans.append(plan)
                if index == questions:
                    threads.append(plan)
        heavy_thread, small_thread = threads[0], threads[-1]
        heavy_thread.long_thread = small_thread.long_thread = True
        rest = [p for p in plans if not p.long_thread]
        chosen = self.rng.sample(rest, self.sizes.heavy_buyer_conversations - 1 + 3)
        for plan in [heavy_thread, *chosen[3:]]:
            plan.buyer, plan.buyer_opted_out = buyers[0].id, False
        for plan in [small_thread, *chosen[:3]]:
            plan.buyer, plan.buyer_opted_out = buyers[1].id, False
        per_buyer = Counter(p.buyer for p in plans)
        busiest_other = max(n for b, n in per_buyer.items() if b != buyers[0].id)
        if per_buyer[buyers[0].id] <= busiest_other:
            raise ValueError("The heavy buyer must have the most conversations.")
        return plans

    def sizes_of(self, plans: list[ConversationPlan]) -> None:
        """Each conversation's number of messages, adding up to exactly the total."""
        rng, clock = self.rng, self.clock
        for plan in plans:
            if plan.long_thread:
                plan.size = LONG_THREAD
            shape(plan, rng, clock.now, HISTORY_DAYS)
        self.every_kind(plans)
        free = [p for p in plans if not p.long_thread]
        target = self.sizes.messages - LONG_THREAD * (len(plans) - len(free))
        mean_extra = max(0.1, (target - sum(p.min_size for p in free)) / len(free))
        for plan in free:
            plan.size = min(LONGEST_OTHERWISE, plan.min_size + int(rng.expovariate(1 / mean_extra)))
        difference = target - sum(p.size for p in free)
        if target < sum(p.min_size for p in free):
            raise ValueError("Too few messages for the conversations at this scale.")
        while difference:
            plan = rng.choice(free)
            if difference > 0 and plan.size < LONGEST_OTHERWISE:
                plan.size += 1
                difference -= 1
            elif difference < 0 and plan.size > plan.min_size:
                plan.size -= 1
                difference += 1

    def every_kind(self, plans: list[ConversationPlan]) -> None:
        """Even the smallest marketplace has one of everything the pages show: a buyer
        waiting, one overdue, one marked "no response needed", and a held, a rejected and
        a blocked message."""
        rng, now = self.rng, self.now
        ordinary = [p for p in plans if not p.long_thread and p.started_by == BUYER and not p.extra]
        picks = iter(rng.sample(ordinary, 6))
        wanted = (
            (WAITING, "", (HOUR, 12 * HOUR)),
            (WAITING, "", (30 * HOUR, 48 * HOUR)),
            (NO_RESPONSE, "", (HOUR, 12 * HOUR)),
            ("", texts.HELD, (HOUR, DAY)),
            ("", texts.REJECTED, (5 * DAY, 20 * DAY)),
            ("", texts.BLOCKED, (DAY, 10 * DAY)),
        )
        for state, extra, (newest, oldest) in wanted:
            if any(
                (not state or p.state == state)
                and p.extra == extra
                and newest <= now - p.last_at <= oldest
                for p in plans
            ):
                continue
            plan = next(picks)
            plan.state = state or plan.state
            plan.extra = extra
            plan.last_at = now - rng.uniform(newest, oldest)
            settle(plan)

    def order_for(self, plan: ConversationPlan, business: Business) -> Order:
        first_at = plan.messages[0].at
        return self.order(plan.buyer, business, first_at - self.rng.uniform(2 * HOUR, 10 * DAY))

    def order(self, buyer: int, business: Business, ordered_at: float) -> Order:
        rng = self.rng
        self.order_count += 1
        number = f"{rng.randint(111, 114)}-{rng.randint(1_000_000, 9_999_999)}-" + (
            f"{self.order_count:07d}"
        )
        picked = rng.sample(business.products, k=rng.choices((1, 2, 3), (6, 3, 1))[0])
        order = Order(
            number, buyer, business.team.id, ordered_at, [(p, rng.randint(1, 3)) for p in picked]
        )
        _progress(order, rng, self.now)
        return order


def _progress(order: Order, rng: random.Random, now: float) -> None:
    """The order's status and dates, from how long ago it was placed."""
    age = now - order.ordered_at
    draw = rng.random()
    if age > DAY and draw < 0.03:
        order.status = "cancelled"
        return
    if age < DAY:
        order.status = "pending" if draw < 0.5 else "unshipped"
    elif age < 3 * DAY:
        order.status = "unshipped" if draw < 0.5 else "shipped"
    elif age < 8 * DAY:
        order.status = "shipped" if draw < 0.6 else "delivered"
    else:
        order.status = "delivered" if draw < 0.97 else "shipped"
    if order.status in {"pending", "cancelled"}:
        return
    if order.status == "unshipped":
        order.earliest_delivery = order.ordered_at + 4 * DAY
        order.latest_delivery = order.ordered_at + 8 * DAY
        return
    shipped = min(order.ordered_at + rng.uniform(12 * HOUR, 2 * DAY), now)
    order.shipped_at = shipped
    order.earliest_delivery, order.latest_delivery = shipped + 2 * DAY, shipped + 6 * DAY
    if order.status == "delivered":
        order.delivered_at = max(shipped, min(shipped + rng.uniform(2 * DAY, 5 * DAY), now))


def build_plan(
    sizes: Sizes,
    *,
    now: float,
    seed: int = DEFAULT_SEED,
    reply_hours: int = 24,
    reminder_hours: tuple[int, ...] = (12, 2),
) -> Plan:
    """Everything the marketplace holds, decided; nothing written yet."""
    clock = Clock(now=now, reply_seconds=reply_hours * HOUR, reminder_hours=reminder_hours)
    planner = _Planner(sizes, now, seed, clock)
    rng = planner.rng
    planner.person(ADMIN, is_staff=True)
    buyers = [planner.person(HEAVY_BUYER), planner.person(SMALL_BUYER)]
    buyers += [
        planner.person("", "buyers.bench.example", opted_out=rng.random() < 0.04)
        for _ in range(sizes.buyers - 2)
    ]
    businesses = planner.businesses()
    by_id = {b.team.id: b for b in businesses}
    plans = planner.conversations(businesses, buyers)
    planner.sizes_of(plans)
    orders: list[Order] = []
    for plan in plans:
        fill(plan, rng, clock)
        business = by_id[plan.team.id]
        if plan.about_order:
            order = planner.order_for(plan, business)
            orders.append(order)
            plan.order, plan.subject = order, f"Order {order.number}"
        else:
            product = rng.choice(business.products)
            plan.product, plan.subject = product, f"Question about {product.title}"[:200]
    with_conversation = Counter(o.seller for o in orders)
    for business in businesses:
        for _ in range(business.orders - with_conversation[business.team.id]):
            ordered_at = now - ORDER_HISTORY_DAYS * DAY * rng.random() ** 1.1
            orders.append(planner.order(buyers[planner.buyer_index()].id, business, ordered_at))
    # Ids in time order, as a database that grew over time has them.
    for number, order in enumerate(sorted(orders, key=lambda o: o.ordered_at), start=1):
        order.id = number
    for number, plan in enumerate(sorted(plans, key=lambda p: p.messages[0].at), start=1):
        plan.id = number
    messages = sorted((m for p in plans for m in p.messages), key=lambda m: m.at)
    for number, message in enumerate(messages, start=1):
        message.id = number
    return Plan(
        sizes=sizes,
        now=now,
        users=planner.users,
        businesses=businesses,
        orders=sorted(orders, key=lambda o: o.id),
        conversations=sorted(plans, key=lambda p: p.id),
        messages=messages,
        address_pairs=_address_pairs(plans, rng),
    )


def _address_pairs(
    plans: list[ConversationPlan], rng: random.Random
) -> dict[tuple[int, int], tuple[str, str, float]]:
    """Each buyer-seller pair's masked addresses, made at their first contact."""
    pairs: dict[tuple[int, int], tuple[str, str, float]] = {}
    for plan in sorted(plans, key=lambda p: p.id):
        key = (plan.buyer, plan.team.id)
        if key not in pairs:
            pairs[key] = (_token(rng), _token(rng), plan.messages[0].at)
    return pairs
