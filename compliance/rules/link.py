"""link.optout and link.external: links and wording that lead buyers away from the
marketplace.

link.optout finds opt-out wording (the opt-out vocabulary of each language the message is
written in) and links whose target or words are an opt-out: buyers manage what they
receive in their marketplace settings.

link.external looks at the targets of <a href> links and at addresses written in the subject
or body: "https://...", "www.example.com", "example.com/page", "//example.com/page", and
disguised ones ("example dot com/page", "example[.]com", "hxxps://example[.]com", and each
language's word for a dot in text of that language: "example punkt de"). Hosts on the
policy's allowlist, and their subdomains, pass, but only as written: a look-alike of an
allowed host ("marketplace.example" with a Cyrillic "a", or its "xn--" punycode) folds to
the allowed name but leads to another website, so the host as written is read the way a
browser reads it (IDNA / UTS #46, the idna package) and must itself be allowed; the
confusables data of Unicode (confusable_homoglyphs) tells the sender what it imitates.
mailto: links are contact.email's business. Whether "word.word" is a domain is decided by
its ending (compliance.detect.domains), so "e.g.", "U.S.", "3.5 mm" and "manual.pdf" are
not links, nor are abbreviations such as "Gent.ma" or "sig.ra".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import idna
from confusable_homoglyphs import confusables as confusable_homoglyphs
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compliance.detect.contact_words import UNIVERSAL_DOT, contact_words
from compliance.detect.domains import COMMON_TLDS, FILE_LIKE_TLDS, TLDS, words
from compliance.detect.emails import find_emails_in_languages
from compliance.detect.language import LanguageMap
from compliance.detect.normalize import Normalized, normalize
from compliance.detect.vocabulary import languages, substring_pattern, word_set
from compliance.engine import Finding, RuleContext, rule
from compliance.rules.findings import distinct, hits, mentions, quote

# A link whose address cannot be read: shown translated in the sentence (_message).
_UNREADABLE = "(unreadable address)"

# ---- link.optout -------------------------------------------------------------------------

_OPTOUT_MESSAGE = _(
    "Remove the opt-out wording or link (“{words}”): buyers manage what they receive in their "
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
            Finding(
                "link.optout", str(_OPTOUT_MESSAGE).format(words=quote(shown)), shown, "body", span
            )
        )
    yield from distinct(found)


# ---- link.external -----------------------------------------------------------------------

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# "https://", and the defanged forms people copy from security reports: "hxxps://",
# "https[:]//", "hxxp[://]"; matched right before the "//" they end in.
_SCHEME = re.compile(r"(?<![a-z0-9])(?:https?|ftp|h[tx]{2}ps?|fxp)(?::|\[:\]|\(:\)|\[:)\Z")
_URL_REST = re.compile(r"[^\s<>\"'`]+")
_WWW = re.compile(r"(?<![\w.\-/@])www\d{0,3}(?:\.|\[\.\]|\(\.\))[^\s<>\"'`]+")
# A dot straight before two letters: the only place a bare domain can end ("example.com").
_DOT_LETTERS = re.compile(r"\.[a-z]{2}")
_BARE = re.compile(
    rf"(?<![\w@.\-/])(?:{_LABEL}\.)+(?P<tld>[a-z]{{2,24}})(?![\w\-@]|\.[a-z0-9])"
    r"(?P<path>[/?#][^\s<>\"'`]*)?"
)
_HOST_LIKE = re.compile(rf"(?:{_LABEL}\.)+[a-z]{{2,24}}(?![\w\-])")
_HOST_END = re.compile(r"[/?#]")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-.")
# Brackets around a dot ("example[.]com", "example(dot)com") disarm an address for show;
# taken out, it is an address again.
_DEFANGED_DOT = re.compile(r"[(\[{<]\s*(?:\.|dot)\s*[)\]}>]")
_WS = r"[^\S\n]"
_PATH = r"(?P<path>/[^\s<>\"'`]*)?"
_TRAILING = ".,;:!?)]}'\""
# "the dot com bubble": words that are not a site's name.
_NOT_A_NAME = words("""
a an and at by for from in it its my of on or our that the this to with your old big
early
""")


@dataclass(frozen=True)
class _Disguised:
    """Addresses whose dots are written as words or in brackets, for one set of dot words."""

    pattern: re.Pattern[str]
    split: re.Pattern[str]
    words: tuple[str, ...]  # the words for a dot (a text holding none, nor a bracketed or
    # spaced ".", holds no such address)


@lru_cache(maxsize=16)
def _disguised(dot_words: tuple[str, ...]) -> _Disguised:
    dot = "(?:" + "|".join(dot_words) + ")"
    disguised_dot = (
        rf"{_WS}*[(\[{{<]{_WS}*(?:{dot}|\.){_WS}*[)\]}}>]{_WS}*"
        rf"|{_WS}+{dot}{_WS}+|{_WS}+\.{_WS}+"
    )
    return _Disguised(
        pattern=re.compile(
            rf"(?<![\w@.\-/])(?P<host>{_LABEL}(?:(?:{disguised_dot}){_LABEL})*)"
            rf"(?:{disguised_dot})(?P<tld>[a-z]{{2,6}})\b{_PATH}"
        ),
        split=re.compile(disguised_dot),
        words=tuple(dot_words),
    )


@rule("link.external")
def external_links(ctx: RuleContext) -> Iterator[Finding]:
    """Links and written web addresses to hosts that are not on the allowlist."""
    reported: list[tuple[int, int]] = []
    for link in ctx.body.links:
        host = _host_of(link.href)
        if host is None:
            continue
        ascii_host = _ascii_host(host)
        if ascii_host is not None and ctx.policy.link_domain_allowed(ascii_host):
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
    allowed = frozenset(domain.lower() for domain in ctx.policy.allowed_link_domains)
    for location, text, norm in ctx.texts():
        language_map = ctx.languages(location)
        found = _written_addresses(text, norm, attachment_names, language_map, allowed)
        for address in found:
            start, end, host, host_start, host_end = address
            lo, hi = norm.source_span(host_start, host_end)
            written = text[lo:hi].strip()
            if ctx.policy.link_domain_allowed(host):
                # Allowed once folded; as written it may be a look-alike (a Cyrillic "a" in
                # "marketplace"), which leads somewhere else.
                resolved = _ascii_host(written)
                if resolved is not None and ctx.policy.link_domain_allowed(resolved):
                    continue
            imitated = _imitated(written, allowed)
            message = (
                _lookalike_message(ctx, written, imitated) if imitated else _message(ctx, host)
            )
            finding = ctx.finding("link.external", message, location, text, norm, start, end)
            first, last = finding.span or (start, end)
            if location == "body" and any(
                lo <= first < hi or lo < last <= hi for lo, hi in reported
            ):
                continue  # the text of a link already reported
            yield finding


def _message(ctx: RuleContext, host: str) -> str:
    allowed = ", ".join(sorted(ctx.policy.allowed_link_domains))
    if host == _UNREADABLE:
        # Translators: stands for a web address that cannot be read, in "Links to other
        # websites ({host}) can't be sent to buyers."
        host = gettext("(unreadable address)")
    # Translators: {host} is the website linked to; {allowed} lists the domains sellers
    # may link to, such as "marketplace.example".
    return gettext(
        "Links to other websites ({host}) can't be sent to buyers. Remove the link or "
        "web address; only links to {allowed} are allowed."
    ).format(host=host, allowed=allowed)


def _lookalike_message(ctx: RuleContext, written: str, imitated: str) -> str:
    allowed = ", ".join(sorted(ctx.policy.allowed_link_domains))
    # Translators: {written} is the address as the sender wrote it, {imitated} the allowed
    # domain it imitates, {allowed} the domains sellers may link to.
    return gettext(
        "The web address {written} only looks like {imitated}: it is written with "
        "look-alike characters and leads to another website. Remove it; only links to "
        "{allowed} are allowed."
    ).format(written=written, imitated=imitated, allowed=allowed)


def _imitated(written: str, allowed: frozenset[str]) -> str | None:
    """The allowed domain a host written with look-alike characters imitates, if any: the
    host (punycode decoded) with each character Unicode lists as confusable with a Latin
    one read as that Latin character."""
    host = written.lower()
    if host.isascii() and "xn--" not in host:
        return None
    if "xn--" in host:
        try:
            host = idna.decode(host)
        except (idna.IDNAError, UnicodeError, ValueError):
            return None
    skeleton = "".join(_latin(ch) for ch in host)
    for domain in sorted(allowed):
        if skeleton == domain or skeleton.endswith("." + domain):
            return domain
    return None


@lru_cache(maxsize=1024)
def _latin(ch: str) -> str:
    """The Latin letter a character is confusable with (Unicode's confusables data), or the
    character itself."""
    if ch.isascii():
        return ch
    try:
        mapped = idna.uts46_remap(ch, std3_rules=False, transitional=False)
    except (idna.IDNAError, UnicodeError, ValueError):
        mapped = ch
    if mapped.isascii():
        return mapped  # fullwidth and other compatibility forms, or nothing (ignored)
    found = confusable_homoglyphs.is_confusable(ch, greedy=True, preferred_aliases=["latin"])
    for entry in found or ():
        for homoglyph in entry["homoglyphs"]:
            if homoglyph["c"].isascii():
                return homoglyph["c"].lower()
    return ch


def _ascii_host(host: str) -> str | None:
    """The host as a browser resolves it (IDNA, UTS #46: fullwidth letters and capitals
    mapped, other scripts as "xn--" punycode), or None if it is no valid host name."""
    host = host.strip().rstrip(".")
    if host.isascii():
        return host.lower()
    try:
        return idna.encode(host, uts46=True, std3_rules=False, transitional=False).decode()
    except (idna.IDNAError, UnicodeError, ValueError):
        return None


def _host_of(href: str) -> str | None:
    """The host a link leads to, or None for mailto:, relative and disarmed links."""
    href = href.strip()
    lowered = href.lower()
    if not (lowered.startswith("//") or "://" in lowered[:12]):
        return None
    try:
        parts = urlsplit(href if not lowered.startswith("//") else "https:" + href)
    except ValueError:
        return _UNREADABLE
    if parts.scheme.lower() not in {"http", "https", "ftp"}:
        return None
    return parts.hostname or _UNREADABLE


def _written_addresses(
    text: str,
    norm: Normalized,
    attachment_names: set[str],
    language_map: LanguageMap,
    allowed: frozenset[str],
) -> Iterator[tuple[int, int, str, int, int]]:
    """(start, end, host, host start, host end) in norm.text for each web address written in
    the text.

    Each kind of address is found from a literal ("//", "www", a dot before letters, a dot
    word) so that ordinary text is skipped at the speed of a substring search.
    """
    folded = norm.text
    taken: list[tuple[int, int]] = list(find_emails_in_languages(folded, language_map))

    def free(start: int) -> bool:
        return not any(lo <= start < hi for lo, hi in taken)

    for start, end, host_start in [*_scheme_urls(folded), *_www_urls(folded)]:
        if not free(start):
            continue
        taken.append((start, end))
        host_end = _host_end(folded, host_start, end)
        host = _plain_host(folded[host_start:host_end])
        if host:
            yield start, end, host, host_start, host_end
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
        host = _bare_host(match, folded[begin:end], text, norm, attachment_names, allowed)
        if host:
            yield begin, end, host, begin, begin + len(host)
    for language, dot_words in _dot_words(language_map):
        disguised = _disguised(dot_words)
        for match in _disguised_matches(folded, disguised, dots=not language):
            if not free(match.start()):
                continue
            if language and not language_map.covers(language, match.start()):
                continue
            labels = disguised.split.split(match.group("host"))
            tld = match.group("tld")
            if not _believable_disguise(folded, match, labels, tld, language):
                continue
            end = _trim(folded, match.start(), match.end())
            taken.append((match.start(), end))
            yield match.start(), end, ".".join([*labels, tld]), match.start(), match.end("tld")


def _disguised_matches(
    folded: str, disguised: _Disguised, dots: bool = True
) -> list[re.Match[str]]:
    """The disguised addresses in the text, searched only around the places where a
    disguised dot is written (most texts have none, and a scan of the whole text for an
    address that may start at any word is slow). ``dots``: also around bracketed and
    spaced "." ("example[.]com", "example . com")."""
    hints = [
        f"{before}{word}{after}"
        for word in disguised.words
        if word in folded
        for before, after in _AROUND_WORD
        if f"{before}{word}{after}" in folded
    ]
    if dots:
        hints.extend(hint for hint in _DOT_HINTS if hint in folded)
    windows: list[tuple[int, int]] = []
    for hint in hints:
        position = folded.find(hint)
        while position >= 0:
            windows.append(
                (max(0, position - _HOST_BEFORE), min(len(folded), position + _HOST_AFTER))
            )
            position = folded.find(hint, position + len(hint))
    found: dict[tuple[int, int], re.Match[str]] = {}
    for lo, hi in _merged_windows(windows):
        for match in disguised.pattern.finditer(folded, lo, hi):
            found.setdefault(match.span(), match)
    return [found[span] for span in sorted(found)]


_DOT_HINTS = ("[.", "(.", "{.", "<.", "[ .", "( .", " . ")
# How a word for a dot stands in an address: between spaces, or in brackets.
_AROUND_WORD = ((" ", " "), ("\t", ""), ("(", ""), ("[", ""), ("{", ""), ("<", ""))
_HOST_BEFORE, _HOST_AFTER = 120, 240  # around a disguised dot: the host, the ending, a path


def _merged_windows(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(windows):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


@lru_cache(maxsize=64)
def _dot_words(language_map: LanguageMap) -> list[tuple[str, tuple[str, ...]]]:
    """("", ("dot",)) for every text, then each found language's own words for a dot."""
    found: list[tuple[str, tuple[str, ...]]] = [("", UNIVERSAL_DOT)]
    for language in language_map.found:
        own = tuple(w for w in contact_words(language).dot_words if w not in UNIVERSAL_DOT)
        if own:
            found.append((language, own))
    return found


def _believable_disguise(
    folded: str, match: re.Match[str], labels: list[str], tld: str, language: str
) -> bool:
    """Whether "name dot com" is a site's address. With "dot" or brackets, the ending must
    be a common one and the name not a little word ("the dot com bubble"). A language's own
    word for a dot ("punto", "Punkt", "point") is an everyday word too ("el punto es", "le
    point de vente"): there the name must be no function word of the language, and an
    ending that is one ("es", "de") must end the sentence or lead into a path."""
    if tld not in COMMON_TLDS or labels[0] in _NOT_A_NAME:
        return False
    if not language:
        return True
    function = word_set(language, "stopwords", "function")
    if any(label in function for label in labels) or len(labels[0]) < 3:
        return False
    if tld in function or tld in _NOT_A_NAME:
        return bool(match.group("path")) or bool(_SENTENCE_END.match(folded, match.end()))
    return True


_SENTENCE_END = re.compile(r"[^\S\n]*(?:[.,;:!?)\]]|\n|\Z)")


def _scheme_urls(folded: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, host start) of each address written with a scheme, or starting with
    "//" on its own ("//example.com/x")."""
    position = folded.find("//")
    while position >= 0:
        after = position + 2
        if folded.startswith("]", after):
            after += 1  # "hxxp[://]"
        scheme = _SCHEME.search(folded, max(0, position - 8), position)
        alone = (position == 0 or folded[position - 1] in " \t\n(<\"'") and _HOST_LIKE.match(
            folded, after
        )
        rest = _URL_REST.match(folded, after) if scheme or alone else None
        if rest is not None:
            start = scheme.start() if scheme else position
            yield start, _trim(folded, start, rest.end()), after
        position = folded.find("//", after)


def _www_urls(folded: str) -> Iterator[tuple[int, int, int]]:
    position = folded.find("www")
    while position >= 0:
        match = _WWW.match(folded, position)
        if match is not None:
            yield position, _trim(folded, position, match.end()), position
        position = folded.find("www", position + 3)


def _host_end(folded: str, start: int, end: int) -> int:
    found = _HOST_END.search(folded, start, end)
    return found.start() if found else end


def _plain_host(written: str) -> str | None:
    """The host of an address's host part ("user@host:port", defanged dots undone)."""
    host = _DEFANGED_DOT.sub(".", written).rpartition("@")[2]
    host = host.split(":")[0] if not host.startswith("[") else host
    host = host.strip(_TRAILING)
    return host or None


def _bare_host(
    match: re.Match[str],
    url: str,
    text: str,
    norm: Normalized,
    attachment_names: set[str],
    allowed: frozenset[str],
) -> str | None:
    tld = match.group("tld")
    if url in attachment_names:
        return None
    if tld not in TLDS and not _marketplace_like(url.split("/")[0], allowed):
        return None
    if match.group("path") is None:
        if tld in FILE_LIKE_TLDS:
            return None  # "manual.zip", "notes.md": a file name, not a site
        lo, hi = norm.source_span(match.start("tld"), match.end("tld"))
        written = text[lo:hi]
        if written[:1].isupper() and written[1:].islower():
            return None  # "tomorrow.It will": a missing space, not a link
        labels = url.split(".")
        if len(labels) == 2 and tld not in COMMON_TLDS:
            lo, hi = norm.source_span(match.start(), match.start() + len(labels[0]))
            name = text[lo:hi]
            if len(name) <= 5 or (name[:1].isupper() and name[1:].islower()):
                return None  # "Gent.ma", "Amm.ne", "sig.ra": an abbreviation, not a site
    return url.split("/")[0].split("?")[0].split("#")[0]


def _marketplace_like(host: str, allowed: frozenset[str]) -> bool:
    """A host on an ending the TLD list does not hold, that is still an address: the
    marketplace's own (or its look-alike, which folds to it), or a punycode ("xn--") name."""
    return "xn--" in host or any(host == d or host.endswith("." + d) for d in allowed)


def _trim(text: str, start: int, end: int) -> int:
    """End of an address without the punctuation of the sentence around it."""
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return end
