"""The one entry point that judges a message about to be sent.

``check_message`` takes everything about the message (who sends it, its type, subject,
body, files, the order's dates, whether it answers the buyer, the time) and returns a
``Verdict``: allow, flag or block, every violation with a sentence a seller understands,
and the subject and body exactly as they would be delivered (sanitized, with redactions
and fixes applied). It writes nothing; the web, email and API paths all call it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from pathlib import PurePosixPath, PureWindowsPath
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from compliance.detect.html_text import HtmlText, merge_spans
from compliance.detect.language import LanguageMap, language_map
from compliance.detect.normalize import Normalized, normalize
from compliance.detect.raw_html import RawHtml
from compliance.message_types import MessageType, TypeGroup, get_message_type
from compliance.policy import DEFAULT_POLICY, NOT_REDACTABLE, RULES, Action, PolicyConfig
from compliance.sanitize import keep_inline_attachments, render_message_html


class Outcome(StrEnum):
    ALLOW = "allow"
    FLAG = "flag"
    BLOCK = "block"


@dataclass(frozen=True)
class OrderFacts:
    ordered_at: datetime
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None


@dataclass(frozen=True)
class SellerFacts:
    """What the engine needs to know about the sending seller's recent activity."""

    restricted_until: datetime | None = None
    restriction_reason: str = ""
    proactive_sent_today: int = 0
    average_daily_orders: Decimal = Decimal(0)
    review_requests_for_order: int = 0


@dataclass(frozen=True)
class FileFacts:
    """One attached file: the name the sender gave, its size, and a way to read it."""

    name: str
    size: int
    read: Callable[[], bytes] = field(repr=False, compare=False, default=lambda: b"")


@dataclass(frozen=True)
class MessageDraft:
    sender_side: str  # "seller" or "buyer"
    message_type: str
    body: str
    subject: str = ""
    attachments: tuple[FileFacts, ...] = ()
    order: OrderFacts | None = None
    reply_to_buyer: bool = False  # answers a conversation the buyer started
    sent_at: datetime | None = None
    recipient_is_seller: bool = False
    seller: SellerFacts = field(default_factory=SellerFacts)


@dataclass(frozen=True)
class Finding:
    """What a rule found. ``span`` is in the located text (subject, or the body's text)."""

    rule: str
    message: str
    excerpt: str = ""
    location: str = "body"  # "subject", "body", "attachments" or "message"
    span: tuple[int, int] | None = None
    # The language of the words found (an ISO 639-1 code); empty: the message's language.
    language: str = ""
    # Which attached file (its index in the draft's attachments) the finding is about.
    file: int | None = None


@dataclass(frozen=True)
class Violation:
    rule: str
    action: Action
    message: str
    excerpt: str
    location: str
    language: str = ""
    file: int | None = None  # the attached file it is about, as in Finding
    # ``message`` in every language of settings.LANGUAGES (code -> sentence). ``message``
    # itself is in the language active during the check (the sender's); these let the
    # explanation be shown later in the language of whoever reads it (a reviewer, the
    # sender after changing language) without knowing how each rule builds its sentence.
    messages: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), compare=False)

    def message_in(self, language: str) -> str:
        """The explanation in that language, or as written during the check."""
        return self.messages.get(language, self.message)

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "action": self.action.value,
            "message": self.message,
            "excerpt": self.excerpt,
            "location": self.location,
            "language": self.language,
        }


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    violations: tuple[Violation, ...]
    subject: str
    body_html: str
    # The body's readable text as delivered (redactions applied) and its main language,
    # as the rules read them: search indexes these rather than parsing and detecting again.
    text: str = ""
    language: str = ""

    @property
    def verdict(self) -> str:
        return self.outcome.value

    @property
    def blocked(self) -> bool:
        return self.outcome == Outcome.BLOCK

    @property
    def flagged(self) -> bool:
        return self.outcome == Outcome.FLAG

    def by_action(self, action: Action) -> list[Violation]:
        return [v for v in self.violations if v.action == action]


