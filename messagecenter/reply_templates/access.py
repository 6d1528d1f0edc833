"""The one door to a reply template: the members of its business, owners and agents
alike, may open it. "Not yours" and "does not exist" both raise Http404, so nothing of
another business's templates leaks through the answer."""

from __future__ import annotations

from django.http import Http404

from messagecenter.accounts.models import User
from messagecenter.accounts.selectors import membership_known
from messagecenter.reply_templates.models import ReplyTemplate


def access_template_as_member(user: User, template_id: int) -> ReplyTemplate:
    """A template of one of the user's seller businesses, with its business."""
    if not user.is_authenticated:
        raise Http404("No such template.")
    template = (
        ReplyTemplate.objects.select_related("business", "created_by", "updated_by")
        .filter(pk=template_id, business__memberships__user=user)
        .first()
    )
    if template is None:
        raise Http404("No such template.")
    membership_known(user, template.business_id)
    return template
