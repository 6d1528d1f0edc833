"""How many inbound emails per second the relay parses and stores, for a realistic mix.

    .venv/bin/python bench/inbound_email.py [--emails 400] [--seed 7] [--database-url URL]

Self-contained: by default it migrates a throwaway SQLite database in a temporary
directory (give --database-url to use an empty PostgreSQL database instead), seeds a few
sellers with their team and buyers who asked about their orders, then hands
``receive_email`` a mix like a day's mail:

    40% plain-text replies with the quoted message (Gmail / Apple style), both directions
    20% HTML-only replies (Outlook / Gmail markup, with quote and signature)
    10% replies with a PDF attachment
    15% automatic replies (out of office, null sender)
    15% mail from strangers (refused)

Notifications and notices are built and "sent" (Celery eager, in-memory mail backend),
as in production. Prints emails per second end to end, the p50 / p99 time per email for
each kind, and how fast parsing alone is (MIME, charsets, quote and signature stripping).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _configure(database_url: str | None, workdir: Path) -> None:
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MESSAGECENTER_VAR_DIR"] = str(workdir)
    os.environ["ATTACHMENT_ROOT"] = str(workdir / "attachments")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["REDIS_URL"] = ""
    os.environ["LOG_LEVEL"] = "WARNING"
    # A day's mail sent within seconds, the same few answers in every pair: to the loop
    # check (relay/loops.py) that is a mail loop. Off, so every email takes the full path.
    os.environ["RELAY_LOOP_MAX_PER_MINUTE"] = str(10**9)
    os.environ["RELAY_LOOP_WINDOW_MINUTES"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "messagecenter.settings")


QUESTION = "Please confirm the delivery address for your order: is it apartment {unit}?"
ANSWERS = [
    "Yes, apartment {unit} is right. Please leave it with the concierge if nobody answers.",
    "Thursday morning works for us. Could the driver call from the gate? It is locked.",
    "The box arrived a little dented but everything inside is fine, thank you for asking.",
    "We can deliver on Friday between 9 and 12, or Monday afternoon; which suits you?",
]


def _plain_reply(sender: str, to: str, unit: str, n: int) -> dict:
    answer = random.choice(ANSWERS).format(unit=unit)
    text = (
        f"Hi,\n\n{answer}\n\nThanks,\nJordan\n\n"
        f"On Tue, Nov 24, 2026 at 10:0{n % 10} AM Northwind Home Goods via Marketplace <\n"
        f"{to}> wrote:\n\n> {QUESTION.format(unit=unit)}\n>\n> Sam\n>\n"
        + "".join(f"> earlier line {i} of the thread, quoted again and again\n" for i in range(20))
    )
    return {"sender": sender, "to": to, "text": text}


def _html_reply(sender: str, to: str, unit: str, n: int) -> dict:
    answer = random.choice(ANSWERS).format(unit=unit)
    html = (
        "<html><head><style><!-- p.MsoNormal {margin:0in; font-size:11.0pt; "
        'font-family:"Calibri",sans-serif;} --></style></head><body lang="EN-US">'
        f'<div class="WordSection1"><p class="MsoNormal">{answer}<o:p></o:p></p>'
        '<p class="MsoNormal"><a name="_MailAutoSig">Best regards,</a></p>'
        '<p class="MsoNormal">Jordan Miles</p>'
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in">'
        f'<p class="MsoNormal"><b>From:</b> Northwind via Marketplace &lt;{to}&gt;<br>'
        f"<b>Sent:</b> Tuesday, November 24, 2026 10:0{n % 10} AM<br><b>To:</b> Jordan<br>"
        "<b>Subject:</b> Order</p></div>"
        f'<p class="MsoNormal">{QUESTION.format(unit=unit)}</p>'
        + "".join(f"<p class='MsoNormal'>older quoted paragraph {i}</p>" for i in range(20))
        + "</div></body></html>"
    )
    return {"sender": sender, "to": to, "text": None, "html": html}


def _build(kind: str, pair, n: int, pdf: bytes) -> tuple[bytes, str, str | None]:
    """(raw email, recipient, envelope sender) for one email of this kind."""
    from messagecenter.relay.addresses import masked_address
    from messagecenter.threads.models import Side
    from tests.relay.emails import email_from

    buyer, seller_member = pair["buyer"], pair["member"]
    seller_writes = n % 2 == 0
    sender = seller_member.email if seller_writes else buyer.email
    to = masked_address(pair["pair"], Side.BUYER if seller_writes else Side.SELLER)
    unit = f"{n % 9 + 1}B"
    subject = f"Re: Order {pair['order'].number}"
    envelope: str | None = sender
    headers: dict[str, str] = {}
    files: list[tuple[str, bytes, str]] = []
    if kind == "html":
        parts = _html_reply(sender, to, unit, n)
    elif kind == "stranger":
        parts = _plain_reply(f"someone{n}@elsewhere.example", to, unit, n)
        envelope = parts["sender"]
    else:
        parts = _plain_reply(sender, to, unit, n)
    if kind == "pdf":
        files = [(f"receipt-{n}.pdf", pdf, "application/pdf")]
    if kind == "automatic":
        headers = {"Auto-Submitted": "auto-replied"}
        parts["text"] = "I am out of the office until Monday and will answer then."
        envelope = "<>"
    raw = email_from(
        parts["sender"],
        parts["to"],
        subject=subject,
        text=parts.get("text"),
        html=parts.get("html"),
        headers=headers,
        files=files,
    )
    return raw, to, envelope


def _seed(sellers: int, buyers: int) -> list[dict]:
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from messagecenter.accounts.models import Membership, SellerBusiness, User
    from messagecenter.messaging.drafts import Draft
    from messagecenter.messaging.sending import message_send_for_order
    from messagecenter.relay.addresses import proxy_pair_for
    from messagecenter.threads.models import Side
    from orders.models import Order, OrderLine

    pairs = []
    for s in range(sellers):
        business = SellerBusiness.objects.create(name=f"Bench Seller {s}")
        member = User.objects.create_user(
            email=f"owner{s}@seller{s}.example", display_name=f"Owner {s}"
        )
        Membership.objects.create(user=member, business=business, role="owner")
        for b in range(buyers):
            buyer, _ = User.objects.get_or_create(
                email=f"buyer{b}@example.com", defaults={"display_name": f"Buyer {b}"}
            )
            order = Order.objects.create(
                number=f"114-{s:03d}{b:04d}-{s * 1000 + b:07d}",
                buyer=buyer,
                seller=business,
                status="shipped",
                ordered_at=timezone.now() - timedelta(days=3),
                shipped_at=timezone.now() - timedelta(days=2),
            )
            OrderLine.objects.create(
                order=order,
                title="Linen duvet cover",
                sku=f"SKU-{b}",
                quantity=1,
                unit_price=Decimal("49.00"),
            )
            message_send_for_order(
                order=order,
                draft=Draft(
                    sender=buyer,
                    side=Side.BUYER,
                    message_type="buyer_inquiry",
                    subject=f"Order {order.number}",
                    body="Is the delivery address right: apartment 4B?",
                ),
            )
            pairs.append(
                {
                    "buyer": buyer,
                    "member": member,
                    "order": order,
                    "pair": proxy_pair_for(buyer, business),
                }
            )
    return pairs


MIX = [("plain", 40), ("html", 20), ("pdf", 10), ("automatic", 15), ("stranger", 15)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--emails", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--database-url",
        default=None,
        help="an EMPTY database to use (default: a temporary SQLite file)",
    )
    args = parser.parse_args()
    random.seed(args.seed)

    with tempfile.TemporaryDirectory(prefix="inbound-bench-") as tmp:
        _configure(args.database_url, Path(tmp))
        import django

        django.setup()
        from django.core import mail
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Count

        from messagecenter.relay.inbound import own_words, receive_email
        from messagecenter.relay.models import InboundEmail
        from messagecenter.relay.parsing import parse_email
        from tests.factories import pdf_bytes

        call_command("migrate", verbosity=0, interactive=False)
        pairs = _seed(sellers=3, buyers=8)
        pdf = pdf_bytes("Receipt 1001", pad_to=120_000)
        kinds = [kind for kind, weight in MIX for _ in range(weight)]
        emails = []
        for n in range(args.emails):
            kind = random.choice(kinds)
            emails.append((kind, *_build(kind, random.choice(pairs), n, pdf)))
        size = sum(len(raw) for _, raw, _, _ in emails)

        started = time.perf_counter()
        for _, raw, _, _ in emails:
            own_words(parse_email(raw))
        parse_seconds = time.perf_counter() - started

        times: dict[str, list[float]] = {kind: [] for kind, _ in MIX}
        mail.outbox = []
        started = time.perf_counter()
        for kind, raw, to, envelope in emails:
            one = time.perf_counter()
            receive_email(raw, envelope_from=envelope, recipients=[to])
            times[kind].append(time.perf_counter() - one)
        total = time.perf_counter() - started

        outcomes = dict(
            InboundEmail.objects.values_list("outcome").annotate(n=Count("id")).order_by("outcome")
        )
        print(
            f"database: {connection.vendor}; {len(emails)} emails, "
            f"{size / len(emails) / 1024:.1f} KB on average"
        )
        print(f"parse + strip quotes/signatures: {len(emails) / parse_seconds:,.0f} emails/s")
        print(
            f"parsed and stored (end to end):  {len(emails) / total:,.1f} emails/s "
            f"({total:.2f} s; notifications and notices sent: {len(mail.outbox)})"
        )
        for kind, spent in times.items():
            if spent:
                ordered = sorted(spent)
                p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
                print(
                    f"  {kind:<10} n={len(spent):<4} p50 {statistics.median(spent) * 1000:6.1f} ms"
                    f"   p99 {p99 * 1000:6.1f} ms"
                )
        print("outcomes:", ", ".join(f"{k} {v}" for k, v in outcomes.items()))


if __name__ == "__main__":
    main()
