"""text.emoji: emoji in the subject or body of a seller's message.

What counts as an emoji (and what is a symbol written as text) is decided in
compliance.detect.emoji; this rule only reports each one where it was written.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from compliance.detect.emoji import find_emoji
from compliance.engine import Finding, RuleContext, rule

EMOJI_MESSAGE = _("Emoji can't be used in messages to buyers. Remove them and say it in words.")


@rule("text.emoji")
def emoji(ctx: RuleContext) -> Iterator[Finding]:
    """Emoji in the subject or body (what counts: compliance.detect.emoji)."""
    for location, text, _norm in ctx.texts():
        for start, end in find_emoji(text):
            yield Finding("text.emoji", str(EMOJI_MESSAGE), text[start:end], location, (start, end))