class RuleContext:
    """Everything a rule may look at, each piece computed once and only when asked for."""

    def __init__(self, draft: MessageDraft, policy: PolicyConfig):
        self.draft = draft
        self.policy = policy
        self.side = draft.sender_side
        self.now = draft.sent_at or timezone.now()
        self.kind: MessageType | None = get_message_type(draft.message_type)
        self.raw_body = draft.body or ""
        self.subject = " ".join((draft.subject or "").split())

    @cached_property
    def body(self) -> HtmlText:
        return HtmlText.parse(render_message_html(self.raw_body))

    @cached_property
    def body_norm(self) -> Normalized:
        return normalize(self.body.text)

    @cached_property
    def subject_norm(self) -> Normalized:
        return normalize(self.subject)

    @cached_property
    def raw_html(self) -> RawHtml:
        """The body as written (before sanitizing), for rules about markup the sanitizer drops."""
        return RawHtml.parse(self.raw_body)

    @property
    def group(self) -> TypeGroup | None:
        return self.kind.group if self.kind else None

    @property
    def is_proactive_send(self) -> bool:
        """A seller message that is not an answer in a conversation the buyer started."""
        return self.side == "seller" and not self.draft.reply_to_buyer

    @cached_property
    def body_languages(self) -> LanguageMap:
        return language_map(self.body.text, self.body_norm)

    @cached_property
    def subject_languages(self) -> LanguageMap:
        """A subject is often too short to tell: then it is in the body's language."""
        return language_map(self.subject, self.subject_norm, self.body_languages.main)

    def languages(self, location: str) -> LanguageMap:
        return self.subject_languages if location == "subject" else self.body_languages

    def language_of(self, location: str) -> str:
        """The main language of a location; a finding about the whole message or its files
        is in the message's (the body's) language."""
        return self.languages(location).main

    def texts(self) -> Iterable[tuple[str, str, Normalized]]:
        """(location, text, normalized) for the subject and the body."""
        if self.subject:
            yield "subject", self.subject, self.subject_norm
        yield "body", self.body.text, self.body_norm

    def finding(
        self,
        rule: str,
        message: str,
        location: str,
        text: str,
        norm: Normalized,
        start: int,
        end: int,
    ) -> Finding:
        """A finding for norm.text[start:end], located in the original text."""
        lo, hi = norm.source_span(start, end)
        return Finding(rule, message, text[lo:hi].strip(), location, (lo, hi))


RuleCheck = Callable[[RuleContext], Iterable[Finding]]
BodyFix = Callable[[str], str]

# Rules whose "fix" the sanitizer already makes (it drops style overrides).
FIXED_BY_SANITIZER = frozenset({"format.styling"})

_CHECKS: dict[str, RuleCheck] = {}
_FIXES: dict[str, BodyFix] = {}


def rule(rule_id: str) -> Callable[[RuleCheck], RuleCheck]:
    """Register a check for a POLICY.md rule id."""
    if rule_id not in RULES:
        raise KeyError(f"{rule_id} is not a rule in compliance.policy.RULES")

    def register(check: RuleCheck) -> RuleCheck:
        _CHECKS[rule_id] = check
        return check

    return register


def body_fix(rule_id: str) -> Callable[[BodyFix], BodyFix]:
    """Register how a 'fix' rule normalises the delivered HTML."""

    def register(fix: BodyFix) -> BodyFix:
        _FIXES[rule_id] = fix
        return fix

    return register


def registered_rules() -> list[str]:
    _load_rules()
    return sorted(_CHECKS)


def _load_rules() -> None:
    import compliance.rules  # noqa: F401 - registers every rule module


def _checks_in_catalogue_order() -> list[tuple[str, RuleCheck]]:
    """The checks in the order of the rule catalogue (POLICY.md), so the order in which a
    verdict lists its violations never depends on how the rule files are arranged."""
    return [(rule_id, _CHECKS[rule_id]) for rule_id in RULES if rule_id in _CHECKS]


