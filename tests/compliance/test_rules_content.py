"""The content rules, table by table: what each must catch, disguised or not, and the
ordinary messages it must leave alone.

Every case goes through compliance.engine.check_message, so a "must pass" message is
checked by every rule of the engine, not only by the one under test. The story: Sam at
Northwind Home Goods writes to Jordan, who bought a walnut side table; the order was placed
14 days ago, shipped 12 days ago and delivered 10 days ago.
"""

from __future__ import annotations

import codecs
from datetime import UTC, datetime, timedelta

import pytest

from compliance.detect.vocabulary import topic
from compliance.engine import FileFacts, MessageDraft, OrderFacts, Verdict, check_message

NOW = datetime(2026, 3, 20, 15, 0, tzinfo=UTC)
JORDANS_ORDER = OrderFacts(
    ordered_at=NOW - timedelta(days=14),
    shipped_at=NOW - timedelta(days=12),
    delivered_at=NOW - timedelta(days=10),
)
PROOF = FileFacts("proof.txt", 64, read=lambda: b"Engraving proof: Jordan & Sam, script font.\n")


def check(
    body: str,
    message_type: str = "proactive_support",
    *,
    subject: str = "",
    side: str = "seller",
    reply: bool = False,
    attachments: tuple[FileFacts, ...] = (),
) -> Verdict:
    return check_message(
        MessageDraft(
            sender_side=side,
            message_type=message_type,
            body=body,
            subject=subject,
            attachments=attachments,
            order=JORDANS_ORDER if message_type != "product_question" else None,
            reply_to_buyer=reply,
            sent_at=NOW,
        )
    )


def rules_of(verdict: Verdict) -> set[str]:
    return {violation.rule for violation in verdict.violations}


def assert_caught(rule_id: str, verdict: Verdict) -> None:
    found = [v for v in verdict.violations if v.rule == rule_id]
    assert found, f"{rule_id} missed it; found {sorted(rules_of(verdict))}"
    for violation in found:
        assert violation.message.endswith((".", "”", ")")), violation.message
        assert violation.location in {"subject", "body", "message"}


def assert_allowed(verdict: Verdict) -> None:
    assert verdict.verdict == "allow", [v.as_dict() for v in verdict.violations]


def slur(index: int) -> str:
    return topic("en", "offensive").words["slur"][index][0]


# ---- review.manipulation ----------------------------------------------------------------

REVIEW_MANIPULATION = [
    "Please leave us a 5-star review!",
    "We'd be grateful for a five star rating on the product page.",
    "Rate us 5 stars if you can!",
    "Glowing reviews help small shops like ours, so please leave one.",
    "Help us out with a positive review!",
    "If you had a great experience, please leave a review.",
    "If you're satisfied with your purchase, please leave a review.",
    "If you loved your new lamp, a review would mean the world to us.",
    "Only leave a review if everything was perfect.",
    "Leave a review and we'll send you a free gift!",
    "Write a review and receive a $10 gift card.",
    "We will refund 20% of your order in exchange for an honest review.",
    "Get a free sample after you post your review.",
    "If you are not happy, please contact us first before leaving a review.",
    "Please message us instead of leaving negative feedback.",
    "Would you consider removing the negative feedback you left?",
    "Please change your rating to 5 stars now that the problem is solved.",
    "We'd love it if you could give us five stars.",
    "Please leave a \u2605\u2605\u2605\u2605\u2605 review.",
    "Loved it? Please leave a 5\u2605 review.",
    "Happy with your purchase? Leave us a review!",
    "Enjoying your lamp? Please review it on the product page!",
    "If everything arrived in perfect condition, please rate us!",
    "Satisfied customers, please leave feedback; unhappy ones, please message us.",
    "Post a photo review and get a $5 refund.",
    "Your review can earn you a free replacement.",
    "We are giving away a gift card to everyone who leaves a review this month.",
    "Reviews under 4 stars hurt our small business; please reach out to us first.",
    "Had a problem? Talk to us before you write a review.",
    # Disguised: fullwidth digits, a zero-width space, a Cyrillic "о", curly apostrophe.
    "Please leave a ５-ｓｔａｒ review!",
    "Please leave a pos\u200bitive review.",
    "Help us with a p\u043esitive review!",
    "If you\u2019re satisfied, please leave a review.",
]


