"""format.line_breaks, format.font_sizes and format.styling: how a seller's message looks.

Buyers see every message in the marketplace's own style. The sanitizer already drops
style attributes and <font> tags from what is delivered; these rules read the body as
written (ctx.raw_html) so the sender learns what was removed, and block what cannot be
fixed silently.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from compliance.detect import line_breaks
from compliance.detect.raw_html import RawElement
from compliance.engine import Finding, RuleContext, body_fix, rule
from compliance.sanitize import looks_like_html

_DECLARATION = re.compile(r"([a-zA-Z-]+)\s*:\s*([^;{}]*)")
_FONT_SIZE_IN_SHORTHAND = re.compile(
    r"(?:^|\s)((?:\d*\.)?\d+(?:px|pt|em|rem|%|ex|vw|vh)|(?:xx?-)?(?:small|large)|medium"
    r"|smaller|larger)(?:\s*/|\s|$)",
    re.IGNORECASE,
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# What each kind of styling is called in the message to the sender.
_STYLE_NAMES = {
    "font": pgettext_lazy("a style setting", "font"),
    "text colour": pgettext_lazy("a style setting", "text colour"),
    "background colour": pgettext_lazy("a style setting", "background colour"),
    "line height": pgettext_lazy("a style setting", "line height"),
    "alignment": pgettext_lazy("a style setting", "alignment"),
}
_STYLING = {
    "font-family": "font",
    "font": "font",
    "color": "text colour",
    "background-color": "background colour",
    "line-height": "line height",
    "text-align": "alignment",
}
_MAX_FONT_SIZES = 3
_EXCERPTS = 3
_CONTEXT = 24


@rule("format.line_breaks")
def extra_line_breaks(ctx: RuleContext) -> Iterator[Finding]:
    """More than two line breaks in a row: newlines in plain text, <br> runs and empty
    paragraphs in HTML (how they are counted: compliance.detect.line_breaks)."""
    raw = ctx.raw_body
    if not looks_like_html(raw):
        for start, end, breaks in line_breaks.plain_text_runs(raw):
            yield Finding(
                "format.line_breaks",
                _line_breaks_message(breaks),
                raw[max(0, start - _CONTEXT) : end + _CONTEXT].strip(),
            )
        return
    markup = ctx.body.markup
    if not line_breaks.has_extra_breaks(markup):
        return
    parts = line_breaks.split(markup)
    for gap in line_breaks.html_gaps(parts):
        before = html.unescape(parts[gap.first - 1])[-_CONTEXT:]
        after = html.unescape(parts[gap.last])[:_CONTEXT]
        excerpt = before + "".join(parts[gap.first : gap.last]) + after
        yield Finding(
            "format.line_breaks", _line_breaks_message(gap.blank_lines + 1), excerpt.strip()
        )


@body_fix("format.line_breaks")
def collapse_line_breaks(body_html: str) -> str:
    """Cut every run of blank lines in the delivered HTML down to one blank line."""
    return line_breaks.collapse(body_html)


def _line_breaks_message(breaks: int) -> str:
    return _(
        "There are {breaks} line breaks in a row here; use at most two (one blank line between "
        "paragraphs)."
    ).format(breaks=breaks)


@rule("format.font_sizes")
def font_sizes(ctx: RuleContext) -> Iterator[Finding]:
    """More than three different font sizes in the text as written: font-size styles,
    <font size>, <small>/<big> and heading levels; plain text counts as one size."""
    raw = ctx.raw_html
    sizes: dict[str, str] = {}  # size -> the markup that set it first
    for run in raw.text_runs:
        size, markup = "normal text", ""
        for element in reversed(run.open_elements):
            found = _font_size(element)
            if found:
                size, markup = found, element.markup
                break
        sizes.setdefault(size, markup)
    for sheet in raw.style_sheets:
        for name, value in _DECLARATION.findall(sheet):
            found = _size_in_declaration(name, value)
            if found:
                sizes.setdefault(found, f"{name}: {value.strip()}")
    if len(sizes) > _MAX_FONT_SIZES:
        setters = [markup for markup in sizes.values() if markup]
        yield Finding(
            "format.font_sizes",
            _(
                "The message uses {count} different font sizes ({sizes}); use at most {limit}."
            ).format(count=len(sizes), sizes=", ".join(sizes), limit=_MAX_FONT_SIZES),
            " … ".join(setters[: _EXCERPTS + 1]),
        )


def _font_size(element: RawElement) -> str:
    if element.tag in _HEADINGS:
        return f"heading {element.tag[1]}"
    if element.tag in {"small", "big"}:
        return element.tag
    if element.tag == "font" and element.attr("size").strip():
        return f"size {element.attr('size').strip()}"
    style = element.attr("style")
    if "font" in style.lower():
        for name, value in _DECLARATION.findall(style):
            found = _size_in_declaration(name, value)
            if found:
                return found
    return ""


def _size_in_declaration(name: str, value: str) -> str:
    name, value = name.lower(), value.strip().lower()
    if name == "font-size":
        return "".join(value.replace("!important", "").split())
    if name == "font":
        match = _FONT_SIZE_IN_SHORTHAND.search(value)
        return match.group(1) if match else ""
    return ""


@rule("format.styling")
def styling(ctx: RuleContext) -> Iterator[Finding]:
    """Markup that overrides font family, colour, line height or alignment. The sanitizer
    removes all of it from the delivered message; the finding says what was removed."""
    raw = ctx.raw_html
    what: dict[str, None] = {}  # ordered set of what is overridden
    excerpts: list[str] = []
    for element in raw.elements:
        found = _styling_of(element)
        if found:
            what.update(dict.fromkeys(found))
            excerpts.append(element.markup)
    for sheet in raw.style_sheets:
        for name, value in _DECLARATION.findall(sheet):
            if name.lower() in _STYLING:
                what[_STYLING[name.lower()]] = None
                excerpts.append(f"{name}: {value.strip()}")
    if what:
        yield Finding(
            "format.styling",
            _(
                "The message sets its own {settings}; buyers see every message in the "
                "marketplace's standard style, so these settings are removed. Bold, italics, "
                "underline, lists and headings are fine."
            ).format(settings=get_text_list([str(_STYLE_NAMES[w]) for w in what], _("and"))),
            " … ".join(excerpts[:_EXCERPTS]),
        )


def _styling_of(element: RawElement) -> list[str]:
    found: list[str] = []
    for name, value in _DECLARATION.findall(element.attr("style")):
        name = name.lower()
        if name in _STYLING:
            found.append(_STYLING[name])
        elif name == "background" and re.sub(r"url\([^)]*\)", "", value).strip():
            found.append("background colour")
    if element.tag == "font":
        if element.attr("face").strip():
            found.append("font")
        if element.attr("color").strip():
            found.append("text colour")
    if element.attr("align").strip() or element.tag == "center":
        found.append("alignment")
    if element.attr("bgcolor").strip():
        found.append("background colour")
    return found