def check_message(draft: MessageDraft, policy: PolicyConfig | None = None) -> Verdict:
    """Judge a message; see the module docstring. Writes nothing."""
    _load_rules()
    policy = policy or DEFAULT_POLICY
    ctx = RuleContext(draft, policy)
    violations: list[Violation] = []
    body_redactions: list[tuple[int, int, str]] = []
    subject_redactions: list[tuple[int, int, str]] = []
    fixes: list[BodyFix] = []
    for rule_id, check in _checks_in_catalogue_order():
        info = RULES[rule_id]
        action = policy.action_for(rule_id)
        if action == Action.OFF or not info.applies_to(draft.sender_side):
            continue
        findings = list(check(ctx))
        if not findings:
            continue
        if action == Action.REDACT and rule_id in NOT_REDACTABLE:
            action = Action.BLOCK  # nothing to cut out: the only safe reading is a block
        if action == Action.FIX:
            if rule_id in _FIXES:
                fixes.append(_FIXES[rule_id])
            elif rule_id not in FIXED_BY_SANITIZER:
                action = Action.BLOCK  # nothing knows how to fix it: do not claim we did

        renderings = _in_every_language(check, ctx, findings)
        for finding, messages in zip(findings, renderings, strict=True):
            applied = action
            if action == Action.REDACT:
                if finding.span is None:
                    applied = Action.BLOCK
                # What a redaction leaves behind is in the active (the sender's) language,
                # not the message's detected one: a short or disguised text
                # ("jane{at}mail{dot}com") is too often read as another language.
                elif finding.location == "subject":
                    subject_redactions.append((*finding.span, info.placeholder))
                else:
                    body_redactions.append((*finding.span, info.placeholder))
            violations.append(
                Violation(
                    rule_id,
                    applied,
                    str(finding.message),
                    finding.excerpt,
                    finding.location,
                    finding.language or ctx.language_of(finding.location),
                    finding.file,
                    messages,
                )
            )
    body_html = ctx.body.redact(body_redactions)
    for fix in fixes:
        body_html = fix(body_html)
    body_html = keep_inline_attachments(
        body_html, [PureWindowsPath(PurePosixPath(f.name).name).name for f in draft.attachments]
    )
    subject = _redact_plain(ctx.subject, subject_redactions)
    return Verdict(
        _outcome(violations),
        tuple(violations),
        subject,
        body_html,
        text=_redact_plain(ctx.body.text, body_redactions),
        language=ctx.body_languages.main,
    )


def _in_every_language(
    check: RuleCheck, ctx: RuleContext, findings: list[Finding]
) -> list[Mapping[str, str]]:
    """Each finding's sentence in every supported language, for showing it later.

    Why the rule is run again under each language rather than the sentences kept as
    message ids and parameters: a rule's sentence is built from nested translated parts
    (a message type's name, a reason, a style's name, plural forms, dates in the
    language's format), and running the same code is the one way to render all of them
    exactly as the sender saw theirs. A rule that found nothing is not run again, and a
    rule finds the same things in every language (it reads the message in the message's
    own language, never the reader's), so this costs something only for a message that
    breaks a rule. Should a run differ all the same, that language falls back to the
    sentence the check wrote (the sender's language) rather than pair a wrong sentence.
    """
    active = translation.get_language() or ""
    rendered: list[dict[str, str]] = [
        {active: str(finding.message)} if active else {} for finding in findings
    ]
    for code, _name in settings.LANGUAGES:
        if code == active:
            continue  # written so already by the check itself
        with translation.override(code):
            again = list(check(ctx))
        if len(again) != len(findings):
            continue
        for shown, first, other in zip(rendered, findings, again, strict=True):
            if (first.rule, first.excerpt, first.location) == (
                other.rule,
                other.excerpt,
                other.location,
            ):
                shown[code] = str(other.message)
    return [MappingProxyType(shown) for shown in rendered]


def _outcome(violations: list[Violation]) -> Outcome:
    actions = {v.action for v in violations}
    if Action.BLOCK in actions:
        return Outcome.BLOCK
    if Action.FLAG in actions:
        return Outcome.FLAG
    return Outcome.ALLOW


def _redact_plain(text: str, spans: list[tuple[int, int, str]]) -> str:
    # Overlapping findings (an address inside a link) must be cut once, not twice.
    for start, end, placeholder in reversed(merge_spans(spans)):
        text = text[:start] + placeholder + text[end:]
    return text


def verdict_as_dict(verdict: Verdict) -> dict[str, Any]:
    return {
        "verdict": verdict.verdict,
        "violations": [v.as_dict() for v in verdict.violations],
        "subject": verdict.subject,
        "body": verdict.body_html,
    }


def check_rules(
    draft: MessageDraft, rule_ids: Iterable[str], policy: PolicyConfig | None = None
) -> list[Violation]:
    """Run only the named rules (those the operator has not switched off).

    Used to say which message types can be sent right now, before anything is written.
    """
    _load_rules()
    policy = policy or DEFAULT_POLICY
    ctx = RuleContext(draft, policy)
    violations: list[Violation] = []
    for rule_id in rule_ids:
        action = policy.action_for(rule_id)
        if action == Action.OFF or rule_id not in _CHECKS:
            continue
        if not RULES[rule_id].applies_to(draft.sender_side):
            continue
        violations.extend(
            Violation(
                rule_id,
                action,
                str(f.message),
                f.excerpt,
                f.location,
                f.language or ctx.language_of(f.location),
                f.file,
            )
            for f in _CHECKS[rule_id](ctx)
        )
    return violations
