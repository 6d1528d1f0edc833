"""Reading reply templates: a team's list, and the ones offered in a compose box."""

from __future__ import annotations

from dataclasses import dataclass

from messagecenter.accounts.models import SellerBusiness, User
from messagecenter.accounts.selectors import businesses_for_member
from messagecenter.reply_templates.models import ReplyTemplate


@dataclass(frozen=True)
class BusinessTemplates:
    business: SellerBusiness
    templates: list[ReplyTemplate]


def templates_for_member(user: User) -> list[BusinessTemplates]:
    """Each business the user works for, with its templates by name: two queries, however
    many businesses and templates."""
    businesses = list(businesses_for_member(user).order_by("name"))
    by_business: dict[int, list[ReplyTemplate]] = {b.pk: [] for b in businesses}
    rows = ReplyTemplate.objects.filter(business__in=businesses).select_related(
        "created_by", "updated_by"
    )
    for template in rows:
        by_business[template.business_id].append(template)
    return [BusinessTemplates(b, by_business[b.pk]) for b in businesses]


def templates_of_business(business_id: int) -> list[ReplyTemplate]:
    """A business's templates by name, in one query."""
    return list(ReplyTemplate.objects.filter(business_id=business_id))
