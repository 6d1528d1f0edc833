"""The one sanitizer every message body goes through, whichever way it came in.

Web forms, the email gateway and the API all call :func:`render_message_html`. Plain text is
escaped and turned into paragraphs; HTML is cleaned with nh3 against an explicit allowlist.
Only the output of this module is ever marked safe in a template.

No attribute that could carry words survives: a ``title`` would deliver an email address
the rules never read, so links keep only their target (which the link and contact rules
read), table cells only numeric spans, and images only a ``cid:`` source naming one of the
message's own attachments (POLICY.md allows those; ``keep_inline_attachments`` drops the
rest once the attachments are known).
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
        "img",
    }
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": set(),  # nh3 would otherwise allow "title" and "lang" on every tag
    "a": {"href"},
    "img": {"src"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "cid"})
_SPAN = re.compile(r"[1-9][0-9]{0,2}")
_SCOPES = frozenset({"row", "col", "rowgroup", "colgroup"})
# An inline attachment: "cid:" and the part's id or file name, nothing that could be a URL.
_CID = re.compile(r"cid:[\w.@+~ -]{1,200}", re.IGNORECASE)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_IMG_SRC = re.compile(r'<img src="cid:([^"]+)"[^>]*>', re.IGNORECASE)

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


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Keep only attribute values that carry no words of their own."""
    if attribute in {"colspan", "rowspan"}:
        return value if _SPAN.fullmatch(value.strip()) else None
    if attribute == "scope":
        return value.strip().lower() if value.strip().lower() in _SCOPES else None
    if tag == "img":
        return value.strip() if _CID.fullmatch(value.strip()) else None
    if tag == "a" and attribute == "href" and value.strip().lower().startswith("cid:"):
        return None  # a link to a part of an email means nothing on a page
    return value


# Built once: nh3.clean would turn every option into the sanitizer's own form again on each
# call, which costs more than cleaning a 2 KB message.
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_attribute_filter,
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


def sanitize_html(markup: str) -> str:
    """Clean HTML against the allowlist; links get rel="noopener noreferrer"."""
    cleaned = _CLEANER.clean(markup)
    # An image whose source was not an inline attachment is left without one: drop it.
    return _IMG.sub(lambda m: m.group(0) if "src=" in m.group(0) else "", cleaned)


def keep_inline_attachments(markup: str, attachment_names: list[str]) -> str:
    """Keep the inline images that show one of the message's own attachments, pointed at
    it by its file name (``cid:<name>``); drop every other image.

    A mail program names an inline picture by its part's Content-ID, which often starts
    with the file name ("image001.png@01DA..."); the relay rewrites known Content-IDs to
    file names before the body gets here.
    """
    if "<img" not in markup:
        return markup
    by_name = {name.lower(): name for name in attachment_names}
    by_stem = {name.lower().rsplit(".", 1)[0]: name for name in attachment_names}

    def keep(match: re.Match[str]) -> str:
        wanted = match.group(1).strip().lower()
        name = by_name.get(wanted) or by_name.get(wanted.split("@")[0])
        name = name or by_stem.get(wanted.split("@")[0])
        if name is None:
            return ""
        return f'<img src="cid:{html.escape(name)}" alt="{html.escape(name)}">'

    return _IMG_SRC.sub(keep, markup)


def render_message_html(body: str) -> str:
    """The safe HTML for a message body as the sender wrote it (HTML or plain text)."""
    if looks_like_html(body):
        return sanitize_html(body)
    markup = plain_text_to_html(body)
    if markup.isprintable():
        # Escaped text in <p> and <br> only, with no control, format, separator or
        # unassigned character the cleaner would replace or escape: it would hand back
        # exactly this markup, at a cost the message check can do without.
        return markup
    return sanitize_html(markup)


def html_to_text(markup: str) -> str:
    """Readable text from sanitized HTML, for previews and the text part of emails."""
    with_breaks = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</h[1-4]>|</tr>", "\n", markup)
    stripped = nh3.clean(with_breaks, tags=set())
    return html.unescape(stripped).strip()


def preview_text(markup: str, limit: int = 160) -> str:
    text = _WHITESPACE.sub(" ", html_to_text(markup)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
