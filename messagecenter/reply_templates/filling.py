"""The templates offered in a seller's compose box, filled for the conversation or order
at hand: the text to insert, and which placeholders this order has no value for."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext

from messagecenter.reply_templates.placeholders import fill
from messagecenter.reply_templates.selectors import templates_of_business
from messagecenter.reply_templates.values import placeholder_values
from messagecenter.threads.models import Conversation
from orders.models import Order


def _missing_note(missing: tuple[str, ...]) -> str:
    if not missing:
        return ""
    names = ", ".join("{" + name + "}" for name in missing)
    return ngettext(
        "There is no value for %(names)s here: it was left in the text. Replace it before "
        "you send.",
        "There are no values for %(names)s here: they were left in the text. Replace them "
        "before you send.",
        len(missing),
    ) % {"names": names}


def filled_templates(
    *, conversation: Conversation | None, order: Order | None
) -> list[dict[str, Any]]:
    """The business's templates filled for a conversation (its order or product), or for
    an order without one yet. Two queries at most (the order's lines, the templates),
    however many templates."""
    if conversation is not None:
        order = conversation.order
        buyer, seller, product = conversation.buyer, conversation.seller, conversation.product
    else:
        assert order is not None
        buyer, seller, product = order.buyer, order.seller, None
    values = placeholder_values(buyer=buyer, seller=seller, order=order, product=product)
    result = []
    for template in templates_of_business(seller.pk):
        filled = fill(template.body, values)
        result.append(
            {
                "id": template.pk,
                "name": template.name,
                "types": template.message_types,
                "text": filled.text,
                "missing": list(filled.missing),
                "note": _missing_note(filled.missing),
            }
        )
    return result


def no_templates_note() -> str:
    return gettext("Your team has no templates yet.")
