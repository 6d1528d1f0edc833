"""contact.email and contact.phone: contact details that would take the conversation
off the marketplace, in the subject or the body, however they are disguised.

Both rules search the normalized text (look-alike, fullwidth and invisible characters
undone) and report spans of the text as written, so a redaction removes every character of
the detail. Text inside a right-to-left override is also read in the order it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from compliance.detect.emails import find_emails
from compliance.detect.normalize import Normalized
from compliance.detect.phones import Proof, find_phones
from compliance.engine import Finding, RuleContext, rule

# Right-to-left override and isolate: "\u202emoc.liam@enaj" is shown as "jane@mail.com".
_REVERSING = ("\u202e", "\u2067")
_END_REVERSING = ("\u202c", "\u2069", "\n")

# "jane <at> mail <dot> com" reads as HTML; the sanitizer drops the unknown <at> and <dot>
# tags and leaves "jane  mail  com", so the address can only be found in the raw body.
_PSEUDO_AT = re.compile(r"<\s*(?:at|@)\s*/?>", re.IGNORECASE)
_PSEUDO_TAGS = re.compile(
    r"[\w.%+-]+\s*<\s*(?:at|@)\s*/?>\s*[\w-]+(?:\s*<\s*(?:dot|\.)\s*/?>\s*[\w-]+)+",
    re.IGNORECASE,
)

EMAIL_MESSAGE = (
    "Messages can't contain email addresses, however they are written. Remove "
    "the address: buyers and sellers reach each other only through the message "
    "center."
)
PHONE_MESSAGE = (
    "Messages can't contain phone numbers, including numbers written with "
    "spaces, dots or words. Remove the number: buyers and sellers reach each "
    "other only through the message center."
)
MAILTO_MESSAGE = (
    "Messages can't contain email links. Remove the link: buyers and sellers "
    "reach each other only through the message center."
)


@rule("contact.email")
def email_addresses(ctx: RuleContext) -> Iterator[Finding]:
    """Email addresses in the subject or body, and mailto: links."""
    found: list[tuple[int, int]] = []
    seen: set[tuple[str, tuple[int, int] | None]] = set()
    for location, text, view in _views(ctx):
        for start, end in find_emails(view.text):
            finding = _finding("contact.email", EMAIL_MESSAGE, location, text, view, start, end)
            if (location, finding.span) in seen:
                continue
            seen.add((location, finding.span))
            if location == "body" and finding.span is not None:
                found.append(finding.span)
            yield finding
    if _PSEUDO_AT.search(ctx.raw_body):
        for match in _PSEUDO_TAGS.finditer(ctx.raw_body):
            # Not in the delivered text as written, so it cannot be cut out: no span,
            # which the engine turns into a block.
            yield Finding("contact.email", EMAIL_MESSAGE, match.group(0), "body")
    for link in ctx.body.links:
        if not link.href.lower().lstrip().startswith("mailto:"):
            continue
        if any(link.text_start <= start < link.text_end for start, _ in found):
            continue  # the address in the link's text was reported; its tags go with it
        yield Finding(
            "contact.email", MAILTO_MESSAGE, link.href, "body", (link.text_start, link.text_end)
        )


@rule("contact.phone")
def phone_numbers(ctx: RuleContext) -> Iterator[Finding]:
    """Phone numbers in the subject or body, checked with phonenumbers for the policy's
    regions. A run that is only the right length counts when its digits were disguised
    (fullwidth or other-script digits, invisible characters, words)."""
    regions = ctx.policy.phone_regions
    seen: set[tuple[str, tuple[int, int] | None]] = set()
    for location, text, view in _views(ctx):
        for run in find_phones(view.text, regions):
            finding = _finding(
                "contact.phone", PHONE_MESSAGE, location, text, view, run.start, run.end
            )
            if (location, finding.span) in seen:
                continue
            if run.proof == Proof.PHONE or _disguised(finding.excerpt):
                seen.add((location, finding.span))
                yield finding


def _disguised(written: str) -> bool:
    return any(not ch.isascii() and not ch.isspace() for ch in written)


def _views(ctx: RuleContext) -> Iterator[tuple[str, str, Normalized]]:
    """Each text to search: the normalized subject and body, and reversed text runs."""
    for location, text, norm in ctx.texts():
        yield location, text, norm
        if any(mark in text for mark in _REVERSING):
            yield from ((location, text, view) for view in _reversed_runs(text, norm))


def _reversed_runs(text: str, norm: Normalized) -> Iterator[Normalized]:
    """The normalized characters of each right-to-left override run, in shown order."""
    index = 0
    while True:
        starts = [found for mark in _REVERSING if (found := text.find(mark, index)) >= 0]
        if not starts:
            return
        start = min(starts)
        ends = [found for mark in _END_REVERSING if (found := text.find(mark, start)) >= 0]
        end = min(ends) if ends else len(text)
        chosen = [i for i, origin in enumerate(norm.origin) if start <= origin < end]
        if chosen:
            lo, hi = chosen[0], chosen[-1] + 1
            yield Normalized(norm.text[lo:hi][::-1], norm.origin[lo:hi][::-1])
        index = end + 1


def _finding(
    rule_id: str, message: str, location: str, text: str, view: Normalized, start: int, end: int
) -> Finding:
    """Like RuleContext.finding, for views whose origins may run backwards."""
    origins = view.origin[start:end]
    lo, hi = min(origins), max(origins) + 1
    return Finding(rule_id, message, text[lo:hi].strip(), location, (lo, hi))
