"""The one way an id that came with a request becomes a number.

Python's ``int()`` and ``str.isdigit()`` accept far more than an id: ``"²".isdigit()`` is
true yet ``int("²")`` fails, and ``int("٣")`` is 3. Ids from forms, query strings and JSON
are whole numbers written with the ASCII digits 0-9, at least 1 and small enough for a
database key; anything else is a bad request that says which id was wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_ID = 2**63 - 1  # the largest key a bigint column holds
_ASCII_ID = re.compile(r"[0-9]{1,19}", re.ASCII)
INVALID_ID_MESSAGE = gettext_lazy(
    "Ids are whole numbers written with the digits 0 to 9, such as 42."
)


def parse_id(value: object) -> int | None:
    """The id as an int, or None when the value is not one (surrounding spaces allowed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_ID.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


class InvalidId(BadRequest):
    """An id from the request is not an id: answered with 400 and this message."""

    def __init__(self, what: str, value: object) -> None:
        shown = str(value)
        if len(shown) > 40:
            shown = shown[:40] + "…"
        self.message = _("“%(value)s” is not a valid %(what)s id. %(rule)s") % {
            "value": shown,
            "what": what,
            "rule": INVALID_ID_MESSAGE,
        }
        super().__init__(self.message)


def id_from_request(value: object, *, what: str) -> int:
    """The id, or InvalidId naming ``what`` (\"business\", \"upload\"...) for the person."""
    number = parse_id(value)
    if number is None:
        raise InvalidId(what, value)
    return number


def ids_from_request(values: Iterable[object], *, what: str) -> list[int]:
    """Every value as an id, in order and without repeats; InvalidId for the first bad one."""
    return list(dict.fromkeys(id_from_request(value, what=what) for value in values))


class IdField(forms.Field):
    """A form field holding one id, parsed by ``parse_id``."""

    default_error_messages = {"invalid": INVALID_ID_MESSAGE}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_id(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IdModelChoiceField(forms.ModelChoiceField):
    """A choice of object by id that only reads ASCII ids (``int()`` would take "٣")."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)
