"""What the sender wrote in a reply, without the quoted history and the signature.

Quoted history is found by quotequail (``unwrap`` / ``unwrap_html``: the "On … wrote:"
line, Outlook's header block and separator, "> " quoting, Thunderbird's bottom-posting);
signatures by mail-parser-reply's patterns for each language ("-- ", "Sent from my
iPhone", "Best regards,"), and in HTML by the markers Gmail, Outlook, Apple Mail and
Thunderbird put around them. Forwarded mail is kept whole: what was forwarded is the
point of it.

Quoted lines with no header above them ("> " lines a mail program or a person pasted) are
removed too when they are history: the block of quoted lines the email ends with, and any
run of several quoted lines in a row. A single "> " line between the sender's own lines is
theirs (quoting one sentence to answer it) and stays.

Decided: a closing line ("Thanks,", "Best regards,") only starts a signature when it is
short and what follows it is a few short lines (a name, a title); "Thanks, we ship on
Monday." is the message and stays.
"""

from __future__ import annotations

import re

import quotequail
from lxml import etree, html
from mailparser_reply.constants import MAIL_LANGUAGES
from mailparser_reply.parser import EmailMessage as ReplyText

# Languages whose reply headers and closings are recognised (mail-parser-reply's ids).
REPLY_LANGUAGES = ("en", "de", "fr", "es", "it", "nl")
_NO_LIMIT = 1_000_000  # quotequail stops looking after this many lines

# An explicit "this is a forward" line in the body; Outlook's separator also starts
# replies, so it does not count.
_FORWARD_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*)?(?:Forwarded message|Begin forwarded message|Weitergeleitete Nachricht"
    r"|Anfang der weitergeleiteten|Message transf[ée]r[ée]|Mensaje reenviado"
    r"|Messaggio inoltrato|Doorgestuurd bericht)\b",
    re.I | re.M,
)
_SIGNATURE_DELIMITER = re.compile(r"^-- ?$", re.M)
_SENT_FROM = re.compile(
    r"^\s*(?:"
    + "|".join(
        MAIL_LANGUAGES[lang]["sent_from"]
        for lang in REPLY_LANGUAGES
        if MAIL_LANGUAGES.get(lang, {}).get("sent_from")
    )
    + r")\b.{0,60}$",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.?!](?:\s|$)")
# Lines after a closing that still look like a signature: a name, a title, a phone.
_SIGNATURE_MAX_LINES = 6
_SIGNATURE_LINE_MAX = 60

# Where mail programs put quoted history and signatures in HTML.
_QUOTE_XPATH = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')]"
    " | //blockquote[@type='cite']"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' moz-cite-prefix ')]"
)
_QUOTE_AND_REST_XPATH = "//*[@id='divRplyFwdMsg' or @id='x_divRplyFwdMsg' or @id='appendonsend']"
_SIGNATURE_XPATH = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_signature ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_signature_prefix ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' moz-signature ')]"
    " | //*[@id='Signature' or @id='x_Signature' or @id='signature']"
)
_BLOCKS = ("div", "p", "span", "pre", "td", "li")
_BLANK_RUN = re.compile(r"\n\s*\n(?:\s*\n)+")


def is_forward(text: str) -> bool:
    return bool(_FORWARD_MARKER.search(text or ""))


# --- plain text -------------------------------------------------------------------------


