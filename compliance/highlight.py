"""Mark the offending excerpts inside a message's HTML, for reviewers."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

_TOKEN = re.compile(r"<[^>]*>|[^<]+")


def highlight_excerpts(markup: str, excerpts: Iterable[str]) -> str:
    """The sanitized markup with each excerpt wrapped in <mark> where it appears in text.

    Only text between tags is touched, and it is escaped again, so the result is as safe
    as the sanitized input.
    """
    wanted = sorted({e.strip() for e in excerpts if e and e.strip()}, key=len, reverse=True)
    if not wanted:
        return markup
    pattern = re.compile("|".join(re.escape(e) for e in wanted), re.IGNORECASE)
    out = []
    for match in _TOKEN.finditer(markup):
        token = match.group(0)
        if token.startswith("<"):
            out.append(token)
            continue
        text = html.unescape(token)
        pieces, cursor = [], 0
        for hit in pattern.finditer(text):
            pieces.append(html.escape(text[cursor : hit.start()], quote=False))
            pieces.append("<mark>" + html.escape(hit.group(0), quote=False) + "</mark>")
            cursor = hit.end()
        pieces.append(html.escape(text[cursor:], quote=False))
        out.append("".join(pieces))
    return "".join(out)