@pytest.mark.parametrize("body", REVIEW_MANIPULATION)
def test_review_manipulation_is_caught(body):
    assert_caught("review.manipulation", check(body, "review_request"))


@pytest.mark.parametrize(
    "body",
    [
        "Could you please update your review now that the issue is fixed?",
        "Please take down your review, we already sent you a new one.",
    ],
)
def test_asking_to_change_a_review_in_a_reply_is_caught(body):
    assert_caught("review.manipulation", check(body, "reply", reply=True))


def test_the_finding_quotes_the_words_as_written():
    verdict = check("Hi Jordan! Please leave us a 5-Star review.", "review_request")
    (violation,) = [v for v in verdict.violations if v.rule == "review.manipulation"]
    assert violation.excerpt == "5-Star"
    assert violation.location == "body"
    assert "“5-Star”" in violation.message


# ---- promo.marketing ---------------------------------------------------------------------

PROMO_MARKETING = [
    "Use code SAVE20 for 20% off your next order!",
    "Enjoy 15% off everything this weekend.",
    "Our summer sale starts Friday, with the whole range on sale.",
    "Here is a coupon for your next purchase.",
    "We're offering an exclusive discount to returning customers.",
    "Buy one, get one free on all candles.",
    "Free shipping on all orders over $50 this month.",
    "You might also like our matching pillowcases.",
    "Check out our other products in the store.",
    "Customers who bought this table also bought our walnut stools.",
    "Good news: the blue lamp is back in stock!",
    "New arrivals are in: the spring collection has landed.",
    "Sign up for our newsletter to hear about new designs.",
    "Follow us on Instagram for updates.",
    "SALE! Everything 30% off this week only.",
    "Limited time offer: free gift with every order over $40.",
    "Don't miss our Black Friday deals!",
    "Complete the look with our matching throw pillows.",
    "Join our VIP club for early access to new releases.",
    "Refer a friend and you both get $10.",
    "Treat yourself to something new: our spring collection just dropped.",
    # Disguised: Cyrillic letters, fullwidth digits and percent sign.
    "Use c\u043eup\u043en c\u043ede SAVE10 at checkout.",
    "Take ２０％ off today.",
]


@pytest.mark.parametrize("body", PROMO_MARKETING)
def test_marketing_is_caught(body):
    assert_caught("promo.marketing", check(body))


def test_marketing_in_the_subject_is_located_there():
    verdict = check("Your lamp's manual is attached.", subject="Flash sale: 30% off")
    locations = {v.location for v in verdict.violations if v.rule == "promo.marketing"}
    assert locations == {"subject"}


# ---- content.thank_you_only --------------------------------------------------------------

THANK_YOU_ONLY = [
    "Thanks for your order! Let us know if you need anything.",
    "Hi Jordan,\n\nThank you for shopping with Northwind Home Goods! We hope you enjoy your "
    "new lamp.\n\nBest regards,\nSam",
    "Thank you so much for your purchase. We truly appreciate your business. If you have "
    "any questions, please don't hesitate to contact us.",
    "Just wanted to say thank you! Have a great day.",
    "Thanks again for choosing us. We're here to help if you need anything.\n\nThe Northwind team",
    "Thanks so much!\n\nSam",
    "Hope you're having a lovely week! We're always here if you need anything.",
    "Ｔｈａｎｋ ｙｏｕ for your order!",
]


@pytest.mark.parametrize("body", THANK_YOU_ONLY)
def test_thank_you_only_is_caught(body):
    assert_caught("content.thank_you_only", check(body))


# ---- content.shipping_confirmation -------------------------------------------------------

SHIPPING_CONFIRMATION = [
    "Your order has shipped! Tracking number: 1Z999AA10123456784.",
    "Good news! Your package has been delivered.",
    "We've received your order and it's being processed. Thanks for shopping with us!",
    "Hi Jordan, just a quick note to let you know your order is on its way. It should "
    "arrive by Friday.\n\nBest,\nSam",
    "Your order #1001 has been dispatched via UPS.",
    "We have shipped your order today.",
    "Thanks for your order. We'll send the tracking number once it ships.",
    "Your order is confirmed and will ship within 2 business days.",
    "Y\u043eur \u043erder has shipped.",
]


