"""Mail loops between a buyer's and a seller's mailboxes, caught per pair.

Two auto-responders that do not mark their mail (no Auto-Submitted, no Precedence) answer
each other through the relay for ever: each answer is a new email, relayed to the other
mailbox, which answers again. Headers cannot tell, so the pattern does, from the intake
log of the pair (``InboundEmail``):

* the same email coming back: one side sends an email of the same shape (subject without
  its prefixes, words without quotes, numbers and spacing ignored) as one of its emails
  taken in the last ``RELAY_LOOP_WINDOW_MINUTES``;
* too many: more than ``RELAY_LOOP_MAX_PER_MINUTE`` emails taken for the pair, both ways
  together, in the last minute. No person writes that fast.

An email caught is kept in the conversation as an automatic reply, so it is never emailed
on and the loop stops; it is logged with the outcome ``loop``. Its sender is told once per
loop (not again while the loop's emails keep coming within the window).

Decided: only emails the relay took in (outcome accepted or loop) count. Mail refused from
strangers, bounces and automatic replies marked as such never reach the other side, so
they cannot be part of a loop, and a stranger flooding an address must not stop the
pair's own mail.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from messagecenter.relay.addresses import masked_address
from messagecenter.relay.models import InboundEmail, ProxyAddressPair
from messagecenter.threads.models import Side

_TAKEN = (InboundEmail.Outcome.ACCEPTED, InboundEmail.Outcome.LOOP)
# "Re:", "AW:", "Automatic reply:", "Abwesenheitsnotiz:", "[Ticket #12]"... in any number.
_SUBJECT_PREFIXES = re.compile(r"^(?:\s*(?:\[[^\]]{0,40}\]|[^:\[\]]{1,40}:))+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class MailLoop:
    reason: str  # what gave it away, for the log and the sender's notice
    first: bool  # the first email caught in this loop: its sender is told


def email_shape(subject: str, words: str) -> str:
    """What an email says, blind to what changes from one round of a loop to the next."""
    core = _SUBJECT_PREFIXES.sub("", subject or "")
    text = " ".join(f"{core}\n{words}".lower().split())
    return hashlib.sha256(_DIGITS.sub("0", text).encode()).hexdigest()[:32]


def mail_loop(*, pair: ProxyAddressPair, recipient: str, shape: str) -> MailLoop | None:
    """Whether an email to ``recipient`` (one of the pair's masked addresses) looks like
    a round of a mail loop. Call it with the pair locked, before logging the email."""
    now = timezone.now()
    window = now - timedelta(minutes=settings.RELAY_LOOP_WINDOW_MINUTES)
    taken = InboundEmail.objects.filter(outcome__in=_TAKEN)
    both_ways = [masked_address(pair, Side.BUYER), masked_address(pair, Side.SELLER)]
    per_minute = settings.RELAY_LOOP_MAX_PER_MINUTE
    reason = ""
    if (
        taken.filter(recipient__in=both_ways, received_at__gte=now - timedelta(minutes=1)).count()
        >= per_minute
    ):
        reason = f"more than {per_minute} emails in a minute between the buyer and the seller"
    elif taken.filter(recipient=recipient, shape=shape, received_at__gte=window).exists():
        reason = f"the same email came back within {settings.RELAY_LOOP_WINDOW_MINUTES} minutes"
    if not reason:
        return None
    earlier = InboundEmail.objects.filter(
        recipient=recipient, outcome=InboundEmail.Outcome.LOOP, received_at__gte=window
    )
    return MailLoop(reason=reason, first=not earlier.exists())
