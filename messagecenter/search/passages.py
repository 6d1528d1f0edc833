"""A matching passage as HTML: everything escaped, then the private markers the database
put around the matching words (search/indexing.py keeps them out of every text) turned
into <mark>. Nothing a person wrote is ever passed through as markup."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from messagecenter.search.indexing import START_MARK, STOP_MARK


def passage_html(passage: str | None) -> SafeString:
    escaped = escape(" ".join((passage or "").split()))
    marked = escaped.replace(START_MARK, "<mark>").replace(STOP_MARK, "</mark>")
    # An unbalanced marker (a fragment cut inside a match) closes the mark it opened.
    if marked.count("<mark>") > marked.count("</mark>"):
        marked += "</mark>"
    return mark_safe(marked)  # noqa: S308 - escaped above; only our own <mark> added
