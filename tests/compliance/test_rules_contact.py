"""contact.email and contact.phone, through check_message.

Every must-catch case is also checked for what the buyer finally receives: after the
redaction, no form of the address or number is left in the delivered body, however it
was disguised.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from compliance.detect.emails import find_emails
from compliance.detect.html_text import HtmlText
from compliance.detect.normalize import normalize
from compliance.detect.phones import find_phones, phone_view
from compliance.engine import MessageDraft, Verdict, check_message
from compliance.policy import DEFAULT_POLICY, Action

SENT = datetime(2026, 11, 20, 10, tzinfo=UTC)
REGIONS = DEFAULT_POLICY.phone_regions


def send(body: str, *, subject: str = "", side: str = "seller") -> Verdict:
    message_type = "reply" if side == "seller" else "buyer_inquiry"
    return check_message(
        MessageDraft(
            sender_side=side,
            message_type=message_type,
            body=body,
            subject=subject,
            reply_to_buyer=True,
            sent_at=SENT,
        )
    )


def delivered_text(verdict: Verdict) -> str:
    """What the buyer reads, folded the way the rules fold it."""
    return normalize(HtmlText.parse(verdict.body_html).text + "\n" + verdict.subject).text


def violations(verdict: Verdict, rule: str) -> list:
    return [v for v in verdict.violations if v.rule == rule]


def assert_explained(found: list) -> None:
    for violation in found:
        assert violation.excerpt, "the sender must see what was found"
        assert violation.message.endswith("."), violation.message
        assert "message center" in violation.message


# --- Email addresses -----------------------------------------------------------------------

# (case id, body, local part that must not survive)
EMAILS_TO_CATCH = [
    ("plain", "Write to jane.doe@mail.com with questions.", "jane"),
    ("with plus and subdomain", "Use jane+shop@eu.mail-box.co.uk please.", "jane"),
    ("bracketed at and dot", "Mail jane (at) mail [dot] com for the files.", "jane"),
    ("words at and dot", "You can reach jane at mail dot com anytime.", "jane"),
    ("square brackets", "It is jane[at]mail[.]com", "jane"),
    ("curly brackets", "jane{at}mail{dot}com", "jane"),
    ("spaced separators", "Address: j.a.n.e @ mail . com", "j.a.n.e"),
    ("spaced-out letters", "write to j a n e at mail dot com", "j a n e"),
    ("shouted", "JANE AT MAIL DOT COM", "jane"),
    ("dashed words", "jane-at-mail-dot-com", "jane"),
    ("dot in the name", "jane dot doe at gmail dot com", "jane"),
    ("webmail without ending", "My address is jane at gmail, write me there.", "jane"),
    ("at sign with spaces", "jane @ mail.com", "jane"),
    ("word at after a cue", "Email me: jane at mail.com", "jane"),
    ("word at, address-like name", "jane.doe at mail.com", "jane"),
    ("word at, webmail host", "jane at gmail.com", "jane"),
    ("zero-width characters", "ja\u200bne@ma\u200cil.c\u200dom", "jane"),
    ("bidi marks", "jane\u200e@\u200fmail.com", "jane"),
    ("right-to-left override", "Mail me: \u202emoc.liam@enaj\u202c thanks", "enaj"),
    ("cyrillic look-alikes", "j\u0430ne@m\u0430il.c\u043em", "jane"),
    ("capital look-alikes", "\u0408\u0410NE@MAIL.\u0421\u041eM", "jane"),
    (
        "fullwidth letters",
        "\uff4a\uff41\uff4e\uff45\uff20\uff4d\uff41\uff49\uff4c\uff0e\uff43\uff4f\uff4d",
        "jane",
    ),
    ("mathematical letters", "\U0001d5c3\U0001d5ba\U0001d5c7\U0001d5be@mail.com", "jane"),
    ("accents and combining marks", "j\u00e1ne@ma\u0301il.com", "jane"),
    ("html entities", "<p>jane&#64;mail&#46;com</p>", "jane"),
    ("split by tags", "<p><b>jane</b>@<i>mail</i>.com</p>", "jane"),
    ("in a list", "<ul><li>Email: jane_doe@mail.io</li></ul>", "jane"),
    ("spaced-out letters, domain too", "j a n e @ g m a i l . c o m", "j a n e"),
    ("webmail name without a domain", "My gmail is janedoe88, write me there.", "janedoe88"),
    ("spanish webmail name", "Aquí no me llegan, mi hotmail es maria.lopez77", "lopez77"),
    ("spanish words", "maria punto lopez arroba gmail punto com", "lopez"),
    ("german words in brackets", "Schreiben Sie an info (ät) firma (punkt) de", "firma"),
    ("french words", "écrivez à sophie.b arobase orange point fr", "sophie"),
    ("italian words", "scrivimi: mario.rossi chiocciola libero punto it", "rossi"),
    ("telegram handle", "Add me on telegram @janedoe for the photos.", "janedoe"),
    ("wechat id", "Questions? WeChat ID: jane_88", "jane_88"),
    ("skype name", "I'd rather show you on video, my skype is jane.doe.77", "jane.doe"),
]

EMAILS_TO_PASS = [
    ("look at the box", "Please look at the box. com-pare it with the photo; look at the box. com"),
    ("see you at 5", "See you at 5 on Tuesday, we are at the warehouse until 6."),
    ("prose with a site", "It was sold at the fair. We are at Main Street."),
    ("retina file name", "The file logo@2x.png is attached."),
    ("social handle", "Our brand is @northwind on the marketplace."),
    ("prices with at", "2 cushions at $19.99 each, 3 at 5.50."),
    ("abbreviations", "Remove the cover, e.g. with a coin, i.e. gently."),
    ("a person at a company", "Sam at Northwind will confirm the date."),
    ("deals at a site (a link, not an address)", "Deals at northwind-outlet.com all week."),
    ("cheaper at a site", "I saw it cheaper at walmart.com yesterday."),
    ("a site's page (a link)", "The manual is at brightlamps dot com/warranty."),
    ("at for prices", "2 @ 5 EUR each, 3 @ 4,50 EUR."),
    ("email without an address", "My email is the one on my account, can you check?"),
    ("messaging app without a name", "Add me on telegram so we can talk? No: we write here."),
    ("french hyphenated words", "Pas de commande par Telegram : écrivez-nous ici."),
    ("point in prose", "Le point de vente est à Lyon, point final."),
    ("punto in prose", "El punto es que llega a las 10 en punto."),
]


@pytest.mark.parametrize(
    ("body", "local"), [c[1:] for c in EMAILS_TO_CATCH], ids=[c[0] for c in EMAILS_TO_CATCH]
)
def test_email_addresses_are_redacted_in_every_disguise(body, local):
    verdict = send(body)

    found = violations(verdict, "contact.email")
    assert found and all(v.action == Action.REDACT for v in found)
    assert_explained(found)
    assert "[email address removed]" in verdict.body_html
    shown = delivered_text(verdict)
    assert not find_emails(shown)
    assert local not in shown and "@" not in shown


@pytest.mark.parametrize("body", [c[1] for c in EMAILS_TO_PASS], ids=[c[0] for c in EMAILS_TO_PASS])
def test_ordinary_text_with_at_and_dots_is_not_an_email(body):
    assert not violations(send(body), "contact.email")


def test_email_in_subject_is_redacted_there():
    verdict = send("Details below.", subject="Questions? jane (at) mail (dot) com")

    assert [v.location for v in violations(verdict, "contact.email")] == ["subject"]
    assert verdict.subject == "Questions? [email address removed]"


def test_mailto_link_loses_its_target_and_its_text():
    verdict = send('<p>Questions? <a href="mailto:jane@mail.com">write to me</a>.</p>')

    assert violations(verdict, "contact.email")[0].excerpt == "mailto:jane@mail.com"
    assert "mailto" not in verdict.body_html and "jane" not in verdict.body_html
    assert verdict.body_html == "<p>Questions? [email address removed].</p>"


def test_empty_mailto_link_is_removed():
    verdict = send('<p>Hi<a href="mailto:jane@mail.com"></a> there</p>')

    assert violations(verdict, "contact.email")
    assert "mailto" not in verdict.body_html


def test_mailto_link_showing_the_address_is_one_finding():
    verdict = send('<p><a href="mailto:jane@mail.com">jane@mail.com</a></p>')

    assert len(violations(verdict, "contact.email")) == 1
    assert verdict.body_html == "<p>[email address removed]</p>"


def test_angle_bracket_disguise_blocks_as_it_cannot_be_cut_out():
    # "<at>" looks like a tag: the sanitizer drops it and leaves "jane  mail  com".
    verdict = send("Write to jane <at> mail <dot> com please")

    assert verdict.blocked
    assert violations(verdict, "contact.email")[0].excerpt == "jane <at> mail <dot> com"


def test_buyers_cannot_share_addresses_either():
    verdict = send("Please write to jane at mail dot com", side="buyer")

    assert violations(verdict, "contact.email")
    assert "jane" not in verdict.body_html


def test_operator_can_block_instead_of_redact():
    policy = DEFAULT_POLICY.with_actions(contact_email=Action.BLOCK)
    verdict = check_message(
        MessageDraft("seller", "reply", "jane@mail.com", reply_to_buyer=True, sent_at=SENT), policy
    )

    assert verdict.blocked
    assert violations(verdict, "contact.email")[0].action == Action.BLOCK


# --- Phone numbers -------------------------------------------------------------------------

PHONES_TO_CATCH = [
    ("north american with country code", "Call me on +1 (555) 123-4567 after 5."),
    ("dashes", "My number is 555-123-4567."),
    ("dots", "Text 555.123.4567 anytime"),
    ("spaces", "Reach us at 555 123 4567 today"),
    ("area code in brackets", "(555) 123-4567"),
    ("toll free", "Our line 1-800-555-0199 is open."),
    ("real unseparated US number", "2125551234 is our shop"),
    ("spaced single digits", "5 5 5 1 2 3 4 5 6 7"),
    ("dotted single digits", "5.5.5.1.2.3.4.5.6.7"),
    ("spelled out, seven digits", "Call five five five, one two three four."),
    ("spelled out, ten digits", "five five five one two three four five six seven"),
    ("words and digits mixed", "five 5 five 1 two 3 four 5 six 7"),
    ("double and triple", "ring double five five, one two three four"),
    ("oh for zero", "zero two oh, seven nine four six, oh nine five eight"),
    (
        "fullwidth digits",
        "\uff15\uff15\uff15\uff0d\uff11\uff12\uff13\uff0d\uff14\uff15\uff16\uff17",
    ),
    ("arabic-indic digits", "\u0665\u0665\u0665\u0661\u0662\u0663\u0664\u0665\u0666\u0667"),
    ("devanagari digits", "\u0968\u0967\u0968\u096b\u096b\u096b\u0967\u0968\u0969\u096a"),
    ("zero-width inside", "212\u200b555\u200b1234"),
    ("right-to-left override", "\u202e7654-321-212\u202c"),
    ("split by tags", "<p>Call <b>555</b>-123-<i>4567</i></p>"),
    ("united kingdom international", "Ring +44 20 7946 0958."),
    ("united kingdom national", "Ring 020 7946 0958."),
    ("international 00 prefix", "0044 20 7946 0958"),
    ("germany", "Tel. +49 30 1234567 oder 030 1234567"),
    ("france", "Appelez le +33 1 23 45 67 89"),
    ("india mobile", "WhatsApp 98765 43210"),
    ("japan", "03-1234-5678"),
    ("whatsapp keyword, fictional number", "whatsapp 5551234567"),
    ("unicode minus signs", "Call +1 212\u2212555\u22120143 after six."),
    ("en dashes and narrow spaces", "Appelez le 06\u201312\u201334\u202f56\u202f78."),
    ("over paragraphs", "<p>Call me on</p><p>212 555</p><p>0143</p>"),
    ("over lines with dashes", "Call me: 212-\n555-\n0143"),
    ("letters for digits", "My number is 2l2-555-O143."),
    ("letter O for zero", "Ring O2O 7946 O958 tonight."),
    ("vanity number", "Call 1-800-FLOWERS to order."),
    ("french pairs with dots", "appelle-moi au 06.12.34.56.78"),
    ("dingbat digits", "\u278a\u2781\u278a \u2784\u2784\u2784 \u2780\u2783\u2782\u2783"),
    # "34-56-78" has a date's shape but no month 56: it is the end of a number.
    ("spanish mobile in dashed groups", "Mi móvil es el 612-34-56-78, escríbeme."),
    ("a date at the start, after a call word", "Mi teléfono: 6\u201312\u201334\u201356\u201378"),
]

# Numbers spelled out in the other languages: (case id, body, words that must not survive).
SPELLED_TO_CATCH = [
    (
        "german",
        "Ruf mich an: null eins sieben eins, zwei drei vier, fünf sechs sieben acht",
        ["sieben", "acht"],
    ),
    ("french, digit by digit", "six cinq cinq un deux trois quatre cinq six sept", ["cinq"]),
    (
        "french, in pairs",
        "Appelez-moi au zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit",
        ["douze", "soixante"],
    ),
    ("spanish", "Llámame al seis uno dos, tres cuatro cinco, seis siete ocho", ["ocho"]),
    (
        "spanish, in pairs",
        "Llámame al seis doce treinta y cuatro cincuenta y seis",
        ["treinta", "cincuenta"],
    ),
    ("italian", "Chiamami: tre tre tre uno due tre quattro cinque sei sette", ["quattro"]),
    (
        "german pairs",
        "Ruf an: null eins fünf eins, dreiundzwanzig, vierundvierzig, achtundsiebzig, zwölf",
        ["vierundvierzig"],
    ),
]

PHONES_TO_PASS = [
    ("order number", "Your order 114-3941689-8772232 has shipped."),
    ("order number without the word", "Reference: 114-3941689-8772232"),
    ("prices", "The total is $1,299.00 (was $1,499.00); tax $84.50."),
    ("big amounts", "We sold 1,000,000 units; EUR 12 345 678,00 in 2025."),
    ("iso date", "Delivery on 2026-11-24 at 10:30."),
    ("us date", "Delivery on 11/24/2026 between 9:00 and 12:00."),
    ("european date", "Lieferung am 24.11.2026."),
    ("date and time", "2026-11-24 10:30"),
    ("date and hour after a call word", "Llámame el 12-06-2026 a las 10, o el 13-06-26."),
    ("times", "Open 10:30-12:00 and 14:00–18:00."),
    ("skus", "SKU NW-DUV-Q-SG and CO-TIP-11 are in stock."),
    ("quantities and sizes", "Qty 2, 3, 4, 5, 6, 7, 8; sizes 6 7 8 9 10 11 12."),
    ("ups tracking", "Tracking number 1Z999AA10123456784."),
    ("usps tracking", "USPS 9400 1000 0000 0000 0000 00"),
    ("fedex tracking", "FedEx tracking: 7489 1234 5678"),
    ("postal codes", "CA 94043, 10115 Berlin, SW1A 1AA, 90210-1234, 560001."),
    ("isbn", "ISBN 978-3-16-148410-0"),
    ("dimensions", "The box is 120 x 80 x 45 cm and weighs 38 kg."),
    ("version and model", "Firmware v2.10.3, model A-1234-B, page 12."),
    ("see you at 5", "See you at 5! It takes one or two days, in one, two, three steps."),
    ("invoice number", "Invoice INV-2026-00042 total 1299.00"),
    ("invoice number with a longer prefix", "Invoice INV-2026-004471 is attached."),
    ("return number", "RMA 2026-11-0457 was approved."),
    ("purchase order", "Your PO 4500012345 shipped."),
    ("code joined to its prefix", "La facture FA-2026-004471, commande CMD-114-3941689."),
    ("german reference", "Rechnungsnummer 2026004471, Retourennummer: 2026-11-0457"),
    ("french reference", "N° de commande 2026-004471, dossier 2026-000123"),
    ("spanish reference", "Nº de pedido 2026-004471, incidencia 2026-000123"),
    ("italian tax number", "Partita IVA 01234567890, numero d'ordine 2026-004471"),
    ("access code", "Your code is 0612 3456 7890 for the locker."),
    ("opening hours", "Open 9.30-12.30 and 14.00-18.00 on 24.11.2026."),
    ("processor and litres", "Intel i7 12700, canisters of 5l 10l 20l."),
    ("number words in prose", "I ordered two lamps and one shade, three boxes came, one dented."),
    ("german number words", "Ich habe acht Stück bestellt, eins fehlt, zwei sind kaputt, drei ok."),
    ("italian sei", "Sei sicuro? Ho ordinato tre cuscini, due sono arrivati, uno è rotto."),
    (
        "french ages and prices",
        "J'ai vingt-deux ans et trente-quatre euros, soixante-dix pour cent.",
    ),
]


def _digits(text: str) -> str:
    words = {
        "zero": "0",
        "oh": "0",
        "one": "1",
        "two": "2",
        "three": "3",
        "four": "4",
        "five": "5",
        "six": "6",
        "seven": "7",
        "eight": "8",
        "nine": "9",
    }
    folded = phone_view(normalize(text).text)  # digits of every script, as 0-9
    folded = re.sub(r"\b(" + "|".join(words) + r")\b", lambda m: words[m.group(1)], folded)
    return re.sub(r"\D", "", folded)


@pytest.mark.parametrize(
    "body", [c[1] for c in PHONES_TO_CATCH], ids=[c[0] for c in PHONES_TO_CATCH]
)
def test_phone_numbers_are_redacted_in_every_disguise(body):
    verdict = send(body)

    found = violations(verdict, "contact.phone")
    assert found and all(v.action == Action.REDACT for v in found)
    assert_explained(found)
    assert "[phone number removed]" in verdict.body_html
    shown = delivered_text(verdict)
    assert not find_phones(shown, REGIONS)
    # No run of the number's digits (longer than an area code) is left to piece together.
    number = max(re.findall(r"\d+", _digits(body)), key=len)
    left = _digits(shown)
    assert not any(number[i : i + 4] in left for i in range(len(number) - 3)), left


@pytest.mark.parametrize(
    ("body", "words"), [c[1:] for c in SPELLED_TO_CATCH], ids=[c[0] for c in SPELLED_TO_CATCH]
)
def test_numbers_spelled_out_in_other_languages_are_redacted(body, words):
    verdict = send(body, side="buyer")

    found = violations(verdict, "contact.phone")
    assert found and all(v.action == Action.REDACT for v in found)
    assert "[phone number removed]" in verdict.body_html
    shown = delivered_text(verdict)
    assert not any(word in shown for word in words), shown


@pytest.mark.parametrize("body", [c[1] for c in PHONES_TO_PASS], ids=[c[0] for c in PHONES_TO_PASS])
def test_numbers_that_are_not_phone_numbers_pass(body):
    assert not violations(send(body), "contact.phone")


def test_digit_words_count_only_in_their_own_language():
    # Italian "sei" is "you are"; in an English run it is no digit, so "one two" stays short.
    assert not violations(send("one two sei tre quattro cinque"), "contact.phone")
    # A run made of one language's own digit words says which language it is.
    assert violations(
        send("sechs fünf fünf eins zwei drei vier fünf sechs sieben"), "contact.phone"
    )


def test_a_handle_is_redacted_exactly():
    verdict = send("Add me on telegram @janedoe88 for the photos.")

    assert verdict.body_html == "<p>Add me on telegram [email address removed] for the photos.</p>"


def test_phone_in_subject_is_redacted_there():
    verdict = send("See below.", subject="Call 555-123-4567")

    assert [v.location for v in violations(verdict, "contact.phone")] == ["subject"]
    assert verdict.subject == "Call [phone number removed]"


def test_two_numbers_in_one_sentence_are_both_redacted():
    verdict = send("Call 212-555-1234 or 646-555-9876.")

    assert len(violations(verdict, "contact.phone")) == 2
    assert verdict.body_html == "<p>Call [phone number removed] or [phone number removed].</p>"


def test_regions_come_from_the_policy():
    number = "Ring 020 7946 0958."
    assert violations(send(number), "contact.phone")
    us_only = DEFAULT_POLICY.__class__(phone_regions=("US",))
    verdict = check_message(
        MessageDraft("seller", "reply", number, reply_to_buyer=True, sent_at=SENT), us_only
    )
    assert not violations(verdict, "contact.phone")


# --- Ordinary messages ---------------------------------------------------------------------

ORDINARY_MESSAGES = [
    (
        "delivery scheduling",
        "<p>Hello Jordan,</p><p>Your sofa (order 114-3941689-8772232) needs a delivery "
        "appointment. We can come on Tuesday, November 24, 2026 between 9:00 and 12:00, or on "
        "11/26/2026 from 1 pm to 5 pm. The box is 210 x 95 x 85 cm and weighs 48 kg, so please "
        "make sure the doorway is at least 80 cm wide.</p><p>Kind regards,<br>Sam</p>",
    ),
    (
        "invoice note",
        "Hello Jordan,\n\nThe invoice INV-2026-00042 for order 114-3941689-8772232 is attached. "
        "Subtotal $1,299.00, tax $84.50, shipping $35.00, total $1,418.50. Payment was received "
        "on 2026-11-24.\n\nSam, Northwind Home Goods",
    ),
    (
        "customization question",
        "Before we engrave the NW-DUV-Q-SG board, please confirm the text \u201cThe Miles "
        "Family, est. 2019\u201d in 3.5 mm serif letters, centred. Quantity: 2 (SKU CO-TIP-11).",
    ),
    (
        "return answer",
        "Yes, you can return the duvet within 30 days. Pack it in the original box, print the "
        "label from the returns page and drop it off at any UPS store. We refund $249.99 within "
        "3-5 business days of receiving it.",
    ),
    (
        "neutral review request",
        "Your order was delivered on November 20. If you have a moment, please share your "
        "honest review of the product on the marketplace; it helps other shoppers.",
    ),
    (
        "tracking info",
        "Your package shipped with UPS, tracking number 1Z999AA10123456784, estimated delivery "
        "24.11.2026. The second box goes by FedEx, tracking 7489 1234 5678.",
    ),
]


@pytest.mark.parametrize(
    "body", [c[1] for c in ORDINARY_MESSAGES], ids=[c[0] for c in ORDINARY_MESSAGES]
)
def test_ordinary_messages_have_no_contact_details(body):
    verdict = send(body)

    assert not violations(verdict, "contact.email")
    assert not violations(verdict, "contact.phone")
