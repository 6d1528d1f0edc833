"""Finds the words a template shows people without marking them for translation.

A template is read the way Django reads it (its lexer), and every piece of it that is not
plain text (a variable, a tag, anything between {% blocktranslate %} and its end, a
comment) is replaced by a marker that keeps its line breaks. What remains is the text the
template itself writes; an HTML parser then walks it, so that text inside elements and the
attributes people read (placeholder, title, aria-label, alt, a button's value) are checked,
and scripts, styles, class names and URLs are not. Any of that text that still holds a
letter was written in English only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# Stands in for everything the template language produces or translates.
_DYNAMIC = "\x00"
_LETTER = re.compile(r"[^\W\d_]")

# Text between these tags is translated (or not shown) as a whole.
_OPENS = {"blocktranslate", "blocktrans", "comment", "verbatim"}
_CLOSES = {"endblocktranslate", "endblocktrans", "endcomment", "endverbatim"}
# Blocks that base.html writes inside an attribute (<body class="{% block body_class %}">):
# their text is a class name, not words.
_ATTRIBUTE_BLOCKS = {"body_class"}

# Attributes whose value is read by people or by their screen readers.
_READ_ATTRIBUTES = {
    "placeholder",
    "title",
    "alt",
    "label",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "aria-placeholder",
}
_BUTTON_INPUTS = {"submit", "button", "reset"}
_SILENT_ELEMENTS = {"script", "style"}


@dataclass(frozen=True)
class Unmarked:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def template_skeleton(source: str) -> str:
    """The template's own text, with every tag, variable and translated block replaced by
    a marker that keeps its line breaks (so the parser's line numbers stay the file's)."""
    parts: list[str] = []
    skipping: list[str] = []  # the tags whose text is not checked, innermost last
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name, _, rest = token.contents.strip().partition(" ")
            if name in _OPENS or (name == "block" and rest.strip() in _ATTRIBUTE_BLOCKS):
                skipping.append(name)
            elif skipping and (name in _CLOSES or (name == "endblock" and skipping[-1] == "block")):
                skipping.pop()
        if token.token_type == TokenType.TEXT and not skipping:
            parts.append(token.contents)
        else:
            parts.append(_DYNAMIC + "\n" * token.contents.count("\n"))
    return "".join(parts)


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._silent = 0

    def _check(self, text: str) -> None:
        shown = " ".join(text.replace(_DYNAMIC, " ").split())
        if _LETTER.search(shown):
            # Data starts where the previous tag ended; report the line its words are on.
            before = text[: len(text) - len(text.lstrip())].count("\n")
            self.found.append((self.getpos()[0] + before, shown))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SILENT_ELEMENTS:
            self._silent += 1
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            is_button_text = name == "value" and values.get("type") in _BUTTON_INPUTS
            if name in _READ_ATTRIBUTES or (tag == "input" and is_button_text):
                self._check(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SILENT_ELEMENTS:
            self._silent -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SILENT_ELEMENTS and self._silent:
            self._silent -= 1

    def handle_data(self, data: str) -> None:
        if not self._silent:
            self._check(data)


def unmarked_text(path: Path, allowed: frozenset[str] = frozenset()) -> list[Unmarked]:
    """Every piece of text in the template at ``path`` that people see untranslated."""
    finder = _TextFinder()
    finder.feed(template_skeleton(path.read_text(encoding="utf-8")))
    finder.close()
    return [Unmarked(path, line, text) for line, text in finder.found if text not in allowed]
