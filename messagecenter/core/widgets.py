"""A select box written in Python, for long lists of options."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe


class PlainSelect(forms.Select):
    """Django's select box with the same markup, written straight from the choices.

    Django builds a dictionary and renders a template for every option; a filter that
    lists every seller business of the marketplace spent most of its page doing that.
    Every value and label is escaped here (html.escape: the same five characters as
    Django's escape, without its lazy-string wrapper, which costs more than the escaping).
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        parts = [f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape(str(option_value))}">')
                parts.extend(self._options(label, chosen))
                parts.append("</optgroup>")
            else:
                parts.extend(self._options([(option_value, label)], chosen))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above

    def _options(self, choices: Iterable[tuple[Any, Any]], chosen: set[str]) -> Iterable[str]:
        for value, label in choices:
            text = "" if value is None else str(value)
            yield self.option(text, str(label), text in chosen)

    def option(self, value: str, label: str, selected: bool) -> str:
        """One option's markup, escaped here. A subclass may change its label or add
        attributes after ``selected``, where Django's own options have theirs."""
        chosen = " selected" if selected else ""
        return f'<option value="{escape(value)}"{chosen}>{escape(label)}</option>'
