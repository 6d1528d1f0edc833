"""A person's language and time zone: which they are, how they are first set and chosen,
and how something written for them (a page, an email) is written in them.

Both are stored on the user. Blank means "not set yet": the language is first set at the
first login from the browser's Accept-Language (or the switcher's cookie); a blank time zone
is the marketplace's (settings.MARKETPLACE_TIME_ZONE, else TIME_ZONE) until the person
chooses theirs, so it follows the marketplace's if that changes.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone, translation

from messagecenter.accounts.models import User


def language_choices() -> list[tuple[str, str]]:
    """The languages a person may choose, each named in itself."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def is_language(code: str) -> bool:
    return any(code == known for known, _ in settings.LANGUAGES)


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted (read from disk once per process)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def is_time_zone(name: str) -> bool:
    # Looked up in the list rather than tried with ZoneInfo(): ZoneInfo also opens
    # paths such as "../x" relative to the zone directory.
    return name in _time_zone_set()


@lru_cache(maxsize=1)
def _time_zone_set() -> frozenset[str]:
    return frozenset(time_zone_names())


def marketplace_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.MARKETPLACE_TIME_ZONE or settings.TIME_ZONE)


def language_of(user: Any) -> str:
    """The user's language; the site's until they have one."""
    chosen = getattr(user, "language", "")
    return chosen if chosen and is_language(chosen) else settings.LANGUAGE_CODE


def zone_of(user: Any) -> zoneinfo.ZoneInfo:
    """The user's time zone; the marketplace's until they choose one."""
    chosen = getattr(user, "time_zone", "")
    return zoneinfo.ZoneInfo(chosen) if chosen and is_time_zone(chosen) else marketplace_zone()


@contextmanager
def in_the_locale_of(user: Any) -> Iterator[None]:
    """Write something for this person: their language for text, their zone for dates."""
    with translation.override(language_of(user)), timezone.override(zone_of(user)):
        yield


def locale_first_set(*, user: User, request: HttpRequest) -> None:
    """At the first login: the language the browser asks for (or the one chosen with the
    switcher before logging in). The time zone stays the marketplace's until chosen."""
    if user.language:
        return
    language = translation.get_language_from_request(request)
    # Only if still unset in the table: a choice saved meanwhile (another session) stays.
    if User.objects.filter(pk=user.pk, language="").update(language=language):
        user.language = language


def language_set(*, user: User, language: str) -> None:
    """The language chosen with the switcher."""
    if not is_language(language):
        raise ValueError(f"Unknown language {language!r}.")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def locale_set(*, user: User, language: str, time_zone: str) -> None:
    """The language and time zone chosen on the settings page."""
    if not is_time_zone(time_zone):
        raise ValueError(f"Unknown time zone {time_zone!r}.")
    if not is_language(language):
        raise ValueError(f"Unknown language {language!r}.")
    if (user.language, user.time_zone) != (language, time_zone):
        user.language, user.time_zone = language, time_zone
        user.save(update_fields=["language", "time_zone"])
