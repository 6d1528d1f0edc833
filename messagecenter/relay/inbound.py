"""Email into conversations: the one service the SMTP server and the pipe command call.

For each recipient, ``receive_email`` checks the masked address and the sender, skips a
Message-ID it has already taken, finds the conversation, keeps only what the sender wrote
(no quoted history, no signature) and sends it with ``message_send`` like any message
written on the website, with its files as uploads, so every policy rule applies. Every
outcome is logged in ``InboundEmail``.

Two kinds of "no":

* ``refused``: the address is unknown or the sender is not one the pair accepts. Nothing
  is sent back (no backscatter to forged senders); the reason is returned so the SMTP
  session can refuse the mail with a 550.
* after the sender is known: blocked, held, or not taken (no conversation, or a seller's
  email that is not a reply). The mail is accepted and the sender gets a notice from the
  marketplace at their own address saying why.

Automatic replies (out of office, bounces, lists) are sent with the draft's ``automatic``
flag: stored, never answered, never notified about and never bounced; the conversation's
who-wrote-last state, the read markers and the reply clock skip them, because an automatic
reply is not an answer. Decided: one the policy would block is not stored at all (only
logged), so that an auto-responder cannot pile up violations and restrictions on a seller
without a word.

Decided: the email's own Message-ID is recorded in the log (``InboundEmail``, linked to
the message), not on ``Message.email_message_id``. The relay gives the message its own
``<…@MESSAGECENTER_EMAIL_DOMAIN>`` id when it emails it on; the sender's id names their
mail host, often their own domain, and would reach the other side in Message-ID and
References headers. Threading and duplicate checks read both places.

Delivery-status notifications (bounces of the copies the relay emailed) are recognised
before anything else, whoever they claim to come from: they are matched to the message
whose email bounced and recorded (``bounces``), logged as ``bounce`` and never relayed,
answered or stored as a message, even when they match nothing.

Decided: a seller may only *reply* by email. Any other message type is chosen in the web
app (Contact Buyer); the notice says so.

Malformed mail is refused for good, never "try again later": the same bytes fail the same
way every time, and a sending server told to retry would do so for days. Line ends are
repaired and the nesting, parts and header size checked on the raw bytes before parsing
(``structure``); whatever still makes the parser or the reply reader fail is refused the
same way (``Refusal.MALFORMED``: SMTP 554, exit 65), logged as ``malformed``. An email
that parses but cannot be read (broken base64, a body in no recognisable charset) is taken
from a known sender with a notice saying what could not be read, and logged as
``malformed``; nothing of it is stored. Mail loops between two auto-responders are caught
per pair (``loops``): kept as automatic replies, never emailed on, the sender told once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from compliance.policy import Action
from messagecenter.core.errors import UserFacingError
from messagecenter.messaging.models import Message, Upload
from messagecenter.messaging.replies import answers_buyer, reply_draft
from messagecenter.messaging.sending import SendResult, check_message_send, message_send
from messagecenter.messaging.uploads import uploads_create
from messagecenter.relay.addresses import ResolvedAddress, resolve_masked_address
from messagecenter.relay.bounces import record_delivery_report
from messagecenter.relay.delivery_reports import DeliveryReport, delivery_report
from messagecenter.relay.history import IntakeLookup, earlier_delivery, intake_lookup
from messagecenter.relay.intake_log import log_inbound_email
from messagecenter.relay.loops import MailLoop, email_shape, mail_loop
from messagecenter.relay.matching import ConversationMatch
from messagecenter.relay.models import InboundEmail
from messagecenter.relay.notices import Notice, send_inbound_notice
from messagecenter.relay.parsing import ParsedEmail, parse_email, subject_without_prefixes
from messagecenter.relay.replies import reply_html, reply_text
from messagecenter.relay.senders import Sender, SenderRefused, null_sender, sender_for
from messagecenter.relay.structure import Limits, normalized_line_ends, structure_problem
from messagecenter.threads.models import Conversation, Side
from messagecenter.threads.services import conversation_for_order_get_or_create

logger = logging.getLogger(__name__)

Outcome = InboundEmail.Outcome

UNKNOWN_RECIPIENT = "No such masked address here."
TOO_LARGE = "The email is larger than the {limit} MB this address accepts."
# What a sender is told when their email is not taken in: read in their notice's language.
NO_CONVERSATION = gettext_lazy(
    "There is no conversation between you to add this email to. Start one on the website."
)
ORDER_NOT_STARTED = gettext_lazy(
    "Order {number} has no conversation yet. To write to the buyer first, open the order "
    "in {marketplace}, use Contact Buyer and choose a message type: {url}"
)
NOT_A_REPLY = gettext_lazy(
    "Email can only be used to answer the buyer. This conversation is not waiting for an "
    "answer, so use Contact Buyer in {marketplace} to choose a message type: {url}"
)
MALFORMED = "The email is malformed and cannot be read: {problem}"
PARSER_FAILED = "the email parser failed on it ({error})."
UNREADABLE = gettext_lazy(
    "It could not be read: {what}. Nothing of it was delivered. Please send it again (from "
    "another mail program if this one keeps damaging it), or write your message on the "
    "website."
)


class Refusal(StrEnum):
    """Why the sending server should be told no (SMTP 550, or a pipe exit code)."""

    UNKNOWN_RECIPIENT = "unknown_recipient"
    SENDER = "sender"
    TOO_LARGE = "too_large"
    MALFORMED = "malformed"  # cannot be parsed: refused for good (554, exit 65)


@dataclass(frozen=True)
class InboundResult:
    recipient: str
    outcome: str  # an InboundEmail.Outcome
    reason: str = ""
    message: Message | None = None
    refused: Refusal | None = None

    @property
    def accepted(self) -> bool:
        """The mail was taken in charge (stored, logged, or answered with a notice)."""
        return self.refused is None


@dataclass(frozen=True)
class _Read:
    """Everything taken from the bytes, once for all recipients."""

    parsed: ParsedEmail
    report: DeliveryReport | None  # set when the email is a delivery-status report
    words: str  # what the sender wrote (own_words)
    shape: str  # loops.email_shape of it


@dataclass(frozen=True)
class _Incoming:
    read: _Read
    envelope_from: str | None
    recipient: str
    size: int

    @property
    def parsed(self) -> ParsedEmail:
        return self.read.parsed


def receive_email(
    raw: bytes, *, envelope_from: str | None = None, recipients: Iterable[str]
) -> list[InboundResult]:
    """Take one email for each of its recipients; see the module docstring.

    ``envelope_from`` is the SMTP MAIL FROM: ``"<>"`` or ``""`` is the null sender
    (automatic mail), ``None`` means not known (the Return-Path header decides).
    """
    wanted = list(dict.fromkeys(r.strip().strip("<>").lower() for r in recipients if r.strip()))
    size = len(raw)

    def refuse_all(refusal: Refusal, reason: str) -> list[InboundResult]:
        return [
            _refuse(_Incoming(_UNREAD, envelope_from, r, size), refusal, reason) for r in wanted
        ]

    limit = settings.INBOUND_EMAIL_MAX_BYTES
    if size > limit:
        return refuse_all(Refusal.TOO_LARGE, TOO_LARGE.format(limit=round(limit / (1024 * 1024))))
    raw = normalized_line_ends(raw)
    problem = structure_problem(raw, _limits())
    if problem:
        return refuse_all(Refusal.MALFORMED, MALFORMED.format(problem=problem))
    try:
        read = _read(raw)
    except MemoryError:
        raise  # the machine, not the email: the sending server may try again
    except Exception as error:
        # Parsing touches nothing but the bytes: whatever fails here fails every time.
        logger.warning("Could not parse an inbound email", exc_info=True)
        failure = PARSER_FAILED.format(error=type(error).__name__)
        return refuse_all(Refusal.MALFORMED, MALFORMED.format(problem=failure))
    return [_receive_for(_Incoming(read, envelope_from, r, size)) for r in wanted]


def _limits() -> Limits:
    return Limits(
        max_depth=settings.INBOUND_EMAIL_MAX_MIME_DEPTH,
        max_parts=settings.INBOUND_EMAIL_MAX_MIME_PARTS,
        max_header_bytes=settings.INBOUND_EMAIL_MAX_HEADER_BYTES,
    )


def _read(raw: bytes) -> _Read:
    parsed = parse_email(raw)
    words = own_words(parsed)
    return _Read(
        parsed=parsed,
        report=delivery_report(raw),
        words=words,
        shape=email_shape(parsed.subject, words),
    )


def _receive_for(incoming: _Incoming) -> InboundResult:
    # Each recipient's intake is a transaction of its own (the SMTP server and the pipe
    # command call this outside any). No savepoint inside a caller's transaction (a test,
    # bench/send.py), as message_send takes none: the email is part of it and fails with
    # it, and costs the same statements as in production, where BEGIN and COMMIT are not
    # statements of the intake either.
    with transaction.atomic(savepoint=False):
        # The pair is locked in the statement that finds it: one email at a time per pair,
        # so the same Message-ID arriving twice at once is still stored once, and the loop
        # checks count every email taken before this one.
        resolved = resolve_masked_address(incoming.recipient, lock=True)
        if resolved is None:
            return _refuse(incoming, Refusal.UNKNOWN_RECIPIENT, UNKNOWN_RECIPIENT)
        if incoming.read.report is not None:
            return _receive_report(incoming, incoming.read.report, resolved)
        sender = sender_for(
            pair=resolved.pair,
            recipient_side=resolved.side,
            from_address=incoming.parsed.from_address,
            envelope_from=incoming.envelope_from,
            team=resolved.team,
        )
        if isinstance(sender, SenderRefused):
            return _refuse(incoming, Refusal.SENDER, sender.reason)
        lookup = intake_lookup(
            pair=resolved.pair,
            recipient=incoming.recipient,
            message_id=incoming.parsed.message_id,
            shape=incoming.read.shape,
            reply_to_ids=incoming.parsed.reply_to_ids,
            subject=incoming.parsed.subject,
        )
        if lookup.history.taken_before:
            earlier = earlier_delivery(
                recipient=incoming.recipient, message_id=incoming.parsed.message_id
            )
            return _log(
                incoming,
                Outcome.DUPLICATE,
                f"Message-ID {incoming.parsed.message_id} was received before.",
                message=earlier.message if earlier is not None else None,
            )
        return _deliver(incoming, sender, lookup)


def _receive_report(
    incoming: _Incoming, report: DeliveryReport, resolved: ResolvedAddress
) -> InboundResult:
    """A bounce sent back to the masked address a relayed email left from: the side whose
    address it is sent that email. Recorded, logged, never relayed nor answered (in the
    caller's transaction)."""
    outcome = record_delivery_report(
        pair=resolved.pair,
        side=resolved.side,
        report=report,
        report_message_id=incoming.parsed.message_id,
    )
    bounced = outcome.bounces[0].message if outcome.bounces else None
    return _log(incoming, Outcome.BOUNCE, outcome.summary, message=bounced)


def _deliver(incoming: _Incoming, sender: Sender, lookup: IntakeLookup) -> InboundResult:
    parsed = incoming.parsed
    automatic = parsed.automatic_reason or (
        "null envelope sender" if null_sender(incoming.envelope_from) else ""
    )
    if parsed.unreadable:
        return _unreadable(incoming, sender, automatic)
    loop = None
    if not automatic:  # marked automatic replies are never emailed on: no loop through them
        loop = mail_loop(lookup.history)
    if loop is None:
        return _deliver_as(incoming, lookup.match, sender, automatic=automatic)
    result = _deliver_as(
        incoming, lookup.match, sender, automatic=f"mail loop: {loop.reason}", outcome=Outcome.LOOP
    )
    if loop.first:
        _notify_loop(incoming, sender, loop)
    return result


def _deliver_as(
    incoming: _Incoming,
    match: ConversationMatch,
    sender: Sender,
    *,
    automatic: str,
    outcome: str = Outcome.AUTOMATIC,
) -> InboundResult:
    """Into its conversation; ``automatic`` (why, or "") keeps it from being emailed on,
    logged with ``outcome``."""
    conversation = match.conversation
    if (
        conversation is None
        and match.order is not None
        and sender.side == Side.BUYER
        and (not automatic)
    ):
        conversation = conversation_for_order_get_or_create(
            order=match.order, started_by=Side.BUYER
        )
    if conversation is None:
        reason = NO_CONVERSATION
        if match.order is not None:
            reason = format_lazy(
                ORDER_NOT_STARTED,
                number=match.order.number,
                marketplace=settings.MARKETPLACE_NAME,
                url=settings.SITE_URL + reverse("contact_buyer", args=[match.order.number]),
            )
        return _not_taken(incoming, sender, reason, None, automatic)
    if sender.side == Side.SELLER and not answers_buyer(conversation, timezone.now()):
        return _not_taken(incoming, sender, _not_a_reply(conversation), conversation, automatic)
    try:
        return _send(incoming, sender, conversation, automatic=automatic, outcome=outcome)
    except UserFacingError as error:  # nothing usable written, most often
        return _not_taken(incoming, sender, error.message, conversation, automatic)


def _unreadable(incoming: _Incoming, sender: Sender, automatic: str) -> InboundResult:
    """Taken, not stored: the sender is told what could not be read (a machine is not)."""
    reason = format_lazy(UNREADABLE, what=incoming.parsed.unreadable)
    if not automatic:
        _tell_refused(incoming, sender, None, reason)
    return _log(incoming, Outcome.MALFORMED, reason)


def _tell_refused(
    incoming: _Incoming,
    sender: Sender,
    conversation: Conversation | None,
    reason: str | Promise,
) -> None:
    """Once the intake commits, email the sender why their email was not delivered."""
    transaction.on_commit(
        partial(
            send_inbound_notice,
            Notice.REFUSED,
            to_address=sender.address,
            subject=incoming.parsed.subject,
            side=sender.side,
            conversation=conversation,
            reason=reason,
            answers_message_id=incoming.parsed.message_id,
            declared_language=incoming.parsed.language,
        )
    )


def _notify_loop(incoming: _Incoming, sender: Sender, loop: MailLoop) -> None:
    transaction.on_commit(
        partial(
            send_inbound_notice,
            Notice.LOOP,
            to_address=sender.address,
            subject=incoming.parsed.subject,
            side=sender.side,
            conversation=None,
            reason=loop.reason,
            answers_message_id=incoming.parsed.message_id,
            declared_language=incoming.parsed.language,
        )
    )


def own_words(parsed: ParsedEmail) -> str:
    """The sender's part of the email: plain text when there is some, else the HTML."""
    if parsed.text.strip():
        own = reply_text(parsed.text, forwarded=parsed.forwarded)
        if own.strip():
            return own
    if parsed.html.strip():
        return _inline_pictures_by_name(reply_html(parsed.html, forwarded=parsed.forwarded), parsed)
    return ""


def _inline_pictures_by_name(markup: str, parsed: ParsedEmail) -> str:
    """Point each inline picture ("cid:<Content-ID>") at its file by name, which is how a
    message names its own attachments (compliance.sanitize.keep_inline_attachments)."""
    for file in parsed.files:
        if file.content_id:
            markup = markup.replace(f"cid:{file.content_id}", f"cid:{file.name}")
    return markup


def _send(
    incoming: _Incoming,
    sender: Sender,
    conversation: Conversation,
    *,
    automatic: str,
    outcome: str = Outcome.AUTOMATIC,
) -> InboundResult:
    parsed = incoming.parsed
    uploads = uploads_create(
        owner=sender.user,
        files=[SimpleUploadedFile(f.name, f.data, f.content_type) for f in parsed.files],
    )
    subject = subject_without_prefixes(parsed.subject) or conversation.subject
    draft = reply_draft(
        conversation,
        sender=sender.user,
        side=sender.side,
        body=incoming.read.words,
        uploads=uploads,
        via=Message.Via.EMAIL,
        subject=subject,
        automatic=bool(automatic),
    )
    try:
        request = check_message_send(conversation, draft)
    except UserFacingError:
        _discard(uploads)
        raise
    if automatic and request.blocked:
        _discard(uploads)
        rules = ", ".join(sorted({v.rule for v in request.verdict.by_action(Action.BLOCK)}))
        return _log(
            incoming,
            Outcome.BLOCKED,
            f"Automatic reply ({automatic}) not stored: blocked by {rules}.",
        )
    # The email's own Message-ID is kept in the InboundEmail log, not on the message:
    # relayed on, it would tell the other side the sender's mail host (threading and
    # duplicates read it from the log).
    result = message_send(request)
    if result.blocked:
        _discard(uploads)  # on the website they wait for the sender to fix the draft
    message = result.message
    if automatic:
        return _log(incoming, outcome, f"Automatic reply ({automatic}).", message=message)
    taken, notice = _outcome_of(result)
    logged = _log(incoming, taken, _verdict_summary(result), message=message)
    if notice is not None:
        transaction.on_commit(
            partial(
                send_inbound_notice,
                notice,
                to_address=sender.address,
                subject=subject,
                side=sender.side,
                conversation=conversation,
                violations=result.verdict.violations,
                answers_message_id=parsed.message_id,
                declared_language=parsed.language,
            )
        )
    return logged


def _discard(uploads: list[Upload]) -> None:
    """Files of an email that is not stored: nobody will send them later."""
    for upload in uploads:
        upload.file.delete(save=False)
        upload.delete()


def _outcome_of(result: SendResult) -> tuple[str, Notice | None]:
    if result.blocked:
        return Outcome.BLOCKED, Notice.BLOCKED
    if result.held:
        return Outcome.HELD, Notice.HELD
    if result.verdict.by_action(Action.REDACT):
        return Outcome.ACCEPTED, Notice.CHANGED
    return Outcome.ACCEPTED, None


def _verdict_summary(result: SendResult) -> str:
    status = result.message.get_status_display()
    rules = ", ".join(f"{v.rule} ({v.action.value})" for v in result.verdict.violations)
    return f"{status}." + (f" Rules: {rules}." if rules else "")


def _not_a_reply(conversation: Conversation) -> str | Promise:
    if conversation.order is not None:
        url = settings.SITE_URL + reverse("contact_buyer", args=[conversation.order.number])
    else:
        url = settings.SITE_URL + reverse("seller_conversation", args=[conversation.pk])
    return format_lazy(NOT_A_REPLY, marketplace=settings.MARKETPLACE_NAME, url=url)


def _not_taken(
    incoming: _Incoming,
    sender: Sender,
    reason: str | Promise,
    conversation: Conversation | None,
    automatic: str,
) -> InboundResult:
    """The sender is known but the email cannot go into a conversation: tell them why
    (unless a machine wrote it: answering those is how mail loops start)."""
    if automatic:
        return _log(
            incoming, Outcome.REJECTED, f"Automatic reply ({automatic}) not stored: {reason}"
        )
    _tell_refused(incoming, sender, conversation, reason)
    return _log(incoming, Outcome.REJECTED, reason)


def _refuse(incoming: _Incoming, refusal: Refusal, reason: str) -> InboundResult:
    logger.info("Refused inbound email for %s (%s): %s", incoming.recipient, refusal, reason)
    outcome = Outcome.MALFORMED if refusal == Refusal.MALFORMED else Outcome.REJECTED
    return _log(incoming, outcome, reason, refused=refusal)


def _log(
    incoming: _Incoming,
    outcome: str,
    reason: str | Promise,
    *,
    message: Message | None = None,
    refused: Refusal | None = None,
) -> InboundResult:
    log_inbound_email(
        message_id=incoming.parsed.message_id,
        envelope_from=incoming.envelope_from or "",
        recipient=incoming.recipient,
        outcome=outcome,
        # The log is read by the marketplace's staff: in the language active here (English
        # in the relay's processes), whatever the sender's notice is written in.
        reason=str(reason),
        message=message,
        size=incoming.size,
        shape=incoming.read.shape,
    )
    return InboundResult(incoming.recipient, outcome, str(reason), message, refused)


_UNREAD = _Read(
    parsed=ParsedEmail(
        message_id="",
        reply_to_ids=(),
        subject="",
        from_address="",
        return_path=None,
        automatic_reason="",
        forwarded=False,
        text="",
        html="",
        files=(),
    ),
    report=None,
    words="",
    shape="",
)
