"""What the sender of an email is told when it did not simply go through.

Sent from the marketplace's no-reply address to the address the email came from (the
sender's own: registered, or approved for their business), so they contain nothing of the
other party but their public name. They carry ``Auto-Submitted: auto-replied`` so that
well-behaved mail programs never answer them, and thread under the sender's email.

Decided: these go out whatever the sender's notification settings say. Someone who wrote
by email has no other way to learn that it was blocked, held or refused.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from compliance.engine import Violation
from compliance.policy import Action
from messagecenter.core.mail import AUTO_REPLIED
from messagecenter.relay.notice_language import in_the_locale_for_address
from messagecenter.threads.links import conversation_url
from messagecenter.threads.models import Conversation, Side

logger = logging.getLogger(__name__)

_EXCERPT_LIMIT = 160


class Notice(StrEnum):
    BLOCKED = "blocked"  # the policy blocked it: which rules, where, why
    HELD = "held"  # waiting for an administrator
    CHANGED = "changed"  # delivered with parts removed (redactions)
    REFUSED = "refused"  # not taken into a conversation (no conversation, not a reply…)
    LOOP = "loop"  # kept, but not emailed on: it looks like a mail loop


def _subject(notice: Notice, subject: str) -> str:
    if not subject:
        # Translators: stands for the subject of an email that had none.
        subject = _("your email")
    subjects = {
        Notice.BLOCKED: _("Not delivered: %(subject)s"),
        Notice.HELD: _("Held for review: %(subject)s"),
        Notice.CHANGED: _("Delivered with changes: %(subject)s"),
        Notice.REFUSED: _("Not delivered: %(subject)s"),
        Notice.LOOP: _("Mail loop stopped: %(subject)s"),
    }
    return (subjects[notice] % {"subject": subject})[:200]


def _shown(violation: Violation) -> dict[str, str]:
    excerpt = " ".join(violation.excerpt.split())
    if len(excerpt) > _EXCERPT_LIMIT:
        excerpt = excerpt[: _EXCERPT_LIMIT - 1] + "…"
    return {
        "rule": violation.rule,
        # The policy wrote each explanation in every language; this is the notice's.
        "message": violation.message_in(get_language()),
        "excerpt": excerpt,
        "location": violation.location,
    }


def build_inbound_notice(
    notice: Notice,
    *,
    to_address: str,
    subject: str,
    side: Side,
    conversation: Conversation | None,
    reason: str | Promise = "",
    violations: Sequence[Violation] = (),
    answers_message_id: str = "",
    declared_language: str = "",
) -> EmailMessage:
    """The notice in the language chosen for its address (notice_language)."""
    if notice == Notice.CHANGED:
        violations = [v for v in violations if v.action == Action.REDACT]
    elif notice == Notice.BLOCKED:
        violations = [v for v in violations if v.action == Action.BLOCK]
    with in_the_locale_for_address(to_address, declared_language):
        context = {
            "notice": notice.value,
            "subject": subject or _("(no subject)"),
            "to_seller": side == Side.BUYER,
            "order_number": conversation.order.number
            if conversation and conversation.order
            else "",
            # Read here, in the notice's language.
            "reason": str(reason),
            "violations": [_shown(v) for v in violations],
            "conversation_url": conversation_url(conversation, side) if conversation else "",
            "marketplace": settings.MARKETPLACE_NAME,
            "loop_minutes": settings.RELAY_LOOP_WINDOW_MINUTES,
        }
        headers = dict(AUTO_REPLIED)
        if answers_message_id:
            headers["In-Reply-To"] = answers_message_id
            headers["References"] = answers_message_id
        return EmailMessage(
            subject=_subject(notice, subject),
            body=render_to_string("email/inbound_notice.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to_address],
            headers=headers,
        )


def send_inbound_notice(notice: Notice, **details: Any) -> None:
    """Send it now; a mail server that is down loses the notice, never the message."""
    try:
        build_inbound_notice(notice, **details).send()
    except Exception:
        logger.exception("Could not send the %s notice for an inbound email.", notice.value)
