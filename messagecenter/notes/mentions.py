"""Finding the teammates a note mentions: "@" followed by a team member's name.

The rule, for the writer and the docs alike:

- Each active member of the seller's team answers to their full name (the name their team
  sees: the display name, else first and last name) and to their first name (the first
  name, else the display name's first word). "@Avery Lee" and "@Avery" both name Avery Lee.
- Matching ignores case and accents: "@avery", "@AVERY" and "@Avéry" name Avery; "@Zoe"
  names Zoë.
- The longest name wins: "@Avery Lee" is Avery Lee even when another Avery works there.
- A name two members share (two Averys) names nobody: write the full name.
- The name must end where a word ends ("@Averyx" names nobody), and the "@" must start a
  word (an email address such as "help@avery.example" mentions nobody).
- Anyone outside the team (the buyer, another seller's staff) is never a candidate: their
  name stays plain text and nobody is told.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from messagecenter.accounts.models import User


@dataclass(frozen=True)
class Mention:
    """A teammate named in a text: ``text[start:end]`` is the "@" and the name."""

    start: int
    end: int
    user: User


def folded(text: str) -> str:
    """The text compared without case or accents, one character for each of ``text``'s
    (so a match's position is its position in the text)."""
    return "".join(_fold_char(char) for char in text)


def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    lowered = base.lower()
    if len(lowered) == 1:
        return lowered
    # One character for one, so positions in the folded text are positions in the text: a
    # character whose folding is longer or empty (ﬁ, a lone accent) is kept as written.
    return char.lower() if len(char.lower()) == 1 else char


def names_of(member: User) -> set[str]:
    """The names a member answers to after "@": full name and first name."""
    full = (member.display_name or f"{member.first_name} {member.last_name}").strip()
    first = member.first_name.strip() or (full.split()[0] if full else "")
    return {name for name in (full, first) if name}


def _handles(members: Iterable[User]) -> list[tuple[str, User]]:
    """Each folded name that names exactly one member, longest first."""
    owners: defaultdict[str, dict[int, User]] = defaultdict(dict)
    for member in members:
        for name in names_of(member):
            owners[folded(" ".join(name.split()))][member.pk] = member
    unique = [
        (name, next(iter(people.values()))) for name, people in owners.items() if len(people) == 1
    ]
    return sorted(unique, key=lambda handle: -len(handle[0]))


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def find_mentions(text: str, members: Iterable[User]) -> list[Mention]:
    """The mentions of ``members`` in ``text``, in order of appearance."""
    handles = _handles(members)
    if not handles:
        return []
    haystack = folded(text)
    found: list[Mention] = []
    position = haystack.find("@")
    while position != -1:
        start_of_word = position == 0 or not _is_word_char(haystack[position - 1])
        match = _handle_at(haystack, position + 1, handles) if start_of_word else None
        if match is not None:
            end, person = match
            found.append(Mention(start=position, end=end, user=person))
            position = haystack.find("@", end)
        else:
            position = haystack.find("@", position + 1)
    return found


def _handle_at(
    haystack: str, start: int, handles: list[tuple[str, User]]
) -> tuple[int, User] | None:
    """The longest handle written at ``start`` that ends a word: (its end, its member)."""
    for name, person in handles:
        end = start + len(name)
        if haystack[start:end] == name and (
            end == len(haystack) or not _is_word_char(haystack[end])
        ):
            return end, person
    return None
