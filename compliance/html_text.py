"""The readable text of sanitized message HTML, with a way back from text offsets to the
markup, so that rules can match on plain text and redactions land in the right place.

The input is always the sanitizer's output (well-formed, allowlisted tags), so a simple
tokenizer is enough: tags are kept as they are, text runs are decoded for matching and
escaped again when the markup is rebuilt.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")
_HREF = re.compile(r'\bhref="([^"]*)"')
# Tags after which a reader sees a new line, so words on either side do not run together.
BLOCK_TAGS = frozenset({"p", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "div",
                        "blockquote", "tr", "table", "td", "th"})


@dataclass
class _Run:
    markup: str
    is_text: bool
    text: str = ""
    start: int = 0  # where this run's text starts in HtmlText.text


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
    _runs: list[_Run] = field(default_factory=list)

    @classmethod
    def parse(cls, markup: str) -> HtmlText:
        runs: list[_Run] = []
        links: list[Link] = []
        pieces: list[str] = []
        length = 0
        open_link: tuple[str, int] | None = None
        for match in _TOKEN.finditer(markup):
            token = match.group(0)
            if token.startswith("<"):
                runs.append(_Run(token, is_text=False))
                name_match = _TAG_NAME.match(token)
                name = name_match.group(1).lower() if name_match else ""
                closing = token.startswith("</")
                if name == "a" and not closing:
                    href = _HREF.search(token)
                    open_link = (html.unescape(href.group(1)) if href else "", length)
                elif name == "a" and closing and open_link is not None:
                    links.append(Link(open_link[0], open_link[1], length))
                    open_link = None
                if name in BLOCK_TAGS and (closing or name == "br"):
                    pieces.append("\n")
                    length += 1
            else:
                decoded = html.unescape(token)
                runs.append(_Run(token, is_text=True, text=decoded, start=length))
                pieces.append(decoded)
                length += len(decoded)
        return cls(markup=markup, text="".join(pieces), links=links, _runs=runs)

    def redact(self, spans: list[tuple[int, int, str]]) -> str:
        """Markup with each (start, end, placeholder) span of text replaced.

        A span that crosses tags leaves its placeholder in the first text run it touches
        and removes the rest, so no piece of the hidden detail survives.
        """
        if not spans:
            return self.markup
        ordered = sorted(_merge(spans))
        out: list[str] = []
        for run in self._runs:
            if not run.is_text:
                out.append(run.markup)
                continue
            out.append(html.escape(_redact_run(run, ordered), quote=False))
        return "".join(out)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for start, end, placeholder in sorted(spans):
        if merged and start < merged[-1][1]:
            prev_start, prev_end, prev_placeholder = merged[-1]
            merged[-1] = (prev_start, max(prev_end, end), prev_placeholder)
        else:
            merged.append((start, end, placeholder))
    return merged


def _redact_run(run: _Run, spans: list[tuple[int, int, str]]) -> str:
    run_end = run.start + len(run.text)
    result: list[str] = []
    cursor = run.start
    for start, end, placeholder in spans:
        if end <= run.start or start >= run_end:
            continue
        lo, hi = max(start, run.start), min(end, run_end)
        result.append(run.text[cursor - run.start : lo - run.start])
        if start >= run.start:  # the span begins in this run: leave the placeholder here
            result.append(placeholder)
        cursor = hi
    result.append(run.text[cursor - run.start :])
    return "".join(result)
