"""Words the generated marketplace is made of: names, businesses, products, message texts.

Each message text is judged by the policy engine once when a marketplace is seeded
(load.py), so what is stored is what the app would have stored: the sanitized HTML, the
preview, and the violations of the texts the policy redacts, holds or blocks.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_NAMES = (
    "Jordan", "Priya", "Tom", "Olivia", "Kenji", "Fatima", "Sam", "Avery", "Maria", "Liam",
    "Noah", "Emma", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mateo", "Chloe", "Leo", "Aisha",
    "Omar", "Hana", "Yuki", "Ingrid", "Lars", "Elena", "Marco", "Giulia", "Pierre", "Camille",
    "Anna", "Jonas", "Lena", "Felix", "Nora", "Ravi", "Meera", "Arjun", "Chen", "Wei", "Mei",
    "Diego", "Lucia", "Pablo", "Rosa", "Ahmed", "Layla", "Samuel", "Grace", "Daniel", "Ruth",
    "Isaac", "Hannah", "Victor", "Clara", "Hugo", "Alice", "Oscar", "Freya",
)  # fmt: skip

LAST_NAMES = (
    "Miles", "Natarajan", "Becker", "Grant", "Watanabe", "Haddad", "Carter", "Lee", "Lopez",
    "Chen", "Novak", "Fischer", "Moreau", "Rossi", "Garcia", "Silva", "Jensen", "Kowalski",
    "Tanaka", "Okafor", "Mensah", "Ahmed", "Ibrahim", "Larsen", "Berg", "Dubois", "Bianchi",
    "Romano", "Weber", "Schmidt", "Meyer", "Hoffmann", "Martin", "Bernard", "Petit", "Ruiz",
    "Torres", "Navarro", "Costa", "Santos", "Oliveira", "Kim", "Park", "Singh", "Patel",
    "Sharma", "Gupta", "Nguyen", "Tran", "Murphy", "Kelly", "Walsh", "Byrne", "Brennan",
    "Evans", "Hughes", "Morgan", "Price", "Davies", "Reed", "Cooper", "Ward", "Brooks",
    "Foster", "Hayes", "Bennett", "Wood", "Barnes", "Ross", "Henderson", "Coleman", "Jenkins",
    "Perry", "Powell", "Long", "Patterson",
)  # fmt: skip

BUSINESS_WORDS = (
    "Northwind", "Cascade", "Summit", "Harbor", "Juniper", "Copper", "Maple", "Granite",
    "Bluebird", "Cedar", "Willow", "Lantern", "Meadow", "Riverstone", "Birch", "Ember",
    "Saltmarsh", "Foxglove", "Aurora", "Kestrel",
)  # fmt: skip
BUSINESS_PLACES = (
    "Street", "Valley", "Ridge", "Bay", "Hollow", "Point", "Trail", "Works", "Mill", "Yard",
    "Lane", "Harbour", "Field", "Grove", "Crossing", "Bridge", "Hill", "Market", "Dock",
    "Square",
)  # fmt: skip
BUSINESS_KINDS = (
    "Home Goods",
    "Outdoor Supply",
    "Kitchenware",
    "Electronics",
    "Toys & Games",
    "Garden Supply",
    "Apparel",
    "Pet Supplies",
    "Books & Prints",
    "Craft Studio",
)

PRODUCT_ADJECTIVES = (
    "Ultralight", "Insulated", "Handmade", "Solid Oak", "Cast Iron", "Bamboo", "Linen",
    "Ceramic", "Waterproof", "Stainless Steel", "Wool", "Leather", "Cotton", "Carbon",
    "Recycled", "Vintage", "Compact", "Folding", "Heated",
)  # fmt: skip
PRODUCT_ITEMS = (
    "Duvet Cover",
    "Dutch Oven",
    "Towel Set",
    "Coffee Set",
    "Bookshelf",
    "Cutting Board",
    "Tent",
    "Sleeping Bag",
    "Trekking Poles",
    "Water Bottle",
    "Camp Stove",
    "Hiking Boots",
    "Desk Lamp",
    "Backpack",
    "Rain Jacket",
    "Chef's Knife",
    "Teapot",
    "Throw Blanket",
    "Plant Pot",
    "Headphones",
    "Phone Case",
    "Board Game",
    "Jigsaw Puzzle",
    "Dog Bed",
    "Bird Feeder",
)
PRODUCT_VARIANTS = (
    "Small",
    "Medium",
    "Large",
    "Queen",
    "King",
    "Sage",
    "Charcoal",
    "Sand",
    "Navy",
    "2-pack",
    "Set of 4",
    "32 oz",
)


@dataclass(frozen=True)
class Text:
    """One message text and what the policy makes of it.

    ``role`` says where the generator uses it and ``side`` who writes it;
    ``message_type`` is set for the seller's proactive texts (the others take their type
    from the conversation); ``status`` is what becomes of the message (delivered, held,
    rejected or blocked) and ``verdict`` the engine's outcome, which the loader checks when
    it judges the text.
    """

    role: str
    body: str
    message_type: str = ""
    status: str = "delivered"
    verdict: str = "allow"

    @property
    def side(self) -> str:
        return "buyer" if self.role in BUYER_ROLES else "seller"


BUYER_FIRST = "buyer_first"
BUYER_QUESTION = "buyer_question"
BUYER_FOLLOW_UP = "buyer_follow_up"
BUYER_THANKS = "buyer_thanks"
SELLER_REPLY = "seller_reply"
SELLER_REDACTED = "seller_redacted"
SELLER_PROACTIVE = "seller_proactive"
HELD = "held"
REJECTED = "rejected"
BLOCKED = "blocked"
BUYER_ROLES = frozenset({BUYER_FIRST, BUYER_QUESTION, BUYER_FOLLOW_UP, BUYER_THANKS, HELD})

TEXTS = (
    Text(
        BUYER_FIRST,
        "Hi, my tracking number hasn't updated for three days. Is the parcel still on its way?",
    ),
    Text(BUYER_FIRST, "Could you tell me when my order will ship? I need it before the weekend."),
    Text(BUYER_FIRST, "The item arrived with a scratch on the side. What are my options?"),
    Text(
        BUYER_FIRST,
        "Can I change the delivery address to my office? It is 12 Market Street, Springfield.",
    ),
    Text(
        BUYER_FIRST, "Is it possible to add gift wrapping to this order? It's a birthday present."
    ),
    Text(BUYER_FIRST, "One of the two items is missing from the box. Was it sent separately?"),
    Text(BUYER_QUESTION, "Does this come in a larger size? I'd need it about 20 cm wider."),
    Text(BUYER_QUESTION, "Is this compatible with induction hobs?"),
    Text(BUYER_QUESTION, "What are the dimensions of the box it ships in?"),
    Text(BUYER_QUESTION, "Will this be back in stock before the end of the month?"),
    Text(BUYER_FOLLOW_UP, "Thanks. Could you also send me the tracking link once it ships?"),
    Text(BUYER_FOLLOW_UP, "It still hasn't arrived. The carrier's site says it is at the depot."),
    Text(BUYER_FOLLOW_UP, "That works for me. Should I keep the original packaging?"),
    Text(BUYER_FOLLOW_UP, "Sorry, one more question: does it come with the wall anchors?"),
    Text(BUYER_THANKS, "Thank you, got it!"),
    Text(BUYER_THANKS, "Perfect, thanks for the quick answer."),
    Text(
        SELLER_REPLY,
        "Thanks for reaching out. Your parcel is with the carrier and should arrive by Friday.",
    ),
    Text(
        SELLER_REPLY,
        "We're sorry about the scratch. We'll send a replacement today; there is no need to "
        "return the damaged one.",
    ),
    Text(
        SELLER_REPLY, "Yes, it ships tomorrow morning. You will get the tracking details by email."
    ),
    Text(
        SELLER_REPLY, "It comes in three sizes; the larger one is listed separately in our store."
    ),
    Text(SELLER_REPLY, "We have added the gift wrapping at no charge. Enjoy!"),
    Text(SELLER_REDACTED, "Email me at sam.carter@gmail.com and I'll sort it out for you."),
    Text(
        SELLER_PROACTIVE,
        "Your order is delayed by about four days because the item is back-ordered. We will "
        "ship it as soon as it arrives and keep you posted.",
        message_type="shipment_delay",
    ),
    Text(
        SELLER_PROACTIVE,
        "Please confirm the delivery address for your order: the courier could not find the "
        "building number.",
        message_type="confirm_delivery_details",
    ),
    Text(
        SELLER_PROACTIVE,
        "The colour you ordered has gone out of production. Would you like the grey one "
        "instead, or a full refund?",
        message_type="unexpected_problem",
    ),
    Text(
        HELD,
        "The zipper broke on the first night. What a piece of shit.",
        status="held",
        verdict="flag",
    ),
    Text(
        REJECTED,
        "You stupid idiot, read the listing before you complain.",
        status="rejected",
        verdict="flag",
    ),
    Text(
        BLOCKED,
        "Leave us a 5-star review and we'll refund your shipping.",
        status="blocked",
        verdict="block",
    ),
)

REJECTION_REASON = "Insulting the other side is not allowed. Please keep it civil."
