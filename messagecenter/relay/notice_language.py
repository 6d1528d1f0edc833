"""Which language a notice to a bare address is written in.

The relay's notices (blocked, held, refused, a mail loop) and a sending address's
confirmation go to an address, not to an account: it may be a team member's, or an approved
address nobody logs in with. In that order:
- the language of the active user with that address, if they have chosen one;
- the language the email declared (Content-Language, else Accept-Language), if it is one of
  the marketplace's: what the writer's mail program says they write and read;
- the marketplace's default (settings.LANGUAGE_CODE).
Dates are in that user's zone, else the marketplace's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message

from django.conf import settings
from django.utils import timezone, translation

from messagecenter.accounts.locale import is_language, marketplace_zone, zone_of
from messagecenter.accounts.models import User

# Read from the inbound email, most telling first: the language it is written in, then the
# ones its writer reads.
_LANGUAGE_HEADERS = ("Content-Language", "Accept-Language")


def _ranked(value: str) -> list[str]:
    """The tags of a header value, by preference: "fr-CH, de;q=0.8" -> ["fr-ch", "de"]."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(value.split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        if tag.strip() and weight > 0:
            ranked.append((-weight, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(ranked)]


def declared_language(message: Message) -> str:
    """The first of the marketplace's languages the email's headers name; "" if none."""
    for header in _LANGUAGE_HEADERS:
        for value in message.get_all(header) or ():
            for tag in _ranked(str(value)):
                for code in (tag, tag.split("-")[0]):
                    if is_language(code):
                        return code
    return ""


def _owner(address: str) -> User | None:
    if not address:
        return None
    return User.objects.filter(email__iexact=address, is_active=True).order_by("pk").first()


def _chosen(owner: User | None, declared: str) -> str:
    if owner is not None and owner.language and is_language(owner.language):
        return owner.language
    if declared and is_language(declared):
        return declared
    return settings.LANGUAGE_CODE


def notice_language(address: str, declared: str = "") -> str:
    """The language a notice to this address is written in: see the module docstring."""
    return _chosen(_owner(address), declared)


@contextmanager
def in_the_locale_for_address(address: str, declared: str = "") -> Iterator[None]:
    """Write a notice to this address: its language, and its owner's zone for dates."""
    owner = _owner(address)
    zone = zone_of(owner) if owner is not None else marketplace_zone()
    with translation.override(_chosen(owner, declared)), timezone.override(zone):
        yield