@pytest.mark.parametrize("body", SHIPPING_CONFIRMATION)
def test_shipping_confirmation_is_caught(body):
    assert_caught("content.shipping_confirmation", check(body))


# ---- link.optout -------------------------------------------------------------------------

OPTOUT = [
    "Click here to unsubscribe.",
    "Reply STOP to opt out of future messages.",
    "To opt-out of these emails, let us know.",
    "If you no longer wish to receive messages from us, tell us.",
    "Manage your email preferences in your account.",
    'To stop receiving these messages, reply with "no".',
    "Don't want these emails anymore? Let us know and we'll remove you from our mailing list.",
    '<a href="mailto:unsubscribe@northwind.example">Click here</a> if this is too much.',
    "<p>Questions about assembly are welcome. "
    '<a href="https://marketplace.example/unsubscribe?id=1">Manage messages</a></p>',
    # Disguised: a hyphen, fullwidth letters, a non-breaking hyphen.
    "To un-subscribe, reply to this message.",
    "ｕｎｓｕｂｓｃｒｉｂｅ here",
    "You can opt\u2011out at any time.",
]


@pytest.mark.parametrize("body", OPTOUT)
def test_optout_is_caught(body):
    assert_caught("link.optout", check(body))


# ---- content.inappropriate ---------------------------------------------------------------

INAPPROPRIATE = [
    "This is f*cking ridiculous, where is my order?",
    "What the fuck happened to my package?",
    "Fuuuuck this delivery.",
    "sh1t service",
    "s h i t service",
    "What a b!tch of a day.",
    "You absolute a$$hole.",
    "ｆｕｃｋ this",
    "You are a stupid idiot.",
    "What the f**k is this?",
    "This is bullsh!t.",
    "f u c k you",
    "Ｓｈｉｔ",
    "sh\u200bit happens",
    "Your seller is a b1tch",
    "wtf",
    "You're a f-ing moron",
    "You idiots lost my package.",
    "I will kill you if this doesn't arrive.",
    "I'll find you and make you pay.",
    "Go kill yourself.",
    "Send me naked pics.",
    "I know where you live.",
    "Send me nudes.",
    "My card number is 4111 1111 1111 1111, please charge it again.",
    "I am going to kill myself.",
    f"Your support agent is a {codecs.decode('ergneq', 'rot13')}.",
    f"They hired another {slur(0)}.",
]


@pytest.mark.parametrize("body", INAPPROPRIATE)
def test_inappropriate_content_from_a_buyer_is_caught(body):
    verdict = check(body, "buyer_inquiry", side="buyer")
    assert_caught("content.inappropriate", verdict)
    assert verdict.verdict == "flag"


@pytest.mark.parametrize(
    "body",
    [
        "Can you send me your credit card number so I can refund you?",
        "Please give me your password so I can fix your account.",
        "Sorry for the sh*tty packaging.",
    ],
)
def test_inappropriate_content_from_a_seller_is_caught(body):
    assert_caught("content.inappropriate", check(body, "reply", reply=True))


# Words that contain an offensive word, and places and names that do (the Scunthorpe
# problem), must not be flagged.
NOT_INAPPROPRIATE = [
    "I live in Scunthorpe, near Essex. The class will assess the cocktail menu; my "
    "therapist agrees.",
    "Please pass the glass; the bass guitar is in Sussex.",
    "The cumulative total includes the shiitake mushrooms and the assorted spices.",
    "Our shop in Middlesex sells titanium cocktail shakers and Hancock glasses.",
    "Do you have this shirt in XXX-Large?",
    "I read the analysis of Dickens in class; the assassin was a scrapper.",
    "The document says the shipment passed inspection as soon as it arrived.",
    "I reset the password on my account and it works now.",
    "Is this a 1.5 m or a 2 m cable? Same as 5 of the last ones.",
    "I ordered the Suicide Squad poster and the Galaxy A55 case; where are they?",
    "Please use XXX as the placeholder name on the sign.",
    "Order 123-45-6789, tracking 9400 1000 0000 0000 0000 00.",
]


