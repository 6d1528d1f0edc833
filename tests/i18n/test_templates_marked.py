"""Every word a template shows is marked for translation.

The scanner (tests/i18n/template_text.py) is tested first on small templates, so that a
check that passes is known to be able to fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.i18n.template_text import unmarked_text

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# Text that reads the same in every language, with the reason it is not translated.
ALLOWED: dict[str, str] = {
    # The product's name, the same in every language; the page title appends it to the
    # page's own (base.html, 500.html, 503.html), the header shows it as the brand.
    "Message Center": "the product's name",
    "· Message Center": "the product's name after the page's title",
    "Message Center · Message Center": "the default page title: the product's name twice",
    # The seller workspace's keys (static/js/workspace.js): the letters on the keyboard.
    **dict.fromkeys(("j", "k", "r", "a", "n", "e", "?"), "a keyboard key"),
}


def _templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt"})


def _scan(tmp_path: Path, source: str) -> list[str]:
    path = tmp_path / "t.html"
    path.write_text(source, encoding="utf-8")
    return [u.text for u in unmarked_text(path)]


def test_every_template_marks_what_it_shows() -> None:
    found = [
        str(u.__class__(u.path.relative_to(settings.BASE_DIR), u.line, u.text))
        for path in _templates()
        for u in unmarked_text(path, frozenset(ALLOWED))
    ]
    assert not found, (
        "Text shown to people but not marked for translation (wrap it in {% translate %} or "
        "{% blocktranslate %}, then `make messages` and translate it):\n" + "\n".join(found)
    )


def test_scanner_finds_plain_words_in_text_and_in_attributes(tmp_path: Path) -> None:
    found = _scan(
        tmp_path,
        '<h1>Your inbox</h1>\n<input placeholder="Search messages" class="wide">\n'
        '<button aria-label="Close">×</button><input type="submit" value="Send">\n'
        '<img alt="Product photo" src="/x.png">',
    )
    assert found == ["Your inbox", "Search messages", "Close", "Send", "Product photo"]


def test_scanner_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    path.write_text("{% load i18n %}\n{% if x %}\n  <p>\n    Hello\n  </p>{% endif %}\n")
    assert [(u.line, u.text) for u in unmarked_text(path)] == [(4, "Hello")]


def test_scanner_accepts_marked_text_variables_symbols_and_code(tmp_path: Path) -> None:
    source = """{% load i18n %}
<title>{% translate "Inbox" %}</title>
<p>{% blocktranslate trimmed count n=count %}
  One message
{% plural %}
  {{ n }} messages
{% endblocktranslate %}</p>
<p>{{ message.subject }} · {{ when }} — 3/4 ×</p>
{% comment %}Not shown to anyone{% endcomment %}
<!-- nor this -->
<script>const label = "not checked here";</script>
<style>.a::after { content: "x"; }</style>
<a href="/orders/?status=open" class="button primary" data-kind="reply">{% translate "Reply" %}</a>
<input type="text" value="typed by a person" name="q" placeholder="{% translate 'Search' %}">
"""
    assert _scan(tmp_path, source) == []


def test_scanner_reads_text_between_tags_and_after_variables(tmp_path: Path) -> None:
    source = "{% if late %}<p>{{ name }} replied late</p>{% else %}Due {{ when }}{% endif %}"
    assert _scan(tmp_path, source) == ["replied late", "Due"]


def test_scanner_skips_a_block_written_inside_an_attribute(tmp_path: Path) -> None:
    source = (
        "{% block body_class %}page--narrow{% endblock %}{% block main %}<p>Hi</p>{% endblock %}"
    )
    assert _scan(tmp_path, source) == ["Hi"]


def test_allowed_text_is_not_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    path.write_text("<abbr>SKU</abbr><p>Unmarked</p>")
    assert [u.text for u in unmarked_text(path, frozenset({"SKU"}))] == ["Unmarked"]


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_loads_i18n_when_it_translates(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    if "{% translate" in source or "{% blocktranslate" in source or "{% trans " in source:
        assert "{% load" in source and "i18n" in source, (
            f"{path} translates without {{% load i18n %}}"
        )
