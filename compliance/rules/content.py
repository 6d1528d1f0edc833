"""content.thank_you_only, content.shipping_confirmation and content.inappropriate: messages
with nothing to say, and language that is not acceptable.

The first two read what the sentences of a message the seller starts say, each in its own
language (compliance.detect.sentences); content.inappropriate looks in the subject and body
of either side for offensive and sensitive language (compliance.detect.offensive), with the
word lists of the language each passage is written in.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from compliance.detect.offensive import offensive_spans
from compliance.detect.phrases import matchable
from compliance.detect.sentences import SentenceSummary, summarize_sentences
from compliance.engine import Finding, RuleContext, rule
from compliance.rules.findings import Hit, in_language, reported, sources

# ---- content.thank_you_only and content.shipping_confirmation ----------------------------


def body_summary(ctx: RuleContext) -> SentenceSummary:
    """What the body's sentences say (computed once per check: the cache is by text)."""
    return summarize_sentences(matchable(ctx.body_norm.text), ctx.body_languages)


def _body_finding(
    ctx: RuleContext, rule_id: str, message: Promise, span: tuple[int, int] | None
) -> Finding:
    if span is None:
        return Finding(rule_id, str(message), location="body")
    lo, hi = ctx.body_norm.source_span(*span)
    return Finding(
        rule_id,
        str(message),
        ctx.body.text[lo:hi].strip(),
        "body",
        (lo, hi),
        ctx.body_languages.at(span[0]),
    )


@rule("content.thank_you_only")
def thank_you_only(ctx: RuleContext) -> Iterator[Finding]:
    """A message the seller starts that only thanks the buyer or offers help in general."""
    if not ctx.is_proactive_send:
        return
    summary = body_summary(ctx)
    if summary.only_thanks:
        yield _body_finding(
            ctx,
            "content.thank_you_only",
            _(
                "This message only thanks the buyer or offers general help, which the "
                "marketplace does not deliver. Send a message only when you have information "
                "the buyer needs."
            ),
            summary.first_filler,
        )


@rule("content.shipping_confirmation")
def shipping_confirmation(ctx: RuleContext) -> Iterator[Finding]:
    """A message the seller starts that only confirms the order, shipment or delivery."""
    if not ctx.is_proactive_send:
        return
    summary = body_summary(ctx)
    if summary.only_confirmation:
        yield _body_finding(
            ctx,
            "content.shipping_confirmation",
            _(
                "The marketplace already sends order, shipping and delivery confirmations; "
                "don't send your own. Write only about something else the buyer needs, such as "
                "a delay or a delivery appointment."
            ),
            summary.first_confirmation,
        )


# ---- content.inappropriate ---------------------------------------------------------------

_INAPPROPRIATE_MESSAGES = {
    "profanity": _("Profanity (“{words}”) is held for review. Rephrase the message without it."),
    "slur": _("A slur (“{words}”) is held for review. Remove it: messages must be respectful."),
    "harassment": _(
        "Threatening or insulting words (“{words}”) are held for review. Keep to the facts of the "
        "order."
    ),
    "sexual": _("Sexual content (“{words}”) is not allowed in marketplace messages; remove it."),
    "self_harm": _(
        "This message (“{words}”) is held so that a person can read it. If you need help, please "
        "contact a local support line."
    ),
    "personal_data": _(
        "Never ask for or share card numbers, passwords or identity numbers in messages "
        "(“{words}”); payments and identity go through the marketplace."
    ),
}


def _inappropriate_hits(ctx: RuleContext) -> Iterator[Hit]:
    for source in sources(ctx):
        for language in source.languages.found:
            for category, start, end in offensive_spans(source.searched, language):
                if in_language(source, language, start, end):
                    yield Hit(
                        source.location,
                        category,
                        source.text,
                        source.norm,
                        source.searched,
                        start,
                        end,
                        language,
                    )


@rule("content.inappropriate")
def inappropriate(ctx: RuleContext) -> Iterator[Finding]:
    """Profanity, slurs, threats and insults, sexual content, and sensitive content
    (self-harm, card numbers, passwords, identity numbers), from either side."""
    yield from reported(_inappropriate_hits(ctx), "content.inappropriate", _INAPPROPRIATE_MESSAGES)
