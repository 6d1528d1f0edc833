"""The demo marketplace that `manage.py seed_demo` builds: who, what and when."""

from __future__ import annotations

from decimal import Decimal

DEMO_PASSWORD = "demo-pass-123"  # noqa: S105 - documented demo login, see README

BUSINESSES = {
    "Northwind Home Goods": {
        "owner": ("seller@example.com", "Sam Carter"),
        "agent": ("agent@example.com", "Avery Lee"),
    },
    "Cascade Outdoor Supply": {
        "owner": ("maria@cascade.example", "Maria Lopez"),
        "agent": ("liam@cascade.example", "Liam Chen"),
    },
}

BUYERS = [
    ("buyer@example.com", "Jordan Miles"),
    ("priya@example.com", "Priya Natarajan"),
    ("tom@example.com", "Tom Becker"),
    ("olivia@example.com", "Olivia Grant"),
    ("kenji@example.com", "Kenji Watanabe"),
    ("fatima@example.com", "Fatima Haddad"),
]

ADMIN = ("admin@example.com", "Morgan Admin")

PRODUCTS = {
    "Northwind Home Goods": [
        ("Linen Duvet Cover, Queen, Sage", "NW-DUV-Q-SG", Decimal("89.00")),
        ("Cast Iron Dutch Oven 5.5 qt", "NW-DO-55", Decimal("64.50")),
        ("Bamboo Bath Towel Set (6 pieces)", "NW-TWL-6", Decimal("42.99")),
        ("Ceramic Pour-Over Coffee Set", "NW-CPO-1", Decimal("38.00")),
        ("Solid Oak Bookshelf, 5 Tier", "NW-BSH-5", Decimal("249.00")),
        ("Personalized Cutting Board (engraved)", "NW-CB-ENG", Decimal("54.00")),
    ],
    "Cascade Outdoor Supply": [
        ("Ultralight 2-Person Tent", "CO-TNT-2P", Decimal("219.00")),
        ("Down Sleeping Bag, 20°F", "CO-SLB-20", Decimal("179.95")),
        ("Trekking Poles, Carbon (pair)", "CO-TRK-CB", Decimal("74.00")),
        ("Insulated Water Bottle 32 oz", "CO-BTL-32", Decimal("29.99")),
        ("Camp Stove with Igniter", "CO-STV-1", Decimal("58.25")),
        ("Waterproof Hiking Boots, Men's 10", "CO-BT-M10", Decimal("139.00")),
    ],
}

# Conversations: (buyer email, business, the status of that pair's order, the SKU of the
# product the conversation is about, who starts, messages). The order is built to contain
# that product (an empty SKU: any order of that status). Each message is (side, text, hours
# before now); a seller message that opens a conversation names its message type as a
# fourth item, later ones are replies.
CONVERSATIONS = [
    (
        "buyer@example.com",
        "Northwind Home Goods",
        "shipped",
        "",
        "buyer",
        [
            (
                "buyer",
                "Hi! My tracking hasn't updated in three days. Is the parcel still on its "
                "way, or should I be worried?",
                30,
            ),
            (
                "seller",
                "Thanks for checking in. The carrier had a backlog at the regional hub; "
                "the parcel is moving again and should reach you by Friday.",
                26,
            ),
            (
                "buyer",
                "Great, thank you. Could you ask them to leave it with the building "
                "concierge if I'm out?",
                5,
            ),
        ],
    ),
    (
        "buyer@example.com",
        "Cascade Outdoor Supply",
        "unshipped",
        "CO-SLB-20",
        "seller",
        [
            (
                "seller",
                "Hello Jordan, the 20°F sleeping bag is back-ordered by about four days. "
                "We will ship it as soon as it arrives and keep you posted.",
                50,
                "shipment_delay",
            ),
        ],
    ),
    (
        "priya@example.com",
        "Northwind Home Goods",
        "delivered",
        "NW-DUV-Q-SG",
        "buyer",
        [
            (
                "buyer",
                "The duvet cover arrived but one corner tie is missing. Can you send a "
                "replacement tie, or should I return it?",
                3,
            ),
        ],
    ),
    (
        "tom@example.com",
        "Northwind Home Goods",
        "unshipped",
        "NW-CB-ENG",
        "seller",
        [
            (
                "seller",
                "Hi Tom, please confirm the text you would like engraved on the cutting "
                'board. We have "The Beckers, est. 2019" from your order note.',
                72,
                "confirm_customization_details",
            ),
            ("buyer", "Yes, that's right, but could the year be 2018? Sorry for the mix-up.", 60),
            ("seller", 'No problem: "The Beckers, est. 2018" it is. It ships tomorrow.', 58),
        ],
    ),
    (
        "olivia@example.com",
        "Cascade Outdoor Supply",
        "delivered",
        "CO-TNT-2P",
        "buyer",
        [
            (
                "buyer",
                "Is the tent's rain fly seam-sealed from the factory, or do I need to "
                "seal it before my trip next week?",
                8,
            ),
        ],
    ),
    (
        "kenji@example.com",
        "Cascade Outdoor Supply",
        "shipped",
        "CO-TRK-CB",
        "buyer",
        [
            ("buyer", "Could you tell me which size of replacement tips fits these poles?", 40),
            ("seller", "They take our standard 11 mm tips (SKU CO-TIP-11). Enjoy the trails!", 35),
        ],
    ),
]

PRODUCT_QUESTION = (
    "fatima@example.com",
    "NW-BSH-5",
    "Question about the oak bookshelf",
    "Hello, does the 5 tier bookshelf come with wall anchors? I have a toddler at home.",
    20,
)

# A message the policy holds for review, so the demo administrator has something to decide:
# an angry buyer whose language the inappropriate-content rule flags. (buyer email,
# business, order status, the product's SKU, subject, text, hours before now)
HELD_MESSAGE = (
    "kenji@example.com",
    "Cascade Outdoor Supply",
    "delivered",
    "CO-SLB-20",
    "Broken zipper",
    "The zipper on the sleeping bag broke on the first night. What a piece of shit.",
    6,
)