@pytest.mark.parametrize("body", NOT_INAPPROPRIATE)
def test_innocent_words_are_not_inappropriate(body):
    assert "content.inappropriate" not in rules_of(check(body, "buyer_inquiry", side="buyer"))


# ---- type.important_misuse ---------------------------------------------------------------

IMPORTANT_MISUSE = [
    pytest.param(
        "Thanks for your order! Let us know if you need anything.",
        "proactive_support",
        "[Important] Thank you",
        id="important-thanks",
    ),
    pytest.param(
        "Did you know our lamps are handmade in Vermont? We love hearing from you.",
        "proactive_support",
        "[ important ] A note from Northwind",
        id="spaced-chat",
    ),
    pytest.param(
        "Would you share your experience with a review?",
        "review_request",
        "［Ｉｍｐｏｒｔａｎｔ］ How was it?",
        id="fullwidth-review",
    ),
    pytest.param(
        "Your new side table is part of our walnut range: check out the matching chairs!",
        "proactive_support",
        "Re: [IMPORTANT] Your table",
        id="upper-anywhere",
    ),
    pytest.param(
        "Vielen Dank für Ihre Bestellung! Bei Fragen stehen wir gerne zur Verfügung.",
        "proactive_support",
        "[Wichtig] Danke",
        id="wichtig-thanks",
    ),
    pytest.param(
        "¡Gracias por su compra! Estamos a su disposición para lo que necesite.",
        "proactive_support",
        "[Importante] Gracias",
        id="importante-thanks",
    ),
    pytest.param(
        "Thanks for your order! Let us know if you need anything.",
        "confirm_order_details",
        "",
        id="critical-thanks",
    ),
    pytest.param(
        "Would you share your experience with a review? Honest feedback helps.",
        "confirm_delivery_details",
        "",
        id="critical-review",
    ),
    pytest.param(
        "Check out our new arrivals for spring!", "unexpected_problem", "", id="critical-marketing"
    ),
    pytest.param(
        "Hope you're having a lovely week! We just wanted to check in.",
        "confirm_service_details",
        "",
        id="critical-chat",
    ),
    # General advice on using or caring for the product is proactive support, not critical.
    pytest.param(
        "Thanks again! A few care tips: wipe the top with a damp cloth and keep it out of "
        "direct sunlight. Never put a hot pan straight on the walnut.",
        "proactive_support",
        "[Important] Caring for your table",
        id="important-care-tips",
    ),
    pytest.param(
        "Before first use, charge the lamp fully. Then press and hold the power button to "
        "switch between warm and cool light.",
        "confirm_order_details",
        "",
        id="critical-how-to",
    ),
    pytest.param(
        "Ölen Sie die Platte zweimal im Jahr mit etwas Leinöl. Flecken am besten sofort mit "
        "einem feuchten Tuch abtupfen.",
        "proactive_support",
        "[Important] Pflegehinweise",
        id="important-care-de",
    ),
    pytest.param(
        "Petite astuce : pour garder le plateau en bon état, huilez-le une fois par an et ne "
        "le passez jamais au lave-vaisselle.",
        "confirm_order_details",
        "",
        id="critical-care-fr",
    ),
    pytest.param(
        "Un consejo: riega la planta solo cuando la tierra esté seca y colócala lejos del sol "
        "directo.",
        "unexpected_problem",
        "",
        id="critical-care-es",
    ),
    pytest.param(
        "Per mantenerlo bello a lungo, passalo con olio una volta al mese e non metterlo mai "
        "in lavastoviglie. Buon utilizzo!",
        "proactive_support",
        "[Important] Consigli per la cura",
        id="important-care-it",
    ),
]


@pytest.mark.parametrize(("body", "message_type", "subject"), IMPORTANT_MISUSE)
def test_important_misuse_is_flagged(body, message_type, subject):
    assert_caught("type.important_misuse", check(body, message_type, subject=subject))


def test_important_in_the_subject_is_quoted_as_written():
    verdict = check("We hope you are enjoying your lamp.", subject="［Important］ Hello")
    (violation,) = [v for v in verdict.violations if v.rule == "type.important_misuse"]
    assert violation.location == "subject"
    assert violation.excerpt == "［Important］"
    assert "“［Important］” is only for messages needed" in violation.message


