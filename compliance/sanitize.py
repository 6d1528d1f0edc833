"""The one sanitizer every message body goes through, whichever way it came in.

Web forms, the email gateway and the API all call :func:`render_message_html`. Plain text is
escaped and turned into paragraphs; HTML is cleaned with nh3 against an explicit allowlist.
Only the output of this module is ever marked safe in a template.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "ul",
        "ol",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "a",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
        "div",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

# A tag as browsers read one: "<" straight before a tag name that ends in space, "/" or ">".
# "a < b", "<3" and "a<b)" are text.
_LOOKS_LIKE_HTML = re.compile(r"<(?:/?[a-zA-Z][a-zA-Z0-9-]*(?=[\s/>])|!--)")
_BLANK_LINES = re.compile(r"\n\s*\n")
_WHITESPACE = re.compile(r"\s+")


def looks_like_html(body: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(body))


def plain_text_to_html(text: str) -> str:
    """Escape text and keep its shape: blank lines make paragraphs, newlines make breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p.strip("\n") for p in _BLANK_LINES.split(text) if p.strip()]
    return "".join(
        "<p>" + html.escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs
    )


def sanitize_html(markup: str) -> str:
    """Clean HTML against the allowlist; links get rel="noopener noreferrer"."""
    return nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
        clean_content_tags={
            "script",
            "style",
            "iframe",
            "object",
            "embed",
            "template",
            "noscript",
            "textarea",
            "select",
            "title",
            "svg",
            "math",
        },
    )


def render_message_html(body: str) -> str:
    """The safe HTML for a message body as the sender wrote it (HTML or plain text)."""
    if looks_like_html(body):
        return sanitize_html(body)
    return sanitize_html(plain_text_to_html(body))


def html_to_text(markup: str) -> str:
    """Readable text from sanitized HTML, for previews and the text part of emails."""
    with_breaks = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</h[1-4]>|</tr>", "\n", markup)
    stripped = nh3.clean(with_breaks, tags=set())
    return html.unescape(stripped).strip()


def preview_text(markup: str, limit: int = 160) -> str:
    text = _WHITESPACE.sub(" ", html_to_text(markup)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
