"""How many inbound emails per second the relay parses and stores, for a realistic mix.

    .venv/bin/python bench/inbound_email.py [--emails 400] [--seed 7] [--database-url URL]
                                            [--connections 4] [--redis-url URL]
                                            [--processes 2]

Self-contained: it creates the PostgreSQL database of --database-url (inbound_bench on the
local server by default) afresh, dropping it first if it exists: use a name of its own.
(SQLite is not enough: the send path locks conversations with PostgreSQL's advisory
locks.) It migrates it, seeds a few sellers with their team and buyers who asked about
their orders, then hands the relay a mix like a day's mail:

    40% plain-text replies with the quoted message (Gmail / Apple style), both directions
    20% HTML-only replies (Outlook / Gmail markup, with quote and signature)
    10% replies with a PDF attachment
    15% automatic replies (out of office, null sender)
    15% mail from strangers (refused)

In one run, each pass with emails of its own (--emails each), it prints emails per second:

- parsing alone (MIME, charsets, quote and signature stripping), and a bare INSERT of one
  intake log row per email: the baselines, what no intake can beat;
- stored in-process: ``receive_email`` on each email in turn, one thread, the notification
  tasks handed to an in-memory broker after commit (the worker sends them, as in
  production), with the p50 / p99 time per kind and the statements per email;
- the same with the notifications built and "sent" in the same process too (Celery eager,
  in-memory mail backend): the figure issue #13 started from;
- over SMTP: the project's server (``manage.py run_smtp``, --processes servers on the
  port, 2 by default) started in a process of its own, fed by 1 and then --connections
  concurrent SMTP connections, each sending its share of the emails one after the other
  as a mail server's queue does. The server hands notifications to the broker of
  --redis-url, or without one to the project's file-system broker in the temporary
  directory.

It prints the load average before and after: the machine's other work moves every figure.
DEBUG is off, as in production, in the bench and in the SMTP server it starts.

The process is warmed up as a long-running server is (the task modules imported, the
policy engine loaded and the garbage collector settled as `run_smtp` does, a pass of
untimed emails, the phrase lists compiled) so no pass pays a one-time start-up cost; the
SMTP server gets an untimed pass too, and the bench waits until its processes are idle
(their background compiles done) before timing it.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/inbound_bench"


def _fresh_database(url: str) -> None:
    """Drop and create the bench's database: every run starts from the same empty one."""
    import psycopg

    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("The bench needs PostgreSQL (--database-url postgres://...).")
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _configure(database_url: str, workdir: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["MESSAGECENTER_VAR_DIR"] = str(workdir)
    os.environ["ATTACHMENT_ROOT"] = str(workdir / "attachments")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["REDIS_URL"] = ""
    os.environ["LOG_LEVEL"] = "WARNING"
    # As in production: with DEBUG on, Django wraps every cursor to log and keep each query.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
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
WARM_UP = 10  # untimed emails before the timed passes
COUNTED = 50  # emails whose statements are counted (untimed: counting slows them down)

Email = tuple[str, bytes, str, str | None]  # kind, raw bytes, recipient, envelope sender


def _emails(pairs: list[dict], pdf: bytes, first: int, count: int) -> list[Email]:
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    emails = []
    for n in range(first, first + count):
        kind = random.choice(kinds)
        emails.append((kind, *_build(kind, random.choice(pairs), n, pdf)))
    return emails


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:7.1f} emails/s ({seconds:.2f} s)"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _bare_inserts(emails: list[Email]) -> float:
    """The least storing an email can cost: one INSERT of its log row, committed alone."""
    from messagecenter.relay.models import InboundEmail

    started = time.perf_counter()
    for _, raw, to, envelope in emails:
        InboundEmail.objects.create(
            header_message_id="<bare@bench.example>",
            envelope_from=envelope or "",
            recipient=to,
            outcome=InboundEmail.Outcome.REJECTED,
            reason="bench baseline",
            size=len(raw),
        )
    seconds = time.perf_counter() - started
    InboundEmail.objects.filter(reason="bench baseline").delete()
    return seconds