def test_advice_only_is_named_as_the_reason():
    verdict = check("A few tips: wash the cover by hand and dry it flat.", "confirm_order_details")
    (violation,) = [v for v in verdict.violations if v.rule == "type.important_misuse"]
    assert "it only gives general advice on using or caring for the product" in (violation.message)
    # Advice is information, so the same words sent as proactive support break no rule.
    assert_allowed(check("A few tips: wash the cover by hand and dry it flat."))


def test_a_mark_in_another_language_is_named_as_written():
    verdict = check("Vielen Dank für Ihre Bestellung!", subject="[Wichtig] Danke")
    (violation,) = [v for v in verdict.violations if v.rule == "type.important_misuse"]
    assert violation.excerpt == "[Wichtig]"
    assert "Remove “[Wichtig]” from the subject" in violation.message


# ---- ordinary messages that every rule must leave alone ----------------------------------

INVOICE = FileFacts(
    "invoice-1001.txt", 80, read=lambda: b"Invoice 1001\nWalnut side table $55.00\nTotal $50.00\n"
)
WARRANTY = FileFacts("warranty.txt", 64, read=lambda: b"Warranty certificate, order 1001.\n")
LEGAL = FileFacts("battery-safety.txt", 64, read=lambda: b"Battery safety information.\n")


def ordinary(case_id: str, message_type: str, body: str, **extras: object):
    return pytest.param(message_type, body, extras, id=case_id)


