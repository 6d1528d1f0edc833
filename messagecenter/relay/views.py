"""The seller's page of addresses that may send email for their business.

Decided: every member (owner or agent) sees the list, because agents need to know which
address to reply from; only owners add and remove addresses. Someone who is not on any
seller team gets a 404, as for any page that is not theirs; an agent who posts a change
gets a 403 (they can see the page, so there is nothing to hide).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.errors import UserFacingError
from messagecenter.core.ids import id_from_request
from messagecenter.relay.approved_senders import (
    BusinessSenders,
    approved_sender_add,
    approved_sender_remove,
    senders_for_member,
)
from messagecenter.relay.forms import ApprovedSenderForm
from messagecenter.relay.models import ApprovedSender


def _form_for(business_id: int, data: QueryDict | None = None) -> ApprovedSenderForm:
    # One form per business on the page; ids stay unique, the field name stays "email".
    return ApprovedSenderForm(data, auto_id=f"id_business{business_id}_%s")


def _chosen(sections: list[BusinessSenders], business_id: int) -> BusinessSenders:
    """The user's business named in the form; 404 for any other."""
    for section in sections:
        if section.business.pk == business_id:
            return section
    raise Http404("No such business.")


@login_required
@require_http_methods(["GET", "POST"])
def approved_senders(request: AuthenticatedHttpRequest) -> HttpResponse:
    sections = senders_for_member(request.user)
    if not sections:
        raise Http404("No such page.")
    invalid: dict[int, ApprovedSenderForm] = {}
    if request.method == "POST":
        section = _chosen(
            sections, id_from_request(request.POST.get("business"), what=_("business"))
        )
        if not section.can_manage:
            raise PermissionDenied("Only an owner can change the approved addresses.")
        business = section.business
        if request.POST.get("action") == "remove":
            sender_id = id_from_request(
                request.POST.get("approved_sender"), what=_("sending address")
            )
            entry = ApprovedSender.objects.filter(pk=sender_id, business=business).first()
            if entry is None:
                raise Http404("No such address.")
            approved_sender_remove(approved_sender=entry)
            messages.success(
                request, f"{entry.email} can no longer send email for {business.name}."
            )
            return redirect("approved_senders")
        form = _form_for(business.pk, request.POST)
        if form.is_valid():
            try:
                added = approved_sender_add(
                    business=business,
                    email=form.cleaned_data["email"],
                    added_by=request.user,
                )
            except UserFacingError as error:
                form.add_error("email", error.message)
            else:
                messages.success(request, f"{added.email} can now send email for {business.name}.")
                return redirect("approved_senders")
        invalid[business.pk] = form
    pages = [
        {"senders": s, "form": invalid.get(s.business.pk) or _form_for(s.business.pk)}
        for s in sections
    ]
    return render(
        request,
        "relay/approved_senders.html",
        {"sections": pages},
        status=400 if invalid else 200,
    )
