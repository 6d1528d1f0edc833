"""media.remote_image, media.gif, text.emoji and the format.* rules, through check_message.

The media and format rules read the body as the seller wrote it (the sanitizer drops
images, style attributes and <font> tags from what is delivered).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from compliance.detect import line_breaks
from compliance.detect.gif import frame_count, is_animated_gif
from compliance.detect.html_text import HtmlText
from compliance.engine import FileFacts, MessageDraft, Verdict, check_message
from compliance.policy import DEFAULT_POLICY, Action, PolicyConfig

SENT = datetime(2026, 11, 20, 10, tzinfo=UTC)


def send(
    body: str,
    *,
    subject: str = "",
    side: str = "seller",
    attachments: tuple[FileFacts, ...] = (),
    policy: PolicyConfig = DEFAULT_POLICY,
) -> Verdict:
    message_type = "reply" if side == "seller" else "buyer_inquiry"
    draft = MessageDraft(
        sender_side=side,
        message_type=message_type,
        body=body,
        subject=subject,
        reply_to_buyer=True,
        sent_at=SENT,
        attachments=attachments,
    )
    return check_message(draft, policy)


def found(verdict: Verdict, rule: str) -> list:
    return [v for v in verdict.violations if v.rule == rule]


def gif(frames: int) -> bytes:
    images = [Image.new("RGB", (4, 4), (60 * index, 0, 0)) for index in range(frames)]
    buffer = io.BytesIO()
    images[0].save(
        buffer, "GIF", save_all=frames > 1, append_images=images[1:], duration=100, loop=0
    )
    return buffer.getvalue()


def attachment(name: str, data: bytes) -> FileFacts:
    return FileFacts(name, len(data), read=lambda: data)


ORDINARY_MESSAGES = [
    (
        "delivery scheduling",
        "<p>Hello Jordan,</p><p>We can deliver the sofa on <strong>Tuesday, November 24</strong>"
        " between 9:00 and 12:00, or on Thursday between 13:00 and 17:00.</p>"
        "<ul><li>Doorway: at least 80 cm</li><li>Two people carry it in</li></ul>"
        "<p>Kind regards,<br>Sam</p>",
    ),
    (
        "invoice note",
        "Hello Jordan,\n\nThe invoice for order 114-3941689-8772232 is attached: $1,299.00 plus "
        "$84.50 tax.\n\nSam, Northwind Home Goods \u00a9 2026",
    ),
    (
        "customization question",
        "<h2>Engraving</h2><p>Please confirm the text <em>The Miles Family</em> in 3.5 mm serif "
        "letters, 20\u00b0 slant, 3\u00d74 cm plate \u2192 centred \u2713.</p>",
    ),
    (
        "return answer",
        "<p>Yes, you can return it within 30 days.</p><p>Pack it in the original box and drop "
        "it off at any UPS store.</p>",
    ),
    (
        "neutral review request",
        "<p>Your order was delivered on November 20.</p><p>If you have a moment, please share "
        "your honest review of the product; it helps other shoppers.</p>",
    ),
    (
        "tracking info",
        "Your package shipped with UPS, tracking number 1Z999AA10123456784.\nEstimated "
        "delivery: 24.11.2026.\n\nThanks, Sam",
    ),
]
OUR_RULES = {
    "media.remote_image",
    "media.gif",
    "text.emoji",
    "format.line_breaks",
    "format.font_sizes",
    "format.styling",
}


@pytest.mark.parametrize(
    "body", [c[1] for c in ORDINARY_MESSAGES], ids=[c[0] for c in ORDINARY_MESSAGES]
)
def test_ordinary_messages_pass_the_media_and_format_rules(body):
    assert not {v.rule for v in send(body).violations} & OUR_RULES


# --- media.remote_image --------------------------------------------------------------------

REMOTE_IMAGES = [
    ("https image", '<p>Our new range: <img src="https://cdn.example.net/sofa.jpg"></p>'),
    ("http image", '<img src="http://cdn.example.net/sofa.jpg" alt="sofa">'),
    ("protocol-relative", '<img src="//cdn.example.net/sofa.jpg">'),
    ("upper case markup", '<IMG SRC="HTTPS://CDN.EXAMPLE.NET/SOFA.JPG">'),
    ("srcset", '<img srcset="https://cdn.example.net/a.png 1x, https://cdn.example.net/b.png 2x">'),
    ("lazy loading", '<img data-src="https://cdn.example.net/a.png">'),
    ("tracking pixel", '<p>Hi</p><img src="https://t.example.net/o.png" width="1" height="1">'),
    ("pixel from data", '<img src="data:image/png;base64,iVBORw0KGgo=" width="1" height="1">'),
    ("pixel sized by css", '<img src="cid:logo.png" style="width:1px;height:1px">'),
    ("zero width", '<img src="spacer.png" width="0">'),
    (
        "css background image",
        '<div style="background-image: url(https://t.example.net/bg.png)">Hello</div>',
    ),
    (
        "background attribute",
        '<table background="https://t.example.net/bg.png"><tr><td>Hi</td></tr></table>',
    ),
    (
        "style sheet",
        '<style>body { background: url("https://t.example.net/x.png") }</style><p>Hello</p>',
    ),
    ("picture source", '<picture><source srcset="https://cdn.example.net/a.webp"></picture>'),
]


@pytest.mark.parametrize("body", [c[1] for c in REMOTE_IMAGES], ids=[c[0] for c in REMOTE_IMAGES])
def test_remote_images_and_pixels_are_blocked(body):
    verdict = send(body)

    hits = found(verdict, "media.remote_image")
    assert verdict.blocked and hits
    assert hits[0].excerpt and hits[0].message.endswith(".")
    assert "<img" not in verdict.body_html.lower()


def test_inline_attachment_image_is_not_remote():
    photo = attachment("diagram.png", b"\x89PNG\r\n\x1a\n")
    verdict = send('<p>See <img src="cid:diagram.png" width="400"></p>', attachments=(photo,))

    assert not found(verdict, "media.remote_image")


def test_talking_about_images_is_not_an_image():
    assert not found(
        send("The photo is attached; the img tag in your mail was removed."), "media.remote_image"
    )


def test_buyers_may_paste_images():
    assert not found(
        send('<img src="https://cdn.example.net/broken.jpg">', side="buyer"), "media.remote_image"
    )


# --- media.gif -----------------------------------------------------------------------------

GIFS_IN_BODY = [
    ("remote gif", '<p><img src="https://media.example.net/dance.gif"></p>'),
    ("relative gif with query", '<img src="/static/party.GIF?v=2">'),
    ("data gif", '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'),
    ("gif as css background", '<div style="background:url(party.gif)">Hi</div>'),
]


@pytest.mark.parametrize("body", [c[1] for c in GIFS_IN_BODY], ids=[c[0] for c in GIFS_IN_BODY])
def test_gifs_in_the_body_are_blocked(body):
    verdict = send(body)

    assert verdict.blocked and found(verdict, "media.gif")


@pytest.mark.parametrize("src", ["cid:dance.gif", "dance.gif", "cid:dance.gif@01DA2B"])
def test_animated_gif_attachment_shown_inline_is_blocked(src):
    dance = attachment("dance.gif", gif(3))
    verdict = send(f'<p>Look: <img src="{src}"></p>', attachments=(dance,))

    assert found(verdict, "media.gif")


def test_still_gif_attachment_shown_inline_passes():
    still = attachment("still.gif", gif(1))
    verdict = send('<p>Look: <img src="cid:still.gif"></p>', attachments=(still,))

    assert not found(verdict, "media.gif")


def test_animated_gif_only_attached_is_not_in_the_body():
    verdict = send(
        "The animation is attached as dance.gif.", attachments=(attachment("dance.gif", gif(2)),)
    )

    assert not found(verdict, "media.gif")


def test_gif_frames_are_counted_without_decoding():
    assert frame_count(gif(1)) == 1
    assert frame_count(gif(4)) == 4
    assert is_animated_gif(gif(2)) and not is_animated_gif(gif(1))
    assert frame_count(b"\x89PNG\r\n") == 0
    assert frame_count(gif(3)[:30]) <= 1  # truncated: no crash, no invented frames


# --- text.emoji ----------------------------------------------------------------------------

EMOJI = [
    ("face", "Thanks so much \U0001f600"),
    ("thumbs up with skin tone", "Done \U0001f44d\U0001f3fd"),
    ("family zwj sequence", "For the whole \U0001f468\u200d\U0001f469\u200d\U0001f467"),
    ("flag", "Made in \U0001f1fa\U0001f1f8"),
    ("keycap", "Step 1\ufe0f\u20e3 unpack"),
    ("heart with selector", "We \u2764\ufe0f it"),
    ("bare heart", "We \u2764 it"),
    ("check mark with selector", "Shipped \u2714\ufe0f"),
    ("telephone with selector", "\u260e\ufe0f us"),
    ("star", "Top rated \u2b50"),
    ("white heavy check mark", "Paid \u2705"),
    ("party and gift", "Surprise \U0001f389 \U0001f381!"),
    ("newer emoji", "Melting \U0001fae0"),
]
NOT_EMOJI = [
    ("copyright and trademarks", "\u00a9 2026 Northwind\u00ae Duvet\u2122"),
    ("degrees and multiplication", "Wash at 30\u00b0C, 3\u00d74 m"),
    ("arrows and check marks", "Step 1 \u2192 step 2 \u2713 \u2714 \u2605 \u2665"),
    ("currency and punctuation", "\u20ac12 \u2014 \u00a312 \u2026 \u2022 \u00bd"),
    ("other scripts", "caf\u00e9, \u6771\u4eac, \u0645\u0631\u062d\u0628\u0627, \u00f1"),
    ("emoticon", "Thanks :-)"),
]


@pytest.mark.parametrize("text", [c[1] for c in EMOJI], ids=[c[0] for c in EMOJI])
def test_emoji_are_blocked(text):
    verdict = send(text)

    hits = found(verdict, "text.emoji")
    assert verdict.blocked and hits
    assert all(hit.excerpt.strip() for hit in hits)


@pytest.mark.parametrize("text", [c[1] for c in NOT_EMOJI], ids=[c[0] for c in NOT_EMOJI])
def test_symbols_written_as_text_are_not_emoji(text):
    assert not found(send(text), "text.emoji")


def test_neighbouring_emoji_are_one_finding_quoting_them_all():
    hits = found(send("Thanks \U0001f600 \U0001f389\U0001f381 and bye \U0001f44b"), "text.emoji")

    assert [hit.excerpt for hit in hits] == ["\U0001f600 \U0001f389\U0001f381", "\U0001f44b"]


def test_emoji_in_subject():
    assert [
        v.location for v in found(send("Hi", subject="Good news \U0001f389"), "text.emoji")
    ] == ["subject"]


def test_redacting_emoji_removes_the_whole_sequence():
    policy = DEFAULT_POLICY.with_actions(text_emoji=Action.REDACT)
    verdict = send("<p>Family \U0001f468\u200d\U0001f469\u200d\U0001f467 ok</p>", policy=policy)

    assert verdict.body_html == "<p>Family [emoji removed] ok</p>"


def test_buyers_may_use_emoji():
    assert not found(send("Thanks \U0001f600", side="buyer"), "text.emoji")


# --- format.line_breaks --------------------------------------------------------------------

TOO_MANY_BREAKS = [
    ("plain text, three newlines", "Hello Jordan,\n\n\nYour order shipped."),
    ("plain text, blank lines with spaces", "Hello Jordan,\n \n\t\nYour order shipped."),
    ("windows newlines", "Hello Jordan,\r\n\r\n\r\nYour order shipped."),
    ("three br", "Hello Jordan,<br><br><br>Your order shipped."),
    ("br spelled differently", "Hello<br/><BR /> <br>there"),
    ("empty paragraph", "<p>Hello Jordan,</p><p></p><p>Your order shipped.</p>"),
    ("paragraph with a br", "<p>Hello Jordan,</p><p><br></p><p>Your order shipped.</p>"),
    ("paragraph with nbsp", "<p>Hello Jordan,</p><p>&nbsp;</p><p>Your order shipped.</p>"),
    (
        "two div blank lines",
        "<div>Hello</div><div><br></div><div><br></div><div>Your order shipped.</div>",
    ),
    ("br before a paragraph break", "<p>Hello Jordan,<br><br></p><p>Your order shipped.</p>"),
    ("nested empty blocks", "<p>Hello</p><div><p></p></div><p>there</p>"),
]
ENOUGH_BREAKS = [
    ("plain text, one blank line", "Hello Jordan,\n\nYour order shipped.\nThanks"),
    ("two br", "Hello Jordan,<br><br>Your order shipped."),
    ("paragraphs", "<p>Hello Jordan,</p><p>Your order shipped.</p>"),
    ("trailing br in a paragraph", "<p>Hello Jordan,<br></p><p>Your order shipped.</p>"),
    ("one div blank line", "<div>Hello</div><div><br></div><div>Your order shipped.</div>"),
    (
        "headings and lists",
        "<h2>Delivery</h2><p>Details:</p><ul><li>a</li><li>b</li></ul><p>Thanks</p>",
    ),
    ("trailing empty paragraph", "<p>Hello</p><p>Thanks</p><p></p>"),
    ("table rows", "<table><tr><td>a</td></tr><tr><td>b</td></tr></table>"),
]


@pytest.mark.parametrize(
    "body", [c[1] for c in TOO_MANY_BREAKS], ids=[c[0] for c in TOO_MANY_BREAKS]
)
def test_extra_line_breaks_are_fixed_not_blocked(body):
    verdict = send(body)

    hits = found(verdict, "format.line_breaks")
    assert hits and all(hit.action == Action.FIX for hit in hits)
    assert not verdict.blocked
    assert hits[0].excerpt and "line breaks" in hits[0].message
    assert not line_breaks.html_gaps(line_breaks.split(verdict.body_html))
    # The words survive the fix.
    before = HtmlText.parse(
        send(body, policy=DEFAULT_POLICY.with_actions(format_line_breaks=Action.OFF)).body_html
    ).text.split()
    assert HtmlText.parse(verdict.body_html).text.split() == before


@pytest.mark.parametrize("body", [c[1] for c in ENOUGH_BREAKS], ids=[c[0] for c in ENOUGH_BREAKS])
def test_up_to_two_line_breaks_pass(body):
    verdict = send(body)

    assert not found(verdict, "format.line_breaks")


def test_collapsing_keeps_one_blank_line():
    assert line_breaks.collapse("a<br><br><br><br>b") == "a<br><br>b"
    assert line_breaks.collapse("<p>a</p><p></p><p></p><p>b</p>") == "<p>a</p><p>b</p>"
    assert (
        line_breaks.collapse("<div>a</div><div><br></div><div><br></div><div>b</div>")
        == "<div>a</div><div><br>b</div>"
    )


# --- format.font_sizes ---------------------------------------------------------------------

MANY_SIZES = [
    ("three heading levels and text", "<h1>Order</h1><h2>Delivery</h2><h3>Notes</h3><p>Hi</p>"),
    (
        "font-size styles",
        '<p style="font-size:12px">a</p><p style="font-size: 14px">b</p>'
        '<p style="font-size:18px">c</p><p style="font-size:24pt">d</p>',
    ),
    ("font tags", '<font size="1">a</font><font size="2">b</font><font size=4>c</font>d'),
    (
        "font shorthand",
        '<span style="font: bold 20px/1.2 Georgia">a</span><small>b</small><big>c</big> d',
    ),
    ("style sheet", "<style>.a{font-size:9px} .b{font-size:30px}</style><h1>x</h1><p>y</p>"),
]
FEW_SIZES = [
    ("heading and text", "<h2>Delivery</h2><p>Tuesday</p><p>Thanks</p>"),
    ("three sizes", '<h2>a</h2><h3>b</h3><p>c</p><p style="font-size:inherit">'),
    (
        "same size repeated",
        '<p style="font-size:14px">a</p><p style="font-size: 14px">b</p><p>c</p>',
    ),
]


@pytest.mark.parametrize("body", [c[1] for c in MANY_SIZES], ids=[c[0] for c in MANY_SIZES])
def test_more_than_three_font_sizes_are_blocked(body):
    verdict = send(body)

    hits = found(verdict, "format.font_sizes")
    assert verdict.blocked and len(hits) == 1
    assert "at most 3" in hits[0].message and hits[0].excerpt


@pytest.mark.parametrize("body", [c[1] for c in FEW_SIZES], ids=[c[0] for c in FEW_SIZES])
def test_up_to_three_font_sizes_pass(body):
    assert not found(send(body), "format.font_sizes")


# --- format.styling ------------------------------------------------------------------------

STYLING = [
    ("font family", '<p style="font-family: Comic Sans MS">Hi</p>', "font"),
    ("colour", '<p>Hi <span style="color:#c00">now</span></p>', "text colour"),
    ("background colour", '<p style="background-color: yellow">Hi</p>', "background colour"),
    ("line height", '<p style="line-height: 2.5">Hi</p>', "line height"),
    ("text-align", '<p style="text-align:center">Hi</p>', "alignment"),
    ("align attribute", '<p align="right">Hi</p>', "alignment"),
    ("center tag", "<center>Hi</center>", "alignment"),
    ("font face", '<font face="Arial">Hi</font>', "font"),
    ("font colour", '<font color="red">Hi</font>', "text colour"),
    ("font shorthand", '<p style="font: 12px Georgia">Hi</p>', "font"),
    ("style sheet", "<style>p { color: red; line-height: 3 }</style><p>Hi</p>", "line height"),
]


@pytest.mark.parametrize(("body", "named"), [c[1:] for c in STYLING], ids=[c[0] for c in STYLING])
def test_styling_is_stripped_and_reported(body, named):
    verdict = send(body)

    hits = found(verdict, "format.styling")
    assert len(hits) == 1 and hits[0].action == Action.FIX
    assert named in hits[0].message and hits[0].excerpt
    assert not verdict.blocked
    assert "style" not in verdict.body_html and "<font" not in verdict.body_html
    assert "align" not in verdict.body_html and "Hi" in verdict.body_html


def test_everything_overridden_is_named_once():
    body = (
        '<p style="color:red;font-family:X;line-height:2;text-align:right">a</p>'
        '<font color="blue">b</font>'
    )

    (hit,) = found(send(body), "format.styling")
    assert "text colour, font, line height and alignment" in hit.message


@pytest.mark.parametrize(
    "body",
    [
        "<p><strong>bold</strong> <em>italic</em> <u>underlined</u></p>",
        '<p style="font-weight: bold">bold</p>',
        "<h2>Heading</h2><ul><li>one</li></ul>",
        "Plain text with color: red and align: left written as words.",
    ],
)
def test_allowed_formatting_is_not_styling(body):
    assert not found(send(body), "format.styling")


def test_windows_line_endings_count_as_one_break_each():
    (hit,) = found(send("Hello,\r\n\r\n\r\nYour order shipped."), "format.line_breaks")

    assert hit.message.startswith("There are 3 line breaks in a row")
    assert hit.excerpt == "Hello,\r\n\r\n\r\nYour order shipped."
