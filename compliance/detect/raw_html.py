"""The body as the sender wrote it, read once with the standard library's HTML parser.

The sanitizer drops images, style attributes and font tags, so the rules about remote
images, GIFs, font sizes and styling look at the raw markup instead. Parsing is skipped
when the body holds none of the markup those rules care about, which is most messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from compliance.sanitize import looks_like_html

# Markup that any of the raw-HTML rules reacts to; without it there is nothing to parse.
# Patterns that start with a literal ("<", "url"), which the regex engine skips to quickly.
_TAG_MARKER = re.compile(
    r"<(?:img|font|center|style|small|big|source|image|input|picture|svg|video)\b"
)
# Attributes that set what the sanitizer strips; found from each "=" in the body.
_ATTRIBUTES = frozenset(
    {
        "style",
        "align",
        "bgcolor",
        "background",
        "src",
        "srcset",
        "data-src",
        "poster",
        "face",
        "color",
    }
)
_NAME_BEFORE = re.compile(r"([a-z-]+)\s*\Z")
_CSS_URL = re.compile(r"url\s*\(")
_HEADING = re.compile(r"<h([1-6])\b")
VOID_TAGS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
        "image",
    }
)
# Text inside these is not shown to the reader.
HIDDEN_TAGS = frozenset({"style", "script", "head", "title", "template", "noscript"})


@dataclass(frozen=True)
class RawElement:
    """One start tag: its name, attributes (names lower-cased) and the tag as written."""

    tag: str
    attrs: dict[str, str]
    markup: str
    depth: int  # how many elements were open around it

    def attr(self, name: str) -> str:
        return self.attrs.get(name, "")


@dataclass(frozen=True)
class TextRun:
    """Visible text and the elements open around it, innermost last."""

    text: str
    open_elements: tuple[RawElement, ...]


@dataclass
class RawHtml:
    elements: list[RawElement] = field(default_factory=list)
    style_sheets: list[str] = field(default_factory=list)  # contents of <style> blocks
    text_runs: list[TextRun] = field(default_factory=list)

    @classmethod
    def parse(cls, body: str) -> RawHtml:
        if not looks_like_html(body) or not _needs_parsing(body.lower()):
            return cls()
        parser = _Collector()
        parser.feed(body)
        parser.close()
        return parser.result

    def by_tag(self, *tags: str) -> list[RawElement]:
        return [element for element in self.elements if element.tag in tags]


def _needs_parsing(lowered: str) -> bool:
    if _TAG_MARKER.search(lowered) or _CSS_URL.search(lowered):
        return True
    position = lowered.find("=")
    while position >= 0:
        name = _NAME_BEFORE.search(lowered, max(0, position - 24), position)
        if name is not None and name.group(1) in _ATTRIBUTES:
            return True
        position = lowered.find("=", position + 1)
    # Headings alone matter only when there are enough levels to make four font sizes.
    return "<h" in lowered and len(set(_HEADING.findall(lowered))) >= 3


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = RawHtml()
        self._open: list[RawElement] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = RawElement(
            tag,
            {name: value or "" for name, value in attrs},
            self.get_starttag_text() or "",
            len(self._open),
        )
        self.result.elements.append(element)
        if tag in VOID_TAGS:
            return
        self._open.append(element)
        if tag in HIDDEN_TAGS:
            self._hidden += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.result.elements.append(
            RawElement(
                tag,
                {name: value or "" for name, value in attrs},
                self.get_starttag_text() or "",
                len(self._open),
            )
        )

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                closed = self._open[index:]
                del self._open[index:]
                self._hidden -= sum(1 for element in closed if element.tag in HIDDEN_TAGS)
                return

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1].tag == "style":
            self.result.style_sheets.append(data)
            return
        if self._hidden or not data.strip():
            return
        self.result.text_runs.append(TextRun(data, tuple(self._open)))
