"""link.external, through check_message: links and written web addresses to hosts that are
not on the policy's allowlist (marketplace.example and its subdomains by default)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from compliance.engine import FileFacts, MessageDraft, Verdict, check_message
from compliance.policy import DEFAULT_POLICY, Action, PolicyConfig

SENT = datetime(2026, 11, 20, 10, tzinfo=UTC)


def send(
    body: str,
    *,
    subject: str = "",
    side: str = "seller",
    attachments: tuple[FileFacts, ...] = (),
    policy: PolicyConfig = DEFAULT_POLICY,
) -> Verdict:
    message_type = "reply" if side == "seller" else "buyer_inquiry"
    draft = MessageDraft(
        sender_side=side,
        message_type=message_type,
        body=body,
        subject=subject,
        reply_to_buyer=True,
        sent_at=SENT,
        attachments=attachments,
    )
    return check_message(draft, policy)


def link_violations(verdict: Verdict) -> list:
    return [v for v in verdict.violations if v.rule == "link.external"]


# (case id, body, the excerpt the sender is shown)
LINKS_TO_CATCH = [
    (
        "anchor",
        '<p>See <a href="https://northwind-outlet.com/sale">our outlet</a>.</p>',
        "https://northwind-outlet.com/sale",
    ),
    (
        "anchor, protocol-relative",
        '<a href="//cdn.northwind-outlet.com/x">here</a>',
        "//cdn.northwind-outlet.com/x",
    ),
    (
        "anchor to a look-alike of the allowed host",
        '<a href="https://marketplace.example.evil.com/login">sign in</a>',
        "https://marketplace.example.evil.com/login",
    ),
    (
        "anchor with user info",
        '<a href="https://marketplace.example@evil.com/">help</a>',
        "https://marketplace.example@evil.com/",
    ),
    (
        "anchor showing an allowed address",
        '<a href="https://evil.com/">https://marketplace.example/help</a>',
        "https://evil.com/",
    ),
    (
        "https in text",
        "More colours at https://northwind-outlet.com/sale.",
        "https://northwind-outlet.com/sale",
    ),
    ("http in text", "(see http://northwind-outlet.com)", "http://northwind-outlet.com"),
    ("ip address", "Offer: http://192.168.0.10/offer", "http://192.168.0.10/offer"),
    ("www", "Visit www.northwind-outlet.com today", "www.northwind-outlet.com"),
    ("bare domain with path", "Go to northwind-outlet.com/sale now", "northwind-outlet.com/sale"),
    ("bare domain", "We also sell on northwind-outlet.com!", "northwind-outlet.com"),
    ("capitalised site name", "Sold at Amazon.com too.", "Amazon.com"),
    ("shouted", "OUR SITE: NORTHWIND.COM", "NORTHWIND.COM"),
    ("link shortener", "Short link: bit.ly/3xYzAb", "bit.ly/3xYzAb"),
    ("country ending", "northwind.co.uk has more", "northwind.co.uk"),
    ("word dot", "Find us at northwind dot com", "northwind dot com"),
    ("bracketed dot", "northwind[.]com or northwind(dot)net", "northwind[.]com"),
    ("spaced dot", "northwind . com", "northwind . com"),
    (
        "fullwidth",
        "\uff4e\uff4f\uff52\uff54\uff48\uff57\uff49\uff4e\uff44\uff0e\uff43\uff4f\uff4d",
        "\uff4e\uff4f\uff52\uff54\uff48\uff57\uff49\uff4e\uff44\uff0e\uff43\uff4f\uff4d",
    ),
    ("cyrillic look-alikes", "Shop at \u0430mazon.c\u043em", "\u0430mazon.c\u043em"),
    ("zero-width inside", "northwind\u200b.com", "northwind\u200b.com"),
    ("armenian look-alike", "Shop at northwind.c\u0585m", "northwind.c\u0585m"),
    (
        "word dot with a path (not an email)",
        "The manual is at brightlamps dot com/warranty",
        "brightlamps dot com/warranty",
    ),
    ("defanged", "Manuals: hxxps://brightlamps[.]com/manuals", "hxxps://brightlamps[.]com/manuals"),
    ("defanged scheme", "see https[:]//brightlamps.com/x", "https[:]//brightlamps.com/x"),
    ("bracketed dot with a path", "brightlamps[.]com/manuals", "brightlamps[.]com/manuals"),
    ("protocol-relative in text", "Spares: //brightlamps.com/spares", "//brightlamps.com/spares"),
    (
        "cyrillic look-alike of the allowed domain",
        "Track it on m\u0430rketplace.example/orders/114",
        "m\u0430rketplace.example/orders/114",
    ),
    (
        "punycode of a look-alike",
        "Log in at xn--mrketplace-zqi.example/login",
        "xn--mrketplace-zqi.example/login",
    ),
    (
        "look-alike anchor of the allowed domain",
        '<a href="https://m\u0430rketplace.example/x">your order</a>',
        "https://m\u0430rketplace.example/x",
    ),
    (
        "german dot word",
        "Die Anleitung finden Sie unter lampenhaus punkt de/anleitung.",
        "lampenhaus punkt de/anleitung",
    ),
    (
        "spanish dot word",
        "El manual está en lamparas-sol punto es/manuales, en la sección de lámparas.",
        "lamparas-sol punto es/manuales",
    ),
]

LINKS_TO_PASS = [
    ("abbreviations", "Remove the cover, e.g. with a coin, i.e. gently; U.S. and U.K. plugs."),
    ("numbers", "A 3.5 mm jack, version 2.10.3, $3.50, No. 5, 4.5 stars."),
    ("titles", "Mr. Smith and Dr.Jones of St. Louis, Ph.D."),
    ("file names", "See manual.pdf, invoice_114.docx, photo.jpg and notes.txt."),
    ("file names that look like domains", "Unzip setup.zip and read notes.md first."),
    ("times", "Between 9 a.m. and 5 p.m."),
    ("missing space after a full stop", "It arrives tomorrow.It will be fine.Thanks"),
    ("look at the box", "Please look at the box. com"),
    ("dot com era", "Back in the dot com era we started small."),
    ("allowed anchor", '<a href="https://marketplace.example/orders/1">your order page</a>'),
    ("allowed subdomain in text", "Returns: https://help.marketplace.example/returns"),
    ("allowed bare", "marketplace.example/help explains it; www.marketplace.example too."),
    ("relative anchor", '<a href="/orders/1">order</a>'),
    ("mailto is contact.email's business", '<a href="mailto:jane@mail.com">mail</a>'),
    ("email address is contact.email's business", "jane at mail dot com, jane@mail.com"),
    ("spanish email is contact.email's business", "maria punto lopez arroba gmail punto com"),
    (
        "allowed domain in fullwidth letters",
        "\uff4d\uff41\uff52\uff4b\uff45\uff54\uff50\uff4c\uff41\uff43\uff45.example/help",
    ),
    ("allowed anchor in capitals", '<a href="https://MARKETPLACE.example/x">help</a>'),
    ("italian abbreviations", "Gent.ma cliente, l'Amm.ne ha emesso la fattura."),
    ("french point in prose", "Le point de vente de Lyon est au point, faisons le point de."),
    ("spanish punto in prose", "El punto es que el punto de venta abre a las 10 en punto."),
    ("italian punto in prose", "A che punto è la spedizione? Il punto di ritiro apre alle 9."),
    ("german punkt in prose", "Zu Punkt 1: Der Fahrer kommt um Punkt 10 Uhr."),
]


@pytest.mark.parametrize(
    ("body", "excerpt"), [c[1:] for c in LINKS_TO_CATCH], ids=[c[0] for c in LINKS_TO_CATCH]
)
def test_external_links_are_blocked(body, excerpt):
    verdict = send(body)

    found = link_violations(verdict)
    assert verdict.blocked
    assert found[0].excerpt == excerpt
    assert all(v.action == Action.BLOCK for v in found)
    assert "marketplace.example" in found[0].message
    assert found[0].message.endswith(".")


@pytest.mark.parametrize("body", [c[1] for c in LINKS_TO_PASS], ids=[c[0] for c in LINKS_TO_PASS])
def test_words_with_dots_and_allowed_links_pass(body):
    assert not link_violations(send(body))


def test_a_look_alike_of_the_allowed_domain_says_so():
    found = link_violations(send("Track it on m\u0430rketplace.example/orders/114"))

    assert "looks like marketplace.example" in found[0].message


def test_an_attachment_name_is_not_a_link():
    body = "I attached northwind.co so you can check it."
    assert link_violations(send(body))
    assert not link_violations(send(body, attachments=(FileFacts("northwind.co", 10),)))


def test_link_in_subject_is_found():
    found = link_violations(send("Hello", subject="Deals at northwind-outlet.com"))

    assert [v.location for v in found] == ["subject"]


def test_a_link_showing_its_own_address_is_reported_once():
    body = '<a href="https://evil.com/x">https://evil.com/x</a>'

    assert len(link_violations(send(body))) == 1


def test_buyers_may_send_links():
    assert not link_violations(send("It looks like www.example-shop.com/item", side="buyer"))


def test_the_allowlist_comes_from_the_policy():
    policy = PolicyConfig(allowed_link_domains=frozenset({"marketplace.example", "northwind.com"}))
    body = 'Manual: <a href="https://docs.northwind.com/m.pdf">here</a>, or northwind.com/help'

    assert link_violations(send(body))
    assert not link_violations(send(body, policy=policy))


def test_redacting_a_link_removes_its_target():
    policy = DEFAULT_POLICY.with_actions(link_external=Action.REDACT)
    verdict = send('<p>Buy <a href="https://evil.com/x">here</a> or at evil.com</p>', policy=policy)

    assert not verdict.blocked
    assert "evil" not in verdict.body_html
    assert verdict.body_html == "<p>Buy [link removed] or at [link removed]</p>"


ORDINARY_MESSAGES = [
    (
        "delivery scheduling",
        "<p>Hello Jordan,</p><p>We can deliver the sofa on Tuesday, November 24 between 9:00 "
        "and 12:00 (approx. 2 hrs). The box is 210 x 95 x 85 cm, so the doorway must be at "
        "least 80 cm wide.</p><p>Kind regards,<br>Sam</p>",
    ),
    (
        "invoice note",
        "The invoice INV-2026-00042 for order 114-3941689-8772232 is attached as "
        "invoice.pdf. Total $1,418.50 incl. tax, paid on 2026-11-24.",
    ),
    (
        "customization question",
        "Please confirm the engraving \u201cThe Miles Family, est. 2019\u201d in 3.5 mm "
        "letters on the NW-DUV-Q-SG board.",
    ),
    (
        "return answer",
        'Yes, you can return it within 30 days: start from <a href="https://marketplace.example'
        '/returns/114">the returns page</a>. We refund within 3-5 business days.',
    ),
    (
        "neutral review request",
        "Your order was delivered on Nov. 20. If you have a moment, please share your honest "
        "review on the marketplace.",
    ),
    (
        "tracking info",
        "Your package shipped with UPS, tracking number 1Z999AA10123456784. You can follow it "
        "on your order page.",
    ),
]


@pytest.mark.parametrize(
    "body", [c[1] for c in ORDINARY_MESSAGES], ids=[c[0] for c in ORDINARY_MESSAGES]
)
def test_ordinary_messages_have_no_external_links(body):
    assert not link_violations(send(body))
