"""Count the blank lines a reader sees between two pieces of text, and remove extra ones.

POLICY.md allows at most two line breaks in a row, that is one blank line between pieces of
text. In HTML the blank lines come from several places, counted here as a browser shows
them:
- <br> after text ends the line, so n of them leave n-1 blank lines ("a<br><br>b": one);
  at the start of a block each <br> is a blank line ("<div><br></div>": one);
- the gap between paragraphs, headings, lists and quotes is one blank line; consecutive
  boundaries share one gap (</p><p> is one, not two); <div>, <li> and table rows add none;
- an empty paragraph or div (nothing, spaces or &nbsp; inside) is one more blank line.
Plain text is simpler: three or more newlines with only spaces between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TAGS = re.compile(r"(<[^>]*>)")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_PLAIN_RUN = re.compile(r"(?:\r\n|\r|\n)(?:[^\S\r\n]*(?:\r\n|\r|\n)){2,}")
# What any such run holds when the text has no "\r". Led by a literal, it is found (or not)
# at the speed of a substring search; _PLAIN_RUN is tried at every character.
_LF_RUN = re.compile(r"\n[^\S\n]*\n[^\S\n]*\n")
# Cheap test for the only two ways to get a second blank line into sanitized HTML.
_HTML_HINT = re.compile(
    r"<br[^>]*>\s*(?:<[^>]*>\s*)*<br"
    r"|<(p|div|h[1-6]|blockquote)\b[^>]*>"
    r"(?:\s|&nbsp;|&#160;|\xa0|<(?!/?(?:p|div|h[1-6]|blockquote)\b)[^>]*>)*</\1>",
    re.IGNORECASE,
)
_MARGIN = {
    "p": 1,
    "h1": 1,
    "h2": 1,
    "h3": 1,
    "h4": 1,
    "h5": 1,
    "h6": 1,
    "blockquote": 1,
    "ul": 1,
    "ol": 1,
    "table": 1,
    "div": 0,
    "li": 0,
    "tr": 0,
    "td": 0,
    "th": 0,
    "thead": 0,
    "tbody": 0,
}
_LINE_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
MAX_BLANK_LINES = 1


@dataclass(frozen=True)
class Gap:
    """Parts (of _TAGS.split) strictly between two pieces of text, and its blank lines."""

    first: int
    last: int  # exclusive
    blank_lines: int


def plain_text_runs(text: str) -> list[tuple[int, int, int]]:
    """(start, end, line breaks) of each run of more than two line breaks between words."""
    if "\r" not in text and not _LF_RUN.search(text):
        return []
    return [
        (m.start(), m.end(), len(_NEWLINE.findall(m.group(0))))
        for m in _PLAIN_RUN.finditer(text)
        if text[: m.start()].strip() and text[m.end() :].strip()
    ]


def split(markup: str) -> list[str]:
    return _TAGS.split(markup)


def html_gaps(parts: list[str]) -> list[Gap]:
    """Gaps between pieces of text with more blank lines than allowed."""
    return [gap for gap in _all_gaps(parts) if gap.blank_lines > MAX_BLANK_LINES]


def has_extra_breaks(markup: str) -> bool:
    return bool(_HTML_HINT.search(markup)) and bool(html_gaps(split(markup)))


def collapse(markup: str) -> str:
    """The markup with every over-long gap cut down to one blank line; text is untouched."""
    if not _HTML_HINT.search(markup):
        return markup
    parts = split(markup)
    gaps = html_gaps(parts)
    if not gaps:
        return markup
    out: list[str] = []
    cursor = 0
    for gap in gaps:
        out.extend(parts[cursor : gap.first])
        out.extend(_one_blank_line(parts[gap.first : gap.last]))
        cursor = gap.last
    out.extend(parts[cursor:])
    return "".join(out)


def _tag(part: str) -> tuple[str, bool]:
    closing = part.startswith("</")
    name = part[2 if closing else 1 : -1].split(None, 1)
    return (name[0].rstrip("/").lower() if name else ""), closing


def _visible(part: str) -> bool:
    return bool(part.replace("&nbsp;", "").replace("&#160;", "").replace("\xa0", "").strip())


def _all_gaps(parts: list[str]) -> list[Gap]:
    gaps: list[Gap] = []
    counter = _Counter()
    last_text: int | None = None
    for index, part in enumerate(parts):
        if index % 2 == 0:
            if not _visible(part):
                continue
            blank = counter.at_text()
            if last_text is not None:
                gaps.append(Gap(last_text + 1, index, blank))
            last_text = index
            counter = _Counter(text_in_flow=True, open_blocks=counter.open_blocks)
        else:
            counter.tag(*_tag(part))
    return gaps


@dataclass
class _Block:
    name: str
    has_content: bool = False


@dataclass
class _Counter:
    """Blank lines since the last piece of text; see the module docstring."""

    text_in_flow: bool = False
    open_blocks: list[_Block] = field(default_factory=list)
    blank: int = 0
    breaks: int = 0
    margin: int = 0

    def __post_init__(self) -> None:
        if self.text_in_flow:  # text is content for every block around it
            for block in self.open_blocks:
                block.has_content = True

    def at_text(self) -> int:
        self._flush_margin()
        self._flush_breaks()
        return self.blank

    def tag(self, name: str, closing: bool) -> None:
        if name == "br":
            self._flush_margin()
            self.breaks += 1
            if self.open_blocks:
                self.open_blocks[-1].has_content = True
            return
        if name not in _MARGIN:
            return  # inline tags (b, i, a, span) change nothing
        self._flush_breaks()
        self.text_in_flow = False
        self.margin = max(self.margin, _MARGIN[name])
        if not closing:
            self.open_blocks.append(_Block(name))
            return
        for depth in range(len(self.open_blocks) - 1, -1, -1):
            if self.open_blocks[depth].name == name:
                had_content = self.open_blocks[depth].has_content
                del self.open_blocks[depth:]
                if not had_content and name in _LINE_BLOCKS:
                    self.blank += 1
                elif had_content and self.open_blocks:
                    self.open_blocks[-1].has_content = True
                return

    def _flush_margin(self) -> None:
        self.blank += self.margin
        self.margin = 0

    def _flush_breaks(self) -> None:
        if self.breaks:
            self.blank += max(self.breaks - (1 if self.text_in_flow else 0), 0)
            self.text_in_flow = False
            self.breaks = 0


def _one_blank_line(gap: list[str]) -> list[str]:
    """A gap's structure without its <br>s and empty blocks, plus what keeps one blank line.

    gap alternates tag, text, tag, ... (it starts and ends with a tag).
    """
    kept: list[str | None] = []
    opened: list[tuple[str, int]] = []  # open block tags within the gap, by position in kept
    for index, part in enumerate(gap):
        if index % 2:  # text in a gap is only spaces or &nbsp;
            continue
        name, closing = _tag(part)
        if name == "br":
            continue
        if name in _MARGIN and not closing:
            opened.append((name, len(kept)))
        elif name in _MARGIN and opened and opened[-1][0] == name:
            # Opened and closed inside the gap with nothing shown: an empty block.
            kept[opened.pop()[1]] = None
            continue
        kept.append(part)
    structure = [part for part in kept if part is not None]
    counter = _Counter(text_in_flow=True)
    for part in structure:
        counter.tag(*_tag(part))
    if counter.at_text() >= 1:
        return structure
    # No paragraph gap left: a <br> at the start of the next block, or two inline.
    filler = "<br>" if any(_tag(part)[0] in _MARGIN for part in structure) else "<br><br>"
    return [*structure, filler]
