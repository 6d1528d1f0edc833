"""The seller team's page of where each topic goes (threads/topic_routing.py).

Every member sees it; only the business's owners change it. Someone who works for no
seller gets a 404, as for any page that is not theirs; an agent who posts a change gets a
403 (they can see the page, so there is nothing to hide).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.errors import UserFacingError
from messagecenter.core.ids import id_from_request
from messagecenter.inbox.routing_forms import TopicRoutingForm
from messagecenter.threads.topic_routing import (
    BusinessRouting,
    routing_for_member,
    topic_routing_save,
)


def _chosen(sections: list[BusinessRouting], business_id: int) -> BusinessRouting:
    """The user's business named in the form; 404 for any other."""
    for section in sections:
        if section.business.pk == business_id:
            return section
    raise Http404("No such business.")


@login_required
@require_http_methods(["GET", "POST"])
def topic_routing(request: AuthenticatedHttpRequest) -> HttpResponse:
    sections = routing_for_member(request.user)
    if not sections:
        raise Http404("No such page.")
    invalid: dict[int, TopicRoutingForm] = {}
    if request.method == "POST":
        section = _chosen(
            sections, id_from_request(request.POST.get("business"), what=_("business"))
        )
        if not section.can_change:
            raise PermissionDenied("Only an owner can change where topics go.")
        form = TopicRoutingForm(section, request.POST)
        if form.is_valid():
            try:
                topic_routing_save(business=section.business, routes=form.routes(), by=request.user)
            except UserFacingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Saved: new conversations of %(business)s go where you chose.")
                    % {"business": section.business.name},
                )
                return redirect("topic_routing")
        invalid[section.business.pk] = form
    pages = [
        {"routing": s, "form": invalid.get(s.business.pk) or TopicRoutingForm(s)} for s in sections
    ]
    return render(
        request,
        "inbox/topic_routing.html",
        {"sections": pages},
        status=400 if invalid else 200,
    )