def _statements(emails: list[Email]) -> dict[str, list[int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from messagecenter.relay.inbound import receive_email

    counted: dict[str, list[int]] = {kind: [] for kind, _ in MIX}
    for kind, raw, to, envelope in emails:
        with CaptureQueriesContext(connection) as queries:
            receive_email(raw, envelope_from=envelope, recipients=[to])
        counted[kind].append(len(queries.captured_queries))
    return counted


def _in_process(emails: list[Email]) -> tuple[float, dict[str, list[float]]]:
    from messagecenter.relay.inbound import receive_email

    times: dict[str, list[float]] = {kind: [] for kind, _ in MIX}
    started = time.perf_counter()
    for kind, raw, to, envelope in emails:
        one = time.perf_counter()
        receive_email(raw, envelope_from=envelope, recipients=[to])
        times[kind].append(time.perf_counter() - one)
    return time.perf_counter() - started, times


def _print_kinds(times: dict[str, list[float]], statements: dict[str, list[int]]) -> None:
    for kind, spent in times.items():
        if spent:
            counted = statements.get(kind) or [0]
            print(
                f"    {kind:<10} n={len(spent):<4} p50 {statistics.median(spent) * 1000:6.1f} ms"
                f"   p99 {_percentile(spent, 0.99) * 1000:6.1f} ms"
                f"   statements {statistics.mean(counted):4.1f}"
            )


# --- over SMTP ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_server(port: int, redis_url: str | None, processes: int) -> subprocess.Popen:
    """``manage.py run_smtp`` in a process of its own (forking ``processes`` servers on
    the port), as it runs in production."""
    env = {
        **os.environ,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "REDIS_URL": redis_url or "",
        "DJANGO_SETTINGS_MODULE": "messagecenter.settings",
    }
    command = ["run_smtp", "--port", str(port), "--processes", str(processes)]
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=5) as probe:
                probe.noop()
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit("The SMTP server did not start (manage.py run_smtp).")
            time.sleep(0.2)
    server.terminate()
    sys.exit("The SMTP server did not answer within 60 s.")


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (Linux /proc), in seconds."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile, or no /proc here
    return total


def _wait_until_idle(pid: int, timeout: float = 180.0) -> float:
    """Wait until the server's processes stop working on their own (each compiles its
    phrase lists in background threads after their first uses, a few seconds of processor
    per process): a timed pass measures the steady state. Returns the seconds waited."""
    started = time.monotonic()
    before = _cpu_seconds(pid)
    while time.monotonic() - started < timeout:
        time.sleep(1.0)
        now = _cpu_seconds(pid)
        if now - before < 0.05:
            break
        before = now
    return time.monotonic() - started


def _send_over_smtp(port: int, emails: list[Email]) -> tuple[int, int]:
    """Send these emails one after the other over one connection: (taken, refused)."""
    taken = refused = 0
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        for _, raw, to, envelope in emails:
            try:
                client.sendmail(envelope or "<>", [to], raw)
                taken += 1
            except smtplib.SMTPResponseException:  # strangers: 550 at DATA, as intended
                refused += 1
    return taken, refused


def _over_smtp(port: int, emails: list[Email], connections: int) -> tuple[float, int, int]:
    shares = [emails[i::connections] for i in range(connections)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        results = list(pool.map(lambda share: _send_over_smtp(port, share), shares))
    seconds = time.perf_counter() - started
    return seconds, sum(r[0] for r in results), sum(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--emails", type=int, default=400, help="emails in each pass")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--database-url",
        default=DEFAULT_URL,
        help="a PostgreSQL database for the bench alone: dropped and created again",
    )
    parser.add_argument("--connections", type=int, default=4, help="SMTP connections at once")
    parser.add_argument(
        "--redis-url", default=None, help="the SMTP server's broker (default: file system)"
    )
    parser.add_argument(
        "--processes", type=int, default=2, help="run_smtp --processes (servers on the port)"
    )
    args = parser.parse_args()
    random.seed(args.seed)

    with tempfile.TemporaryDirectory(prefix="inbound-bench-") as tmp:
        _fresh_database(args.database_url)
        _configure(args.database_url, Path(tmp))
        import django

        django.setup()
        from django.conf import settings
        from django.core import mail
        from django.core.management import call_command
        from django.db import close_old_connections, connection
        from django.db.models import Count

        from compliance.detect.phrase_index import wait_for_compiles
        from messagecenter.celery import app as celery_app
        from messagecenter.relay.inbound import own_words
        from messagecenter.relay.models import InboundEmail
        from messagecenter.relay.parsing import parse_email
        from messagecenter.relay.process_start import prepare_relay_process
        from tests.factories import pdf_bytes

        call_command("migrate", verbosity=0, interactive=False)
        pairs = _seed(sellers=3, buyers=8)
        pdf = pdf_bytes("Receipt 1001", pad_to=120_000)
        n = args.emails
        warm_up = _emails(pairs, pdf, 0, WARM_UP + COUNTED)
        passes = [_emails(pairs, pdf, WARM_UP + COUNTED + i * n, n) for i in range(4)]
        size = sum(len(raw) for _, raw, _, _ in passes[0])
        print(
            f"database: {connection.vendor}; {n} emails a pass, {size / n / 1024:.1f} KB on"
            f" average; load average {os.getloadavg()[0]:.1f}"
        )

        # Notifications go to a broker nobody reads, as the server hands them to Redis.
        celery_app.conf.broker_url = "memory://"
        celery_app.conf.task_always_eager = False
        celery_app.loader.import_default_modules()  # what a worker or a server did at start
        prepare_relay_process()  # and what manage.py run_smtp does next
        _in_process(warm_up[:WARM_UP])
        statements = _statements(warm_up[WARM_UP:])
        # A long-running process compiles the policy engine's phrase lists once each, in
        # background threads, after their first few uses. An untimed pass uses them as a
        # server's first hour would; a timed pass must not share the processor with those
        # compiles.
        _in_process(_emails(pairs, pdf, WARM_UP + COUNTED + 4 * n, n))
        wait_for_compiles()

        started = time.perf_counter()
        for _, raw, _, _ in passes[0]:
            own_words(parse_email(raw))
        print(f"baseline, parsing alone:            {_rate(n, time.perf_counter() - started)}")
        print(f"baseline, a bare INSERT per email:  {_rate(n, _bare_inserts(passes[0]))}")

        total, times = _in_process(passes[0])
        print(f"stored in-process (one thread):     {_rate(n, total)}")
        _print_kinds(times, statements)

        celery_app.conf.task_always_eager = True
        mail.outbox = []
        total, _ = _in_process(passes[1])
        print(
            f"stored, notifications sent too:     {_rate(n, total)}"
            f" ({len(mail.outbox)} notifications and notices)"
        )
        celery_app.conf.task_always_eager = False

        close_old_connections()
        print(
            f"over SMTP: manage.py run_smtp, {args.processes} process(es) of"
            f" {settings.SMTP_RELAY_WORKERS} worker threads"
        )
        port = _free_port()
        server = _start_server(port, args.redis_url, args.processes)
        try:
            # A pass of its own: every server process warms up and compiles its phrase lists
            # as the in-process one did (over many connections, so that the kernel hands
            # some to every process on the port).
            _over_smtp(
                port, _emails(pairs, pdf, 10**6, n), max(args.connections, 8 * args.processes)
            )
            waited = _wait_until_idle(server.pid)
            print(f"  (the server's processes compiled their phrase lists: {waited:.0f} s)")
            for connections, emails in ((1, passes[2]), (args.connections, passes[3])):
                seconds, taken, refused = _over_smtp(port, emails, connections)
                label = f"over SMTP, {connections} connection{'s' * (connections > 1)}:"
                print(f"{label:<36}{_rate(n, seconds)} ({taken} taken, {refused} refused with 550)")
        finally:
            server.terminate()
            server.wait(timeout=30)

        outcomes = dict(
            InboundEmail.objects.values_list("outcome").annotate(n=Count("id")).order_by("outcome")
        )
        print("outcomes, all passes:", ", ".join(f"{k} {v}" for k, v in outcomes.items()))
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