LEGITIMATE = [
    ordinary(
        "delivery-scheduling",
        "confirm_delivery_details",
        "Hi Jordan, we'd like to schedule the delivery of your dining table. Our carrier "
        "can come on Tuesday morning or Thursday afternoon. Please reply with the time "
        "that suits you, and let us know if there are stairs at the address.",
    ),
    ordinary(
        "invoice",
        "send_invoice",
        "Please find the invoice for your order attached. Subtotal: $55.00. Discount "
        "applied at checkout: $5.00. Total: $50.00.",
        attachments=(INVOICE,),
    ),
    ordinary(
        "customization",
        "confirm_customization_details",
        'Please confirm the engraving text for your cutting board: "Jordan & Sam" in '
        "the script font, centred on the front. The proof is attached; reply with any "
        "changes to the spelling.",
        attachments=(PROOF,),
    ),
    ordinary(
        "return-refund",
        "return_question",
        "Hi Jordan, we've received the returned lamp and issued a refund of $24.99 to "
        "your original payment method. It should appear within 5 business days.",
    ),
    ordinary(
        "return-partial-refund",
        "return_question",
        "If you'd rather keep the chair, we can offer a partial refund of 20% instead "
        "of a return. Which would you prefer?",
    ),
    ordinary(
        "neutral-review-request-day-10",
        "review_request",
        "Hi Jordan, your walnut side table was delivered last week. Would you share "
        "your experience with a review? Your honest feedback helps other customers.",
    ),
    ordinary(
        "neutral-review-request-signed",
        "review_request",
        "How is your new desk lamp working out? If you have a moment, we would "
        "appreciate an honest review of the product.\n\nThank you,\nSam",
    ),
    ordinary(
        "shipment-delay",
        "shipment_delay",
        "Your order will ship on May 12 instead of May 5 because our fabric supplier is "
        "late. We're sorry for the delay.",
    ),
    ordinary(
        "shipment-delay-restock",
        "shipment_delay",
        "The oak finish is out of stock at our workshop; we expect it back in stock on "
        "May 3 and will ship your table the same day. Sorry for the wait.",
    ),
    ordinary(
        "warranty",
        "warranty",
        "Your warranty covers parts and labour from March 1, 2026 to February 28, "
        "2028. The certificate is attached.",
        attachments=(WARRANTY,),
    ),
    ordinary(
        "legal-disclosure",
        "legal_disclosure",
        "As required by law, the battery safety information for your e-bike is "
        "attached. Please read it before the first charge.",
        attachments=(LEGAL,),
    ),
    ordinary(
        "unexpected-problem",
        "unexpected_problem",
        "Unfortunately the oak finish you chose is out of stock. We can ship walnut now "
        "or oak in three weeks; which would you prefer?",
    ),
    ordinary(
        "service-appointment",
        "confirm_service_details",
        "Our technician can install your dishwasher on Tuesday morning or Thursday "
        "afternoon. Which appointment suits you?",
    ),
    ordinary(
        "important-address",
        "confirm_order_details",
        "We need your apartment number to deliver the parcel: the address you entered "
        "has no unit number.",
        subject="[Important] Address needed",
    ),
    ordinary(
        "access-key",
        "digital_access_key",
        "Your license key is ABCD-EFGH-JKLM. Activate it under Settings, then Account.",
    ),
    ordinary(
        "thanks-then-information",
        "proactive_support",
        "Thank you for your order! The assembly manual for your desk is attached; step "
        "4 uses the short screws.",
    ),
    ordinary(
        "thanks-then-shipping-plan",
        "proactive_support",
        "Thanks for your order. Your table ships on Monday from our Ohio workshop, "
        "fully assembled.",
    ),
    ordinary(
        "partial-shipment-problem",
        "unexpected_problem",
        "Your order has shipped, but one of the two chairs is back-ordered and will "
        "follow in about two weeks.",
    ),
    ordinary(
        "reply-in-stock-answer",
        "reply",
        "Thanks for letting us know! Yes, the blue version is back in stock now and "
        "ships within two days. Let us know if you need anything else.",
        reply=True,
    ),
    ordinary(
        "product-support",
        "proactive_support",
        "Please remove the protective film before use, and choose the options that "
        "suit your room. Stop tightening the screws once the legs are firm.",
    ),
    ordinary(
        "buyer-question",
        "buyer_inquiry",
        "Hi, when will my order arrive? I need it before Friday.",
        side="buyer",
    ),
    ordinary(
        "buyer-product-question",
        "product_question",
        "Does this lamp work with a dimmer switch? And is the shade glass or fabric?",
        side="buyer",
    ),
    ordinary(
        "access-key-use-the-code",
        "digital_access_key",
        "Use the code below for activation, then enter it again to register for updates: "
        "8H2K-PQ7Z-LM4N.",
    ),
    ordinary(
        "thanks-then-replacement",
        "proactive_support",
        "Hi Jordan, thanks for your patience. The replacement part ships tomorrow; you'll "
        "get it by Friday.",
    ),
    ordinary(
        "product-tip",
        "proactive_support",
        "We hope you enjoy your new lamp! The bulb is an E26 LED, and spare bulbs fit "
        "any standard socket.",
    ),
    ordinary(
        "care-guide",
        "proactive_support",
        "Check out our FAQ page for care tips, or read the care guide attached.",
    ),
    ordinary(
        "warranty-aside",
        "proactive_support",
        "You might also like to know that the lamp has a 2-year warranty.",
    ),
    ordinary(
        "lifting-advice",
        "proactive_support",
        "Watch your back when lifting the sofa: it weighs 80 kg, so ask a friend to help.",
    ),
    ordinary(
        "happy-with-proof",
        "confirm_customization_details",
        "If you are happy with the proof, reply 'approve' and we'll start engraving.",
    ),
    ordinary(
        "return-feedback",
        "return_question",
        "If you're happy with the replacement, we'll close the return; your feedback "
        "helps us improve.",
    ),
    ordinary(
        "return-options",
        "return_question",
        "You can opt for the oak finish instead. Please stop using the lamp and return it.",
    ),
    ordinary(
        "return-sale-item",
        "return_question",
        "The lamp was on sale when you bought it, so the refund is $20.00. The sale is "
        "final for the bulb, which we can't take back.",
    ),
    ordinary(
        "return-discount-refund",
        "return_question",
        "Your refund includes the 10% discount you received at checkout.",
    ),
    ordinary(
        "invoice-coupon-applied",
        "send_invoice",
        "Your coupon from the marketplace was applied to this order, so the total is $45.00.",
        attachments=(INVOICE,),
    ),
    ordinary(
        "invoice-sale-price",
        "send_invoice",
        "The sale price on your invoice reflects the discount you received at checkout.",
        attachments=(INVOICE,),
    ),
    ordinary(
        "order-details-colour",
        "confirm_order_details",
        "Which colour would you like for the cushions, grey or blue? We need your choice "
        "before we can ship.",
    ),
    ordinary(
        "payment-declined",
        "confirm_order_details",
        "Your payment was declined by the bank. Please update your card details in your "
        "account so we can ship.",
    ),
    ordinary(
        "download-code",
        "digital_access_key",
        "Here is your download code for the e-book: 7HQ2-99XK. It works on any reader.",
    ),
    ordinary(
        "delivery-depot",
        "confirm_delivery_details",
        "Hi Jordan,\nYour sofa has arrived at our local depot. Please choose a delivery "
        "slot: Tuesday morning or Wednesday afternoon.\nThanks,\nSam",
    ),
    ordinary(
        "delivery-rebook",
        "confirm_delivery_details",
        "We will remove you from the delivery list for Tuesday and rebook the visit for "
        "a day that suits you. Will someone be home on Friday?",
    ),
    ordinary(
        "review-request-either-way",
        "review_request",
        "We hope you're enjoying your table. If you have a moment, please leave a review; "
        "all reviews, positive or negative, help us.",
    ),
    ordinary(
        "reply-thanks-for-feedback",
        "reply",
        "Thank you for the great feedback in your message! We've fixed the wobbly leg as "
        "you suggested.",
        reply=True,
    ),
    ordinary(
        "buyer-idiom",
        "buyer_inquiry",
        "I'm going to kill it at the party with this dress! Can it arrive by Saturday?",
        side="buyer",
    ),
    ordinary(
        "buyer-model-number",
        "product_question",
        "Do you sell cases for the Galaxy A55?",
        side="buyer",
    ),
    ordinary(
        "buyer-complaint",
        "buyer_inquiry",
        "I'm not happy with the scratch on the top. What are my options?",
        side="buyer",
    ),
    # Care and how-to advice: fine as proactive support, and not "thank-you only".
    ordinary(
        "care-tips-as-support",
        "proactive_support",
        "Thank you for your order! Here are a few care tips: wipe the table with a damp "
        "cloth and keep it out of direct sunlight.",
    ),
    # [Important] or a critical type with what the buyer must do, or a hazard: critical.
    ordinary(
        "important-safety-recall",
        "unexpected_problem",
        "The maker has recalled the lamp's power adapter: it can overheat. Please unplug it "
        "and stop using it; a new adapter is on its way at no cost.",
        subject="[Important] Please stop using your adapter",
    ),
    ordinary(
        "important-required-action",
        "confirm_order_details",
        "Before first use the worktop must be oiled, otherwise the wood can crack and the "
        "warranty does not apply.",
        subject="[Important] Before you fit the worktop",
    ),
    ordinary(
        "critical-advice-as-a-question",
        "confirm_order_details",
        "Would you like us to oil the table top for you before it leaves the workshop?",
    ),
    ordinary(
        "critical-size-advice",
        "confirm_order_details",
        "This model runs small, so we recommend going one size up. Tell us and we'll swap it.",
    ),
]


