"""media.remote_image and media.gif: pictures in the body that load from elsewhere or move.

The sanitizer removes every <img> from the delivered message but the inline pictures of the
message's own attachments (``cid:<file name>``), so these rules read the body as written
(ctx.raw_html) to tell the sender what was wrong with it: remote images can tell the sender
when and where a buyer opened the message, and tiny 1x1 images exist for nothing else.
Pictures belong in attachments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from compliance.detect.gif import is_animated_gif
from compliance.detect.raw_html import RawElement
from compliance.engine import FileFacts, Finding, RuleContext, rule

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)['\"]?\s*\)", re.IGNORECASE)
_PIXEL_SIZE = re.compile(r"^\s*[01](?:\.0*)?\s*(?:px)?\s*$")
_CSS_SIZE = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*([^;]*)", re.IGNORECASE)
_IMAGE_TAGS = frozenset({"img", "image", "source", "input"})
# Attributes that make a browser fetch a picture.
_SOURCE_ATTRS = ("src", "srcset", "data-src", "background", "poster", "href", "xlink:href")
_EXCERPT_LIMIT = 160

REMOTE_MESSAGE = _(
    "Images loaded from other websites can't be sent: they can track when a buyer opens the "
    "message. Remove the image and attach the picture to the message instead."
)
PIXEL_MESSAGE = _("Tiny 1x1 images are tracking pixels and can't be sent. Remove the image.")
GIF_MESSAGE = _(
    "Animated GIFs can't be used in messages. Remove the GIF; attach a still picture if the "
    "buyer needs to see something."
)


@rule("media.remote_image")
def remote_images(ctx: RuleContext) -> Iterator[Finding]:
    """Images that load from another site, tiny tracking images, and CSS backgrounds."""
    raw = ctx.raw_html
    for element in raw.elements:
        sources = _image_sources(element)
        remote = [url for url in sources if _is_remote(url)]
        if remote:
            yield Finding("media.remote_image", str(REMOTE_MESSAGE), _excerpt(element.markup))
        elif element.tag in _IMAGE_TAGS and _is_tiny(element):
            yield Finding("media.remote_image", str(PIXEL_MESSAGE), _excerpt(element.markup))
    for sheet in raw.style_sheets:
        for url in _CSS_URL.findall(sheet):
            if _is_remote(url):
                yield Finding("media.remote_image", str(REMOTE_MESSAGE), _excerpt(f"url({url})"))


@rule("media.gif")
def gifs(ctx: RuleContext) -> Iterator[Finding]:
    """GIF images in the body: .gif addresses, data:image/gif, and inline attachments
    (cid: or the file's name) whose file is an animated GIF."""
    attachments = {attachment.name.lower(): attachment for attachment in ctx.draft.attachments}
    raw = ctx.raw_html
    for element in raw.elements:
        if any(_is_gif(url, attachments) for url in _image_sources(element)):
            yield Finding("media.gif", str(GIF_MESSAGE), _excerpt(element.markup))
    for sheet in raw.style_sheets:
        for url in _CSS_URL.findall(sheet):
            if _is_gif(url, attachments):
                yield Finding("media.gif", str(GIF_MESSAGE), _excerpt(f"url({url})"))


def _image_sources(element: RawElement) -> list[str]:
    """Every picture address an element asks the browser to load."""
    sources: list[str] = []
    if element.tag in _IMAGE_TAGS or element.tag in {"video", "svg", "use"}:
        for name in _SOURCE_ATTRS:
            value = element.attrs.get(name)
            if not value:
                continue
            if name == "href" and element.tag not in {"image", "use"}:
                continue
            if name == "srcset":
                sources.extend(item.split()[0] for item in value.split(",") if item.split())
            else:
                sources.append(value.strip())
    elif element.attrs.get("background"):
        sources.append(element.attrs["background"].strip())
    style = element.attrs.get("style", "")
    if "url" in style.lower():
        sources.extend(url.strip() for url in _CSS_URL.findall(style))
    return sources


def _is_remote(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered.startswith(("http:", "https:", "//", "ftp:"))


def _is_tiny(element: RawElement) -> bool:
    sizes = {name: element.attrs.get(name, "") for name in ("width", "height")}
    for name, value in _CSS_SIZE.findall(element.attrs.get("style", "")):
        sizes[name.lower()] = value
    return any(_PIXEL_SIZE.match(value) for value in sizes.values() if value)


def _is_gif(url: str, attachments: dict[str, FileFacts]) -> bool:
    lowered = url.strip().lower()
    if lowered.startswith("data:"):
        return lowered.startswith("data:image/gif")
    name = lowered[4:] if lowered.startswith("cid:") else lowered
    attachment = attachments.get(name) or attachments.get(name.split("@")[0])
    if attachment is not None:
        return _animated(attachment)
    try:
        path = urlsplit(lowered).path
    except ValueError:
        path = lowered
    return path.endswith(".gif")


def _animated(attachment: FileFacts) -> bool:
    try:
        return is_animated_gif(attachment.read())
    except OSError:
        return attachment.name.lower().endswith(".gif")  # unreadable: judge by the name


def _excerpt(markup: str) -> str:
    markup = " ".join(markup.split())
    return markup if len(markup) <= _EXCERPT_LIMIT else markup[: _EXCERPT_LIMIT - 1] + "…"
