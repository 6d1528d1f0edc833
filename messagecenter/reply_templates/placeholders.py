"""Placeholders in a reply template: which there are, how a body is read for them, and
how a body is filled with an order's values.

A placeholder is a name in braces, ``{buyer_name}``. ``{{`` and ``}}`` stand for a brace
of their own. Any other brace, or a name not in ``PLACEHOLDERS``, is an error named on
save, so a template can never send "{deliverydate}" for want of a typo being noticed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from messagecenter.core.errors import UserFacingError

# Each placeholder with what it is filled with, in the order the templates page lists them.
PLACEHOLDERS: dict[str, str | Promise] = {
    "buyer_name": _("the buyer's name"),
    "order_number": _("the order number"),
    "product": _("the ordered products' titles (or the product asked about)"),
    "order_date": _("the date of the order"),
    "ship_date": _("the date the order shipped"),
    "delivery_date": _("the delivery date, or the expected delivery dates"),
    "seller_name": _("your business's name"),
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")


@dataclass(frozen=True)
class Filled:
    """A body with its placeholders filled. ``missing`` names those this order has no
    value for (no order, not shipped yet); they are left in ``text`` as written."""

    text: str
    missing: tuple[str, ...] = ()


def placeholders_in(body: str) -> list[str]:
    """The placeholders a body uses, each once, in order of appearance.

    Raises UserFacingError (field "body") naming the first unknown or malformed one.
    """
    found: list[str] = []
    for match in _TOKEN.finditer(body):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            raise UserFacingError(
                gettext(
                    "The brace “%(brace)s” at character %(position)d is not part of a "
                    "placeholder. Write placeholders like {buyer_name}, and {{ or }} for a "
                    "brace of its own."
                )
                % {"brace": token, "position": match.start() + 1},
                field="body",
            )
        if name not in PLACEHOLDERS:
            raise UserFacingError(
                gettext("Unknown placeholder {%(name)s}. You can use: %(known)s.")
                % {"name": name, "known": known_placeholders_text()},
                field="body",
            )
        if name not in found:
            found.append(name)
    return found


def known_placeholders_text() -> str:
    return ", ".join("{" + name + "}" for name in PLACEHOLDERS)


def fill(body: str, values: Mapping[str, str | None]) -> Filled:
    """The body with each placeholder replaced by its value; a placeholder without a value
    stays as written and is named in ``missing``. The body is assumed valid
    (``placeholders_in`` on save)."""
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        value = values.get(name) if name is not None else None
        if name is None or value is None or value == "":
            if name is not None and name not in missing:
                missing.append(name)
            return token
        return value

    return Filled(text=_TOKEN.sub(replace, body), missing=tuple(missing))