def reply_text(text: str, *, forwarded: bool = False) -> str:
    """The sender's own words in a plain-text email."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if forwarded or is_forward(text):
        return text.strip()
    own = _without_quotes(text)
    own = _without_signature(own).strip()
    return own


def _without_quotes(text: str) -> str:
    found = quotequail.unwrap(_quoted_runs_emptied(text))
    if not found:
        return _without_bare_quote_blocks(text)
    top = found.get("text_top", "")
    bottom = "\n".join(
        line for line in found.get("text_bottom", "").split("\n") if not line.startswith(">")
    )
    own = "\n\n".join(part.strip() for part in (top, bottom) if part.strip())
    return _without_bare_quote_blocks(own)


# quotequail reads a line together with the next one (a header wrapped over two lines):
# the first two lines of a run of quoted lines are kept for it as written.
_KEPT_QUOTED_LINES = 2


def _quoted_runs_emptied(text: str) -> str:
    """The text for quotequail, each run of quoted lines past its first two reduced to ">".

    quotequail tries each of its patterns on every line, those of the quoted history too,
    where the earlier messages of the thread pile up (most of the time it spends on a
    reply). What is kept of its answer does not depend on them: the text above the first
    quoted run (quotequail stops at the run's first line, or at a header line above it)
    and the text below the quote without its quoted lines. Every line stays, so the
    line numbers it finds are the same; a ">" line is still a quoted line to it."""
    lines = text.split("\n")
    run = 0
    for index, line in enumerate(lines):
        run = run + 1 if line.startswith(">") else 0
        if run > _KEPT_QUOTED_LINES:
            lines[index] = ">"
    return "\n".join(lines)


def _is_quoted(line: str) -> bool:
    return line.lstrip(" ").startswith(">")


def _without_bare_quote_blocks(text: str) -> str:
    """Without the quoted block at the end and without runs of two or more quoted lines."""
    lines = text.split("\n")
    drop = [False] * len(lines)
    # The block the email ends with: quoted lines, blank lines between them.
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    start = end
    while start > 0 and (_is_quoted(lines[start - 1]) or not lines[start - 1].strip()):
        start -= 1
    if any(_is_quoted(line) for line in lines[start:end]):
        for index in range(start, len(lines)):
            drop[index] = True
    # Runs of consecutive quoted lines anywhere.
    index = 0
    while index < len(lines):
        run_end = index
        while run_end < len(lines) and _is_quoted(lines[run_end]):
            run_end += 1
        if run_end - index >= 2:
            for gone in range(index, run_end):
                drop[gone] = True
        index = max(run_end, index + 1)
    if not any(drop):
        return text
    kept = "\n".join(line for line, gone in zip(lines, drop, strict=True) if not gone)
    return _BLANK_RUN.sub("\n\n", kept).strip()


def _without_signature(text: str) -> str:
    delimiters = list(_SIGNATURE_DELIMITER.finditer(text))
    # The last "-- " line starts the signature (RFC 3676).
    if delimiters and text[: delimiters[-1].start()].strip():
        text = text[: delimiters[-1].start()]
    parsed = ReplyText(text=text, languages=list(REPLY_LANGUAGES), keep_hyphen_lists=True)
    normalized = parsed.text  # line ends and each line's spaces tidied, as the patterns expect
    match = parsed.SIGNATURE_REGEX.search(normalized)
    if match is None or not normalized[: match.start()].strip():
        return text
    return normalized[: match.start()] if _looks_like_signature(match.group()) else text


def _looks_like_signature(block: str) -> bool:
    lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
    if not lines:
        return False
    first = lines[0].lstrip("> ")
    if _SENT_FROM.match(first) or first.startswith(("--", "__")):
        return len(lines) <= _SIGNATURE_MAX_LINES + 1
    short_closing = len(_WORD.findall(first)) <= 4 and not _SENTENCE_END.search(first)
    rest = lines[1:]
    return (
        short_closing
        and len(rest) <= _SIGNATURE_MAX_LINES
        and all(len(line) <= _SIGNATURE_LINE_MAX for line in rest)
        and not any(line.lower().startswith(("p.s", "ps:", "ps ")) for line in rest)
    )


# --- HTML ---------------------------------------------------------------------------------


def reply_html(markup: str, *, forwarded: bool = False) -> str:
    """The sender's own part of an HTML email, as HTML (the sanitizer runs later)."""
    if not (markup or "").strip():
        return ""
    if forwarded or is_forward(_visible_text(markup)):
        return _body_content(markup)
    found = quotequail.unwrap_html(markup)
    if found:
        parts = [found.get("html_top", ""), found.get("html_bottom", "")]
        own = "".join(_body_content(part) for part in parts if part)
    else:
        own = _body_content(quotequail.quote_html(markup, limit=_NO_LIMIT)[0][1])
    return _without_html_quotes_and_signature(own)


def _parse(markup: str) -> html.HtmlElement:
    return html.document_fromstring(f"<html><body>{markup}</body></html>")


def _body_content(markup: str) -> str:
    """The inside of <body>: no <head>, no style sheets, no document wrapper."""
    if not markup.strip():
        return ""
    try:
        document = html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return markup
    body = document.find("body")
    if body is None:
        return ""
    inner = body.text or ""
    for child in body:
        inner += html.tostring(child, encoding="unicode")
    return inner


def _without_html_quotes_and_signature(markup: str) -> str:
    if not markup.strip():
        return ""
    document = _parse(markup)
    for element in document.xpath(_QUOTE_AND_REST_XPATH):
        _drop_with_following(element)
    for element in document.xpath(_QUOTE_XPATH + " | " + _SIGNATURE_XPATH):
        if element.getparent() is not None:
            element.drop_tree()
    for marker in document.xpath("//*[@id='lineBreakAtBeginningOfSignature']"):
        _drop_with_following(marker)  # Apple Mail on iOS: the signature follows this <br>
    for anchor in document.xpath("//a[@name='_MailAutoSig']"):
        # Outlook for Windows: the bookmark opens the signature's first paragraph.
        block = next((a for a in anchor.iterancestors() if a.tag in ("p", "div")), anchor)
        _drop_with_following(block)
    for element in document.xpath("//*"):
        is_leaf_block = element.tag in _BLOCKS and element.getparent() is not None
        if is_leaf_block and len(element) == 0 and _SENT_FROM.match(element.text_content()):
            element.drop_tree()
    return _body_content(html.tostring(document, encoding="unicode"))


def _drop_with_following(element: html.HtmlElement) -> None:
    """Remove an element and everything after it in its parent (the rest is the quote)."""
    parent = element.getparent()
    if parent is None:
        return
    for gone in [element, *element.itersiblings()]:
        parent.remove(gone)  # with its tail text: that is quoted too
    # The separator Outlook on the web puts right before the quoted header block.
    last = parent[-1] if len(parent) else None
    if last is not None and last.tag == "hr":
        last.drop_tree()


def _visible_text(markup: str) -> str:
    """The text, each piece on its own line (so line-start patterns find "Begin forwarded
    message:" in its own <div>)."""
    try:
        body = _parse(_body_content(markup)).find("body")
    except (etree.ParserError, ValueError):
        return markup
    return "\n".join(piece.strip() for piece in body.itertext()) if body is not None else ""
