"""How fast check_message judges realistic seller messages, with every registered rule on.

    .venv/bin/python bench/compliance.py [--rounds 40] [--seed 7]

Builds about fifty seller messages of roughly 2 KB (HTML and plain text, some breaking
rules), makes each one different in every round (order number, names, dates) so that no
cache sees the same text twice, and prints checks per second and the p50 and p99 time per
message. The target is a p50 under 1 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")

import django

django.setup()

from compliance.detect.phrase_index import wait_for_compiles  # noqa: E402
from compliance.engine import (  # noqa: E402
    FileFacts,
    MessageDraft,
    OrderFacts,
    check_message,
    registered_rules,
)
from compliance.policy import Action, PolicyConfig  # noqa: E402
from compliance.sanitize import render_message_html  # noqa: E402

TARGET_SIZE = 1950
NAMES = ["Jordan", "Priya", "Alex", "Sam", "Maria", "Chen", "Fatima", "Lukas", "Aiko", "Noah"]
PRODUCTS = [
    "Northwind duvet cover (queen, sage)",
    "CO-TIP-11 tent footprint",
    "NW-DUV-Q-SG duvet insert",
    "walnut dining table, 180 cm",
    "custom engraved cutting board",
    "3-seat sofa in charcoal linen",
]

# Sentences a seller writes about an order; {order}, {name}, {product}, {date} are filled in.
PARAGRAPHS = [
    "Thank you for your order {order} of the {product}. Because it ships as a bulky item, the "
    "carrier needs a delivery appointment. We can offer {date} between 9:00 and 12:00, or the "
    "following Thursday between 13:00 and 17:00. Please reply with the window that suits you.",
    "The invoice for order {order} is attached. The total is $1,299.00 including $84.50 sales "
    "tax and $35.00 freight; the balance due is $0.00 as the payment was captured on {date}.",
    'Before we start the engraving on your {product}, please confirm the text: "The Miles '
    'Family, est. 2019" in the serif font, centred, 3.5 mm high. Reply if you want changes.',
    "We received your return request for {product}. Could you tell us whether the item is "
    "unused and in its original packaging? If so, we will issue the refund within 3-5 "
    "business days of receiving it at our warehouse.",
    "Your package is with UPS, tracking number 1Z999AA10123456784, and the carrier estimates "
    "delivery on {date}. The box is 120 x 80 x 45 cm and weighs 38 kg; two people will carry "
    "it to the room of your choice.",
    "If you have a moment, we would appreciate a review of the {product} on the marketplace. "
    "Your honest opinion helps other shoppers and helps us improve.",
    "The manual for the {product} is attached as manual.pdf; see page 12 for assembly "
    "(e.g. attach the legs before turning the table over). The warranty runs until {date}.",
    "We are sorry: the {product} will ship later than planned because the fabric supplier "
    "delayed the sage colour. The new dispatch date is {date}; the delivery estimate moves "
    "by the same five days. Nothing is needed from you.",
    "For the service appointment, our technician needs access to a standard 230 V socket "
    "and about 2 square metres of free space. The visit takes 45-60 minutes.",
    "Order {order} contains 2 items: 1 x {product} and 1 x matching pillow cases (set of 2). "
    "Both ship together from our warehouse in Reno, NV 89502.",
]
VIOLATIONS = [
    "If anything is unclear, call me on +1 (555) 123-4567 or text 555.987.6543.",
    "You can also write to jane (at) northwind-mail [dot] com.",
    "See more colours at https://northwind-outlet.example.com/sale or www.cheap-duvets.com.",
    "Thanks so much 😀🎉 we hope you love it!",
    '<img src="https://tracker.example.net/open.gif?o=1" width="1" height="1">',
    '<p style="font-family: Comic Sans MS; color: #c00; text-align: center">Big news</p>',
    "<h1>Order</h1><h2>Delivery</h2><h3>Notes</h3>",
    "<p>Kind regards,</p><p></p><p><br></p><p>Sam</p>",
    "Reach us at five five five, one two three, four five six seven.",
]


def build_messages(rng: random.Random, round_no: int, count: int = 50) -> list[MessageDraft]:
    drafts = []
    sent = datetime(2026, 11, 20, 10, tzinfo=UTC) + timedelta(minutes=round_no)
    for index in range(count):
        order = f"{114 + index:03d}-{rng.randrange(10**6, 10**7)}-{rng.randrange(10**6, 10**7)}"
        fill = {
            "order": order,
            "name": rng.choice(NAMES),
            "product": rng.choice(PRODUCTS),
            "date": (sent + timedelta(days=rng.randrange(2, 40))).strftime("%B %d, %Y"),
        }
        paragraphs = [f"Hello {fill['name']},"]
        while sum(map(len, paragraphs)) < TARGET_SIZE - 250:
            paragraphs.append(rng.choice(PARAGRAPHS).format(**fill))
        if index % 3 == 0:
            paragraphs.insert(rng.randrange(1, len(paragraphs)), rng.choice(VIOLATIONS))
        paragraphs.append("Kind regards,\nSam, Northwind Home Goods")
        html = index % 2 == 0
        body = (
            "".join(f"<p>{p}</p>" if not p.startswith("<") else p for p in paragraphs)
            if html
            else "\n\n".join(paragraphs)
        )
        drafts.append(
            MessageDraft(
                sender_side="seller",
                message_type="reply"
                if index % 4 == 0
                else rng.choice(
                    ["confirm_delivery_details", "unexpected_problem", "shipment_delay"]
                ),
                subject=f"Your order {order}",
                body=body,
                reply_to_buyer=index % 4 == 0,
                order=OrderFacts(ordered_at=sent - timedelta(days=3)),
                sent_at=sent,
                attachments=(FileFacts("manual.pdf", 180_000),) if index % 5 == 0 else (),
            )
        )
    return drafts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rules = registered_rules()
    policy = PolicyConfig()  # POLICY.md's defaults: every rule on
    assert not [rule_id for rule_id in rules if policy.action_for(rule_id) == Action.OFF]
    rng = random.Random(args.seed)
    rounds = [build_messages(rng, round_no) for round_no in range(args.rounds + 1)]
    for draft in rounds[0]:  # warm up: imports, compiled patterns, phonenumbers metadata
        check_message(draft, policy)
    wait_for_compiles()
    # The bare baseline: only sanitizing each body, which every way a message comes in pays
    # whether or not a single rule runs.
    baseline: list[float] = []
    for drafts in rounds[1:]:
        for draft in drafts:
            started = time.perf_counter()
            render_message_html(draft.body)
            baseline.append(time.perf_counter() - started)
    timings: list[float] = []
    outcomes: dict[str, int] = {}
    for drafts in rounds[1:]:
        for draft in drafts:
            started = time.perf_counter()
            verdict = check_message(draft, policy)
            timings.append(time.perf_counter() - started)
            outcomes[verdict.verdict] = outcomes.get(verdict.verdict, 0) + 1
    sizes = [len(draft.body) for draft in rounds[1]]
    timings.sort()
    p50 = statistics.median(timings) * 1000
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000
    print(f"rules: {len(rules)} registered ({', '.join(rules)})")
    print(
        f"messages: {len(rounds[1])} per round x {args.rounds} rounds, "
        f"body {min(sizes)}-{max(sizes)} chars (mean {statistics.mean(sizes):.0f})"
    )
    print(f"outcomes: {outcomes}")
    print(f"checks/s: {len(timings) / sum(timings):,.0f}")
    print(f"baseline (sanitizing alone) p50: {statistics.median(baseline) * 1000:.3f} ms")
    print(f"p50: {p50:.3f} ms   p99: {p99:.3f} ms   (target p50 < 1 ms)")


if __name__ == "__main__":
    main()