@pytest.mark.parametrize(("message_type", "body", "extras"), LEGITIMATE)
def test_ordinary_messages_are_allowed(message_type, body, extras):
    assert_allowed(check(body, message_type, **extras))


def test_a_reply_that_only_thanks_is_not_proactive():
    verdict = check(
        "Thanks for letting us know! Let us know if you need anything else.", "reply", reply=True
    )
    assert_allowed(verdict)


# ---- the phrase machinery ----------------------------------------------------------------


def test_a_phrase_at_the_very_start_or_end_of_a_text_is_found():
    for body in ("Coupon inside.", "Inside: a coupon"):
        assert_caught("promo.marketing", check(body))


def test_phrases_inside_longer_words_are_not_found():
    verdict = check("Our couponless checkout and the promotional banner team are unrelated.")
    assert "promo.marketing" not in rules_of(verdict)


def test_each_message_is_judged_on_its_own_words():
    assert_caught("promo.marketing", check("Use code SAVE20 for 20% off your next order!"))
    assert_allowed(check("Your lamp's assembly guide is attached; step 4 uses the long screws."))
    assert_caught("promo.marketing", check("Use code SAVE20 for 20% off your next order!"))


def test_findings_are_capped_per_rule():
    verdict = check(
        " ".join(f"Coupon {n}, sale, promo code, newsletter, 20% off, bogo." for n in range(20))
    )
    assert len([v for v in verdict.violations if v.rule == "promo.marketing"]) <= 5
