"""The readable text of sanitized message HTML, with a way back from text offsets to the
markup, so that rules can match on plain text and redactions land in the right place.

The input is always the sanitizer's output (well-formed, allowlisted tags), so splitting on
tags is enough: tags are kept as they are, text runs are decoded for matching and escaped
again only where a redaction changes them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# Splitting on a captured tag gives text, tag, text, tag, ..., text: even items are text.
_TAGS = re.compile(r"(<[^>]*>)")
_HREF = re.compile(r'\bhref="([^"]*)"')
# Tags after which a reader sees a new line, so words on either side do not run together.
BLOCK_TAGS = frozenset(
    {
        "p",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "div",
        "blockquote",
        "tr",
        "table",
        "td",
        "th",
    }
)


# What a tag means for the text: nothing, a new line, or the start or end of a link.
_OTHER, _LINE, _OPEN_LINK, _CLOSE_LINK = range(4)
# The kind of each tag seen, by its markup: sanitized messages repeat the same few tags
# ("<p>", "</p>", "<br>") over and over, and a look-up is cheaper than taking one apart.
# Opening links differ by their target and are not kept; the size is bounded all the same.
_tag_kinds: dict[str, int] = {}
_KNOWN_TAGS = 1024


def _tag_kind(tag: str) -> int:
    closing = tag.startswith("</")
    name = tag[2 if closing else 1 : -1].partition(" ")[0].rstrip("/").lower()
    if name == "a":
        return _CLOSE_LINK if closing else _OPEN_LINK
    if name in BLOCK_TAGS and (closing or name == "br"):
        return _LINE
    return _OTHER


@dataclass(frozen=True)
class Link:
    href: str
    text_start: int
    text_end: int


@dataclass
class HtmlText:
    markup: str
    text: str = ""
    links: list[Link] = field(default_factory=list)
    _parts: list[str] = field(default_factory=list)  # text, tag, text, ... as in markup
    _starts: list[int] = field(default_factory=list)  # where each part sits in .text
    _anchors: list[tuple[int, int]] = field(default_factory=list)  # parts of each link's tags

    @classmethod
    def parse(cls, markup: str) -> HtmlText:
        parts = _TAGS.split(markup)
        starts: list[int] = []
        links: list[Link] = []
        anchors: list[tuple[int, int]] = []
        pieces: list[str] = []
        length = 0
        open_link: tuple[str, int, int] | None = None  # href, text start, part index
        kinds = _tag_kinds
        is_text = True  # parts alternate: text, tag, text, ...
        for index, part in enumerate(parts):
            starts.append(length)
            if is_text:
                is_text = False
                if part:
                    decoded = html.unescape(part) if "&" in part else part
                    pieces.append(decoded)
                    length += len(decoded)
                continue
            is_text = True
            kind = kinds.get(part)
            if kind is None:
                kind = _tag_kind(part)
                if kind != _OPEN_LINK and len(kinds) < _KNOWN_TAGS:
                    kinds[part] = kind
            if kind == _LINE:
                pieces.append("\n")
                length += 1
            elif kind == _OPEN_LINK:
                href = _HREF.search(part)
                open_link = (html.unescape(href.group(1)) if href else "", length, index)
            elif kind == _CLOSE_LINK and open_link is not None:
                links.append(Link(open_link[0], open_link[1], length))
                anchors.append((open_link[2], index))
                open_link = None
        return cls(
            markup=markup,
            text="".join(pieces),
            links=links,
            _parts=parts,
            _starts=starts,
            _anchors=anchors,
        )

    def redact(self, spans: list[tuple[int, int, str]]) -> str:
        """Markup with each (start, end, placeholder) span of text replaced.

        A span that crosses tags leaves its placeholder in the first text run it touches
        and removes the rest, so no piece of the hidden detail survives. A link whose text
        is redacted loses its tags too, since its target usually repeats the detail
        (mailto:jane@...); an empty link at a zero-length span becomes the placeholder.
        """
        if not spans:
            return self.markup
        ordered = merge_spans(spans)
        replaced = self._redacted_anchors(ordered)
        out: list[str] = []
        for index, part in enumerate(self._parts):
            if index in replaced:
                out.append(replaced[index])
            elif index % 2 or not part:
                out.append(part)
            else:
                out.append(self._redact_text(part, self._starts[index], ordered))
        return "".join(out)

    def _redacted_anchors(self, spans: list[tuple[int, int, str]]) -> dict[int, str]:
        replaced: dict[int, str] = {}
        for link, (open_index, close_index) in zip(self.links, self._anchors, strict=True):
            for start, end, placeholder in spans:
                empty = link.text_start == link.text_end
                if empty and start == end == link.text_start:
                    replaced[open_index], replaced[close_index] = placeholder, ""
                elif (start < link.text_end and end > link.text_start) or (
                    empty and start <= link.text_start <= end
                ):
                    replaced[open_index], replaced[close_index] = "", ""
        return replaced

    @staticmethod
    def _redact_text(part: str, run_start: int, spans: list[tuple[int, int, str]]) -> str:
        text = html.unescape(part) if "&" in part else part
        run_end = run_start + len(text)
        if not any(start < run_end and end > run_start for start, end, _ in spans):
            return part  # untouched: keep the markup exactly as it was
        result: list[str] = []
        cursor = run_start
        for start, end, placeholder in spans:
            if end <= run_start or start >= run_end:
                continue
            lo, hi = max(start, run_start), min(end, run_end)
            result.append(text[cursor - run_start : lo - run_start])
            if start >= run_start:  # the span begins in this run: leave the placeholder here
                result.append(placeholder)
            cursor = hi
        result.append(text[cursor - run_start :])
        return html.escape("".join(result), quote=False)


def merge_spans(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans joined into one, keeping the first one's placeholder."""
    merged: list[tuple[int, int, str]] = []
    for start, end, placeholder in sorted(spans):
        if merged and start < merged[-1][1]:
            prev_start, prev_end, prev_placeholder = merged[-1]
            merged[-1] = (prev_start, max(prev_end, end), prev_placeholder)
        else:
            merged.append((start, end, placeholder))
    return merged
