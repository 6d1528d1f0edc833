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

from django.conf import settings
from django.utils.functional import Promise, lazy
from django.utils.translation import ngettext

from messagecenter.relay.history import IntakeHistory

# "Re:", "AW:", "Automatic reply:", "Abwesenheitsnotiz:", "[Ticket #12]"... in any number.
_SUBJECT_PREFIXES = re.compile(r"^(?:\s*(?:\[[^\]]{0,40}\]|[^:\[\]]{1,40}:))+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class MailLoop:
    # What gave it away, for the log (in English) and the sender's notice (in theirs): words
    # read when shown, in the language active then.
    reason: str | Promise
    first: bool  # the first email caught in this loop: its sender is told


def email_shape(subject: str, words: str) -> str:
    """What an email says, blind to what changes from one round of a loop to the next."""
    core = _SUBJECT_PREFIXES.sub("", subject or "")
    text = " ".join(f"{core}\n{words}".lower().split())
    return hashlib.sha256(_DIGITS.sub("0", text).encode()).hexdigest()[:32]


def _too_many_now(count: int) -> str:
    return ngettext(
        "more than %(count)d email in a minute between the buyer and the seller",
        "more than %(count)d emails in a minute between the buyer and the seller",
        count,
    ) % {"count": count}


def _came_back_now(minutes: int) -> str:
    return ngettext(
        "the same email came back within %(minutes)d minute",
        "the same email came back within %(minutes)d minutes",
        minutes,
    ) % {"minutes": minutes}


_too_many = lazy(_too_many_now, str)
_came_back = lazy(_came_back_now, str)


def mail_loop(history: IntakeHistory) -> MailLoop | None:
    """Whether an email looks like a round of a mail loop, from what the intake log says
    about its pair (``history.intake_lookup``, read with the pair locked)."""
    per_minute = settings.RELAY_LOOP_MAX_PER_MINUTE
    if history.last_minute >= per_minute:
        reason = _too_many(per_minute)
    elif history.same_shape:
        reason = _came_back(settings.RELAY_LOOP_WINDOW_MINUTES)
    else:
        return None
    return MailLoop(reason=reason, first=not history.loop_caught)
