"""Which teammates "@" + a name mentions (notes/mentions.py states the rule)."""

from __future__ import annotations

from messagecenter.accounts.models import User
from messagecenter.notes.mentions import find_mentions


def _person(pk: int, display_name: str = "", first: str = "", last: str = "") -> User:
    return User(pk=pk, display_name=display_name, first_name=first, last_name=last)


AVERY = _person(1, "Avery Lee")
SAM = _person(2, "Sam Carter")
ZOE = _person(3, first="Zoë", last="Brandt")
TEAM = [AVERY, SAM, ZOE]


def _named(text: str, team: list[User] = TEAM) -> list[tuple[str, int]]:
    return [(text[m.start : m.end], m.user.pk) for m in find_mentions(text, team)]


def test_a_full_name_and_a_first_name_both_mention_the_teammate():
    assert _named("@Avery Lee please check, and @Sam too") == [("@Avery Lee", 1), ("@Sam", 2)]


def test_case_and_accents_do_not_matter():
    assert _named("@avery, @SAM and @Zoe and @zoë brandt") == [
        ("@avery", 1),
        ("@SAM", 2),
        ("@Zoe", 3),
        ("@zoë brandt", 3),
    ]


def test_a_first_name_two_teammates_share_mentions_nobody_but_the_full_name_does():
    other_avery = _person(4, "Avery Stone")
    team = [*TEAM, other_avery]
    assert _named("@Avery can you look?", team) == []
    assert _named("@Avery Stone can you look?", team) == [("@Avery Stone", 4)]


def test_the_name_must_end_a_word_and_the_at_sign_start_one():
    assert _named("@Averyx and help@avery.example and @Sam_") == []
    assert _named("(@Avery)") == [("@Avery", 1)]


def test_someone_outside_the_team_is_never_mentioned():
    assert _named("@Jordan Miles and @Maria") == []


def test_a_member_without_a_name_is_never_matched():
    assert _named("@ and @@", [_person(5)]) == []
