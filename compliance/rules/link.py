"""link.optout and link.external: links and wording that lead buyers away from the
marketplace.

link.optout finds opt-out wording (the opt-out vocabulary of each language the message is
written in) and links whose target or words are an opt-out: buyers manage what they
receive in their marketplace settings.

link.external looks at the targets of <a href> links and at addresses written in the subject
or body: "https://...", "www.example.com", "example.com/page", and disguised ones
("example dot com", "example[.]com"). Hosts on the policy's allowlist, and their subdomains,
pass. mailto: links are contact.email's business. Whether "word.word" is a domain is decided
by its ending (compliance.detect.domains), so "e.g.", "U.S.", "3.5 mm" and "manual.pdf" are
not links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from compliance.detect.domains import COMMON_TLDS, FILE_LIKE_TLDS, TLDS, words
from compliance.detect.emails import find_emails
from compliance.detect.normalize import Normalized, normalize
from compliance.detect.vocabulary import languages, substring_pattern
from compliance.engine import Finding, RuleContext, rule
from compliance.rules.findings import distinct, hits, mentions, quote

# ---- link.optout -------------------------------------------------------------------------

_OPTOUT_MESSAGE = _(
    "Remove the opt-out wording or link (“{}”): buyers manage what they receive in their "
    "marketplace settings, and messages may not offer their own opt-out."
)


def _optout_link(href: str, words: str) -> bool:
    """A link whose address or words say "unsubscribe", in any of the languages: an
    address is in no language of its own."""
    target, text = href.lower(), normalize(words).text
    for language in languages():
        pattern = substring_pattern(language, "optout", ("link",))
        if pattern.search(target) or pattern.search(text):
            return True
    return False


@rule("link.optout")
def optout(ctx: RuleContext) -> Iterator[Finding]:
    """Unsubscribe / opt-out wording, and links whose target or words are an opt-out."""
    messages = {"phrases": _OPTOUT_MESSAGE}
    found = (
        [hit.finding("link.optout", messages) for hit in hits(ctx, "optout", ("phrases",))]
        if mentions(ctx, "optout")
        else []
    )
    body = ctx.body
    for link in body.links:
        words = body.text[link.text_start : link.text_end]
        if not _optout_link(link.href, words):
            continue
        span = (link.text_start, link.text_end)
        if any(
            f.location == "body" and f.span and f.span[0] < span[1] and span[0] < f.span[1]
            for f in found
        ):
            continue  # the link's words were already reported
        shown = words.strip() or link.href
        found.append(
            Finding("link.optout", str(_OPTOUT_MESSAGE).format(quote(shown)), shown, "body", span)
        )
    yield from distinct(found)


# ---- link.external -----------------------------------------------------------------------

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_SCHEME = re.compile(r"(?<![a-z0-9])(?:https?|ftp)\Z")
_URL_REST = re.compile(r"[^\s<>\"'`]+")
_WWW = re.compile(r"(?<![\w.\-/@])www\d{0,3}\.[^\s<>\"'`]+")
# A dot straight before two letters: the only place a bare domain can end ("example.com").
_DOT_LETTERS = re.compile(r"\.[a-z]{2}")
_BARE = re.compile(
    rf"(?<![\w@.\-/])(?:{_LABEL}\.)+(?P<tld>[a-z]{{2,24}})(?![\w\-@]|\.[a-z0-9])"
    r"(?P<path>[/?#][^\s<>\"'`]*)?"
)
_HOST_END = re.compile(r"[/?#:]")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-.")
_WS = r"[^\S\n]"
_DISGUISED_DOT = (
    rf"{_WS}*[(\[{{<]{_WS}*(?:dot|\.){_WS}*[)\]}}>]{_WS}*"
    rf"|{_WS}+dot{_WS}+|{_WS}+\.{_WS}+"
)
_DISGUISED = re.compile(
    rf"(?<![\w@.\-/])(?P<host>{_LABEL}(?:(?:{_DISGUISED_DOT}){_LABEL})*)"
    rf"(?:{_DISGUISED_DOT})(?P<tld>[a-z]{{2,6}})\b"
)
_DISGUISED_HINTS = ("dot", " . ", "[.", "(.", "{.", "<.")
_DOT_SPLIT = re.compile(_DISGUISED_DOT)
_TRAILING = ".,;:!?)]}'\""
# "the dot com bubble": words that are not a site's name.
_NOT_A_NAME = words("""
a an and at by for from in it its my of on or our that the this to with your old big
early
""")


@rule("link.external")
def external_links(ctx: RuleContext) -> Iterator[Finding]:
    """Links and written web addresses to hosts that are not on the allowlist."""
    reported: list[tuple[int, int]] = []
    for link in ctx.body.links:
        host = _host_of(link.href)
        if host is None or ctx.policy.link_domain_allowed(host):
            continue
        reported.append((link.text_start, link.text_end))
        yield Finding(
            "link.external",
            _message(ctx, host),
            link.href,
            "body",
            (link.text_start, link.text_end),
        )
    attachment_names = {attachment.name.lower() for attachment in ctx.draft.attachments}
    for location, text, norm in ctx.texts():
        for start, end, host in _written_addresses(text, norm, attachment_names):
            if ctx.policy.link_domain_allowed(host):
                continue
            finding = ctx.finding(
                "link.external", _message(ctx, host), location, text, norm, start, end
            )
            first, last = finding.span or (start, end)
            if location == "body" and any(
                lo <= first < hi or lo < last <= hi for lo, hi in reported
            ):
                continue  # the text of a link already reported
            yield finding


def _message(ctx: RuleContext, host: str) -> str:
    allowed = ", ".join(sorted(ctx.policy.allowed_link_domains))
    return (
        f"Links to other websites ({host}) can't be sent to buyers. Remove the link or "
        f"web address; only links to {allowed} are allowed."
    )


def _host_of(href: str) -> str | None:
    """The host a link leads to, or None for mailto:, relative and disarmed links."""
    href = href.strip()
    lowered = href.lower()
    if not (lowered.startswith("//") or "://" in lowered[:12]):
        return None
    try:
        parts = urlsplit(href if not lowered.startswith("//") else "https:" + href)
    except ValueError:
        return "(unreadable address)"
    if parts.scheme.lower() not in {"http", "https", "ftp"}:
        return None
    return parts.hostname or "(unreadable address)"


def _written_addresses(
    text: str, norm: Normalized, attachment_names: set[str]
) -> Iterator[tuple[int, int, str]]:
    """(start, end, host) in norm.text for each web address written in the text.

    Each kind of address is found from a literal ("://", "www", a dot before letters) so
    that ordinary text is skipped at the speed of a substring search.
    """
    folded = norm.text
    emails = find_emails(folded)
    taken: list[tuple[int, int]] = list(emails)

    def free(start: int) -> bool:
        return not any(lo <= start < hi for lo, hi in taken)

    for start, end in [*_scheme_urls(folded), *_www_urls(folded)]:
        if free(start):
            taken.append((start, end))
            address = folded[start:end]
            host = (
                _host_of(address) if "://" in address else _HOST_END.split(address, maxsplit=1)[0]
            )
            if host:
                yield start, end, host
    for hit in _DOT_LETTERS.finditer(folded):
        if not free(hit.start()):
            continue
        begin = hit.start()
        while begin > 0 and folded[begin - 1] in _HOST_CHARS:
            begin -= 1
        match = _BARE.match(folded, begin)
        if match is None or not free(begin):
            continue
        end = _trim(folded, begin, match.end())
        taken.append((begin, end))
        host = _bare_host(match, folded[begin:end], text, norm, attachment_names)
        if host:
            yield begin, end, host
    if any(hint in folded for hint in _DISGUISED_HINTS):
        for match in _DISGUISED.finditer(folded):
            labels = _DOT_SPLIT.split(match.group("host"))
            if match.group("tld") not in COMMON_TLDS or labels[0] in _NOT_A_NAME:
                continue
            if free(match.start()):
                yield match.start(), match.end(), ".".join([*labels, match.group("tld")])


def _scheme_urls(folded: str) -> Iterator[tuple[int, int]]:
    position = folded.find("://")
    while position >= 0:
        scheme = _SCHEME.search(folded, max(0, position - 5), position)
        rest = _URL_REST.match(folded, position + 3)
        if scheme is not None and rest is not None:
            yield scheme.start(), _trim(folded, scheme.start(), rest.end())
        position = folded.find("://", position + 3)


def _www_urls(folded: str) -> Iterator[tuple[int, int]]:
    position = folded.find("www")
    while position >= 0:
        match = _WWW.match(folded, position)
        if match is not None:
            yield position, _trim(folded, position, match.end())
        position = folded.find("www", position + 3)


def _bare_host(
    match: re.Match[str], url: str, text: str, norm: Normalized, attachment_names: set[str]
) -> str | None:
    tld = match.group("tld")
    if tld not in TLDS or url in attachment_names:
        return None
    if match.group("path") is None:
        if tld in FILE_LIKE_TLDS:
            return None  # "manual.zip", "notes.md": a file name, not a site
        lo, hi = norm.source_span(match.start("tld"), match.end("tld"))
        written = text[lo:hi]
        if written[:1].isupper() and written[1:].islower():
            return None  # "tomorrow.It will": a missing space, not a link
    return url.split("/")[0].split("?")[0].split("#")[0]


def _trim(text: str, start: int, end: int) -> int:
    """End of an address without the punctuation of the sentence around it."""
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return end
