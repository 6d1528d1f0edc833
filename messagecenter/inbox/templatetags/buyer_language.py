"""``{% buyer_language buyer as code %}``: the language a buyer reads Message Center in, so
the seller knows which language to write in. Read from the buyer already on the page (no
query): the conversation's and the order's buyer are loaded with them."""

from __future__ import annotations

from django import template

from messagecenter.accounts.locale import language_of
from messagecenter.accounts.models import User

register = template.Library()


@register.simple_tag
def buyer_language(buyer: User) -> str:
    return language_of(buyer)
