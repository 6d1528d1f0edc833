"""Form widgets written in Python with the markup of Django's own: a select box for long
lists of options, and the inputs of the message forms shown on every conversation page.

Django renders a template (and an attributes template) per widget and per option; these
write the same HTML straight from the values, every value and attribute escaped."""

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


class PlainTextInput(forms.TextInput):
    """Django's text input with the same markup, written without its templates."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        shown = self.format_value(value)
        value_attr = "" if shown is None else f' value="{escape(str(shown))}"'
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308 - the name, the value and the attributes are escaped
            f'<input type="{self.input_type}" name="{escape(name)}"{value_attr}{attributes}>'
        )


class PlainTextarea(forms.Textarea):
    """Django's textarea with the same markup, written without its templates."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        shown = self.format_value(value)
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        text = escape(str(shown)) if shown else ""
        return mark_safe(  # noqa: S308 - the name, the attributes and the text are escaped
            f'<textarea name="{escape(name)}"{attributes}>\n{text}</textarea>'
        )


class PlainFileInput(forms.ClearableFileInput):
    """Django's file input with the same markup, written without its templates, for a
    field that never shows a file already kept (no "Currently: …, Clear")."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if self.is_initial(value):
            return super().render(name, value, attrs, renderer)
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308 - the name and the attributes are escaped
            f'<input type="{self.input_type}" name="{escape(name)}"{attributes}>'
        )
