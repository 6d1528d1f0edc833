"""The seller's page of addresses that may send email for their business.

Decided: every member (owner or agent) sees the list, because agents need to know which
address to reply from; only owners add and remove addresses. Someone who is not on any
seller team gets a 404, as for any page that is not theirs; an agent who posts a change
gets a 403 (they can see the page, so there is nothing to hide).

The confirmation link works without signing in: whoever reads the mailbox proves it by
opening the link (a shared support mailbox often has no marketplace login). Opening it
shows a button; only the POST confirms, so a mail scanner that fetches links confirms
nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.errors import UserFacingError
from messagecenter.core.ids import id_from_request
from messagecenter.relay.approved_senders import (
    BusinessSenders,
    approved_sender_add,
    approved_sender_confirm,
    approved_sender_remove,
    approved_sender_resend_confirmation,
    senders_for_member,
)
from messagecenter.relay.forms import ApprovedSenderForm
from messagecenter.relay.models import ApprovedSender
from messagecenter.relay.sender_confirmation import approved_sender_for_token, link_lifetime_hours


def _form_for(business_id: int, data: QueryDict | None = None) -> ApprovedSenderForm:
    # One form per business on the page; ids stay unique, the field name stays "email".
    return ApprovedSenderForm(data, auto_id=f"id_business{business_id}_%s")


def _chosen(sections: list[BusinessSenders], business_id: int) -> BusinessSenders:
    """The user's business named in the form; 404 for any other."""
    for section in sections:
        if section.business.pk == business_id:
            return section
    raise Http404("No such business.")


def _entry_of(business_id: int, raw_id: str | None) -> ApprovedSender:
    sender_id = id_from_request(raw_id, what=_("sending address"))
    entry = ApprovedSender.objects.filter(pk=sender_id, business_id=business_id).first()
    if entry is None:
        raise Http404("No such address.")
    return entry


def _sent_message(address: str) -> str:
    hours = link_lifetime_hours()
    return ngettext(
        "We emailed a confirmation link to %(address)s. It can send email for your business "
        "once someone who reads that mailbox opens the link (within %(hours)d hour).",
        "We emailed a confirmation link to %(address)s. It can send email for your business "
        "once someone who reads that mailbox opens the link (within %(hours)d hours).",
        hours,
    ) % {"address": address, "hours": hours}


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
        action = request.POST.get("action")
        if action in ("remove", "resend"):
            entry = _entry_of(business.pk, request.POST.get("approved_sender"))
            if action == "remove":
                approved_sender_remove(approved_sender=entry)
                messages.success(
                    request,
                    _("%(address)s can no longer send email for %(business)s.")
                    % {"address": entry.email, "business": business.name},
                )
            else:
                try:
                    approved_sender_resend_confirmation(approved_sender=entry)
                except UserFacingError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, _sent_message(entry.email))
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
                messages.success(request, _sent_message(added.email))
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


@require_http_methods(["GET", "POST"])
def approved_sender_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """The page the confirmation link opens: a button, then the outcome."""
    try:
        entry = approved_sender_for_token(token)
        if request.method == "POST":
            entry = approved_sender_confirm(approved_sender=entry)
            return render(request, "relay/approved_sender_confirmed.html", {"entry": entry})
    except UserFacingError as error:
        return render(
            request, "relay/approved_sender_confirm.html", {"problem": error.message}, status=400
        )
    return render(request, "relay/approved_sender_confirm.html", {"entry": entry})
