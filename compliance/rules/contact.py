"""contact.email and contact.phone: contact details that would take the conversation
off the marketplace, in the subject or the body, however they are disguised.

Both rules search the normalized text (look-alike, fullwidth and invisible characters
undone) and report spans of the text as written, so a redaction removes every character of
the detail. Text inside a right-to-left override is also read in the order it is shown, and
letters spaced out one by one ("j a n e @ g m a i l . c o m") are read joined up.

Words are read in the language they are written in (the message's LanguageMap): each
language's digit words, "@" and "." words come from compliance/vocab/<language>/contact.txt.
contact.email also reports mail and messaging-app accounts handed over without an address
("my gmail is janedoe88", "add me on telegram @janedoe", "WeChat ID: jane_88"): they take
the conversation off the marketplace just the same (compliance.detect.handles).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from compliance.detect.emails import find_emails_in_languages
from compliance.detect.handles import find_handles
from compliance.detect.language import LanguageMap
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

EMAIL_MESSAGE = _(
    "Messages can't contain email addresses, however they are written. Remove "
    "the address: buyers and sellers reach each other only through the message "
    "center."
)
PHONE_MESSAGE = _(
    "Messages can't contain phone numbers, including numbers written with "
    "spaces, dots or words. Remove the number: buyers and sellers reach each "
    "other only through the message center."
)
MAILTO_MESSAGE = _(
    "Messages can't contain email links. Remove the link: buyers and sellers "
    "reach each other only through the message center."
)


HANDLE_MESSAGE = _(
    "Messages can't contain email or messaging-app accounts (a webmail name, a Telegram, "
    "WhatsApp, WeChat or Skype handle). Remove it: buyers and sellers reach each other only "
    "through the message center."
)

# Countries whose numbers a message in the language most likely holds, tried after the
# policy's regions: a Spanish "612 345 678" is a Spanish mobile whatever the policy lists.
# English is spoken in too many countries to add any: there the policy decides alone.
LANGUAGE_REGIONS = {
    "de": ("DE", "AT", "CH"),
    "fr": ("FR", "BE", "CH"),
    "es": ("ES",),
    "it": ("IT",),
}

# Runs of single characters with a space between each: "j a n e @ g m a i l . c o m".
_SPACED_LETTERS = re.compile(r"(?<!\S)(?:\S )+\S(?!\S)")
_SPACED_HINT = re.compile(r" \S \S \S ")  # searched in " " + text + " ": cheap to skip to


@rule("contact.email")
def email_addresses(ctx: RuleContext) -> Iterator[Finding]:
    """Email addresses in the subject or body, account names handed over in words ("my
    gmail is ...", "add me on telegram @..."), and mailto: links."""
    found: list[tuple[int, int]] = []
    seen: set[tuple[str, tuple[int, int] | None]] = set()
    for location, text, view, language_map in _views(ctx):
        spans: list[tuple[int, int]] = []
        for search in (view, *_spaced_letters_joined(view)):
            for start, end in find_emails_in_languages(search.text, language_map):
                lo, hi = min(search.origin[start:end]), max(search.origin[start:end]) + 1
                finding = Finding(
                    "contact.email", str(EMAIL_MESSAGE), text[lo:hi].strip(), location, (lo, hi)
                )
                if (location, finding.span) in seen or _inside(finding.span, spans):
                    continue
                seen.add((location, finding.span))
                spans.append((lo, hi))
                yield finding
        for start, end, _kind in find_handles(view.text):
            finding = _finding(
                "contact.email", str(HANDLE_MESSAGE), location, text, view, start, end
            )
            if (location, finding.span) in seen or _overlaps(finding.span, spans):
                continue
            seen.add((location, finding.span))
            spans.append(finding.span or (0, 0))
            yield finding
        if location == "body":
            found.extend(spans)
    if _PSEUDO_AT.search(ctx.raw_body):
        for match in _PSEUDO_TAGS.finditer(ctx.raw_body):
            # Not in the delivered text as written, so it cannot be cut out: no span,
            # which the engine turns into a block.
            yield Finding("contact.email", str(EMAIL_MESSAGE), match.group(0), "body")
    for link in ctx.body.links:
        if not link.href.lower().lstrip().startswith("mailto:"):
            continue
        if any(link.text_start <= start < link.text_end for start, _ in found):
            continue  # the address in the link's text was reported; its tags go with it
        yield Finding(
            "contact.email",
            str(MAILTO_MESSAGE),
            link.href,
            "body",
            (link.text_start, link.text_end),
        )


def _inside(span: tuple[int, int] | None, spans: list[tuple[int, int]]) -> bool:
    return span is not None and any(lo <= span[0] and span[1] <= hi for lo, hi in spans)


def _overlaps(span: tuple[int, int] | None, spans: list[tuple[int, int]]) -> bool:
    return span is not None and any(lo < span[1] and span[0] < hi for lo, hi in spans)


def _spaced_letters_joined(view: Normalized) -> list[Normalized]:
    """The view with the spaces inside runs of spaced-out single characters taken out, when
    there are such runs: "j a n e @ g m a i l . c o m" reads "jane@gmail.com"."""
    if not _SPACED_HINT.search(f" {view.text} "):
        return []
    runs = [m for m in _SPACED_LETTERS.finditer(view.text) if m.end() - m.start() >= 5]
    if not runs:
        return []
    chars: list[str] = []
    origin: list[int] = []
    cursor = 0
    for run in runs:
        chars.append(view.text[cursor : run.start()])
        origin.extend(view.origin[cursor : run.start()])
        for index in range(run.start(), run.end()):
            if view.text[index] != " ":
                chars.append(view.text[index])
                origin.append(view.origin[index])
        cursor = run.end()
    chars.append(view.text[cursor:])
    origin.extend(view.origin[cursor:])
    return [Normalized("".join(chars), tuple(origin))]


@rule("contact.phone")
def phone_numbers(ctx: RuleContext) -> Iterator[Finding]:
    """Phone numbers in the subject or body, checked with phonenumbers for the policy's
    regions (and the countries of the message's languages). A run that is only the right
    length counts when its digits were disguised (fullwidth or other-script digits,
    invisible characters, words); one read with letters for digits ("O2O 7946 O958") needs
    full proof, so "Intel i7 12700" stays a processor."""
    seen: set[tuple[str, tuple[int, int] | None]] = set()
    for location, text, view, language_map in _views(ctx):
        regions = _regions(ctx.policy.phone_regions, language_map)
        for run in find_phones(view.text, regions, language_map):
            finding = _finding(
                "contact.phone", str(PHONE_MESSAGE), location, text, view, run.start, run.end
            )
            if (location, finding.span) in seen:
                continue
            if run.proof == Proof.PHONE or _disguised(finding.excerpt):
                seen.add((location, finding.span))
                yield finding


def _regions(policy: tuple[str, ...], language_map: LanguageMap) -> tuple[str, ...]:
    """The policy's regions, then those of the languages the text is written in (not those
    a short text may only plausibly be in: "90210-1234" is no Belgian number)."""
    written_in = dict.fromkeys([language_map.main, *(lang for _, _, lang in language_map.others)])
    extra = [
        region
        for language in written_in
        for region in LANGUAGE_REGIONS.get(language, ())
        if region not in policy
    ]
    return (*policy, *dict.fromkeys(extra)) if extra else policy


def _disguised(written: str) -> bool:
    return any(not ch.isascii() and not ch.isspace() for ch in written)


def _views(ctx: RuleContext) -> Iterator[tuple[str, str, Normalized, LanguageMap]]:
    """Each text to search, with its languages: the normalized subject and body, and
    reversed text runs (read in the message's main language)."""
    for location, text, norm in ctx.texts():
        language_map = ctx.languages(location)
        yield location, text, norm, language_map
        if any(mark in text for mark in _REVERSING):
            main = LanguageMap(language_map.main)
            yield from ((location, text, view, main) for view in _reversed_runs(text, norm))


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
