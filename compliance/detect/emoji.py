"""Find emoji in text: pictographs, faces, flags, keycaps and their ZWJ sequences.

What counts (the project's choice, see test_rules_media_format.py):
- characters that show as emoji by default (Unicode's Emoji_Presentation: 😀, 👍, ✅, ⭐,
  ☕, flags from regional indicators), with skin tones, ZWJ sequences and tag sequences
  taken as one;
- keycaps ("1️⃣", "#️⃣");
- ❤, ☺ and ☹, which people type as emoji even without the emoji variation selector;
- any other symbol when followed by the emoji variation selector U+FE0F ("✔️", "☎️", "™️").
Not emoji: ©, ®, ™, °, the multiplication sign, →, ✓, ★, ♥ and other symbols written as
text.
"""

from __future__ import annotations

import re

_ALWAYS = (
    "\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f"
    "\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5"
    "\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797"
    "\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\u2764\u263a\u2639"
    "\U0001f004\U0001f0cf\U0001f18e\U0001f191-\U0001f19a\U0001f1e6-\U0001f1ff\U0001f201"
    "\U0001f21a\U0001f22f\U0001f232-\U0001f236\U0001f238-\U0001f23a\U0001f250\U0001f251"
    "\U0001f300-\U0001f64f\U0001f680-\U0001f6ff\U0001f7e0-\U0001f7eb\U0001f7f0"
    "\U0001f90c-\U0001f9ff\U0001fa70-\U0001faff"
)
# Symbols that are text unless followed by U+FE0F.
_TEXT_DEFAULT = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff"
    "\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001f2ff\U0001f650-\U0001f67f\U0001f700-\U0001f8ff"
)
_MODIFIERS = "[\U0001f3fb-\U0001f3ff\ufe0f\U000e0020-\U000e007f]*"
_BASE = rf"(?:[{_ALWAYS}]|[{_TEXT_DEFAULT}]\ufe0f|[0-9#*]\ufe0f?\u20e3)"
_ONE = rf"{_BASE}{_MODIFIERS}(?:\u200d[{_ALWAYS}{_TEXT_DEFAULT}]{_MODIFIERS})*"
# Neighbouring emoji (with spaces between) are one finding: "🎉 🎁 🙂".
EMOJI_RUN = re.compile(rf"{_ONE}(?:[^\S\n]*{_ONE})*")


def find_emoji(text: str) -> list[tuple[int, int]]:
    """Spans of text that are emoji, neighbours merged."""
    if text.isascii():
        return []
    return [match.span() for match in EMOJI_RUN.finditer(text)]
