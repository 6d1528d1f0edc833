"""Django's {# #} comment ends at the end of its line: one written over several lines is
not a comment at all, and its text lands on the page (inside a list, it also breaks the
list's accessibility). Longer notes use {% comment %}.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests import factories

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_SHORT_COMMENT = re.compile(r"\{#(.*?)#\}", re.S)


def test_no_template_has_a_short_comment_over_several_lines() -> None:
    broken = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)[:50]!r}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in _SHORT_COMMENT.finditer(path.read_text())
        if "\n" in match.group(1)
    ]
    assert not broken, "use {% comment %} for these:\n" + "\n".join(broken)


def test_a_conversation_row_shows_no_template_text(client, jordans_order, jordan) -> None:
    factories.buyer_message(jordans_order, "Is the duvet cover in stock?")
    client.force_login(jordan)
    page = client.get("/messages/").content.decode()
    assert "{#" not in page and "{% comment" not in page and "#}" not in page
