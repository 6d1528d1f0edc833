"""A note as the page shows it: the text escaped, line breaks kept, mentions marked.

Made once when the note is stored (``ConversationNote.body_html``). Notes take no
formatting, so nothing needs sanitizing: every character the writer typed is escaped.
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from messagecenter.notes.mentions import Mention


def note_html(body: str, mentions: list[Mention]) -> SafeString:
    """The body's HTML: paragraphs and line breaks as written, each mention of a teammate
    in a ``<strong class="note-mention">``; everything else is plain escaped text."""
    pieces: list[str] = []
    written = 0
    for mention in mentions:
        pieces.append(escape(body[written : mention.start]))
        pieces.append(
            format_html(
                '<strong class="note-mention" data-user="{}">{}</strong>',
                mention.user.pk,
                body[mention.start : mention.end],
            )
        )
        written = mention.end
    pieces.append(escape(body[written:]))
    html = "".join(pieces)
    paragraphs = [p.strip("\n") for p in html.split("\n\n") if p.strip()]
    # The joined pieces are escaped text and format_html's output only.
    return mark_safe(  # noqa: S308
        "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    )
