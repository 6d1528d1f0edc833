"""content.thank_you_only, content.shipping_confirmation and content.inappropriate: messages
with nothing to say, and language that is not acceptable.

The first two read what the sentences of a message the seller starts say
(compliance.detect.sentences); content.inappropriate looks in the subject and body of
either side for offensive and sensitive language (compliance.detect.offensive).
"""

from __future__ import annotations

from collections.abc import Iterator

from compliance.detect.offensive import offensive_spans
from compliance.detect.phrases import matchable
from compliance.detect.sentences import summarize_sentences
from compliance.engine import Finding, RuleContext, rule
from compliance.rules.findings import Hit, reported, sources

# ---- content.thank_you_only and content.shipping_confirmation ----------------------------


def _body_finding(
    ctx: RuleContext, rule_id: str, message: str, span: tuple[int, int] | None
) -> Finding:
    if span is None:
        return Finding(rule_id, message, location="body")
    lo, hi = ctx.body_norm.source_span(*span)
    return Finding(rule_id, message, ctx.body.text[lo:hi].strip(), "body", (lo, hi))


@rule("content.thank_you_only")
def thank_you_only(ctx: RuleContext) -> Iterator[Finding]:
    """A message the seller starts that only thanks the buyer or offers help in general."""
    if not ctx.is_proactive_send:
        return
    summary = summarize_sentences(matchable(ctx.body_norm.text))
    if summary.only_thanks:
        yield _body_finding(
            ctx,
            "content.thank_you_only",
            "This message only thanks the buyer or offers general help, which the marketplace "
            "does not deliver. Send a message only when you have information the buyer needs.",
            summary.first_filler,
        )


@rule("content.shipping_confirmation")
def shipping_confirmation(ctx: RuleContext) -> Iterator[Finding]:
    """A message the seller starts that only confirms the order, shipment or delivery."""
    if not ctx.is_proactive_send:
        return
    summary = summarize_sentences(matchable(ctx.body_norm.text))
    if summary.only_confirmation:
        yield _body_finding(
            ctx,
            "content.shipping_confirmation",
            "The marketplace already sends order, shipping and delivery confirmations; don't "
            "send your own. Write only about something else the buyer needs, such as a delay "
            "or a delivery appointment.",
            summary.first_confirmation,
        )


# ---- content.inappropriate ---------------------------------------------------------------

_INAPPROPRIATE_MESSAGES = {
    "profanity": "Profanity (“{}”) is held for review. Rephrase the message without it.",
    "slur": "A slur (“{}”) is held for review. Remove it: messages must be respectful.",
    "harassment": "Threatening or insulting words (“{}”) are held for review. Keep to the "
    "facts of the order.",
    "sexual": "Sexual content (“{}”) is not allowed in marketplace messages; remove it.",
    "self_harm": "This message (“{}”) is held so that a person can read it. If you need help, "
    "please contact a local support line.",
    "personal_data": "Never ask for or share card numbers, passwords or identity numbers in "
    "messages (“{}”); payments and identity go through the marketplace.",
}


def _inappropriate_hits(ctx: RuleContext) -> Iterator[Hit]:
    for location, text, norm, searched in sources(ctx):
        for category, start, end in offensive_spans(searched):
            yield Hit(location, category, text, norm, searched, start, end)


@rule("content.inappropriate")
def inappropriate(ctx: RuleContext) -> Iterator[Finding]:
    """Profanity, slurs, threats and insults, sexual content, and sensitive content
    (self-harm, card numbers, passwords, identity numbers), from either side."""
    yield from reported(_inappropriate_hits(ctx), "content.inappropriate", _INAPPROPRIATE_MESSAGES)
