"""The review queue for administrators: held messages, decisions, restrictions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from compliance.highlight import highlight_excerpts
from compliance.policy import RULES
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.models import SellerBusiness
from messagecenter.core.errors import UserFacingError
from messagecenter.core.ids import IdModelChoiceField
from messagecenter.core.pagination import paginate
from messagecenter.moderation.enforcement import restriction_lift
from messagecenter.moderation.models import SellerRestriction
from messagecenter.moderation.review import (
    review_approve,
    review_edit_subject_and_approve,
    review_reject,
)
from messagecenter.moderation.selectors import (
    access_message_for_review,
    decisions_for,
    held_messages,
    sender_history,
)


def _require_staff(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_staff:
        raise Http404("No such page.")


class QueueFilterForm(forms.Form):
    rule = forms.ChoiceField(
        label="Rule", required=False, choices=[("", "Any rule"), *[(r, r) for r in RULES]]
    )
    seller = IdModelChoiceField(
        label="Seller",
        required=False,
        queryset=SellerBusiness.objects.all(),
        empty_label="Any seller",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject"), ("edit", "Edit subject and approve")]
    )
    reason = forms.CharField(
        label="Reason the sender will see",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    subject = forms.CharField(label="New subject line", required=False, max_length=200)


@login_required
@require_GET
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_staff(request)
    form = QueueFilterForm(request.GET or None)
    rule, seller_id = "", None
    if form.is_valid():
        rule = form.cleaned_data["rule"] or ""
        seller = form.cleaned_data["seller"]
        seller_id = seller.pk if seller else None
    page = paginate(request, held_messages(rule=rule, seller_id=seller_id))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moderation/review_queue.html",
        {"form": form, "page": page, "query_string": query.urlencode()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_message(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    _require_staff(request)
    message = access_message_for_review(request.user, message_id)
    form = DecisionForm(request.POST or None, initial={"subject": message.subject})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                review_approve(message_id=message.pk, reviewer=request.user)
                messages.success(request, "Approved: the message has been delivered.")
            elif data["decision"] == "edit":
                review_edit_subject_and_approve(
                    message_id=message.pk,
                    reviewer=request.user,
                    subject=data["subject"],
                )
                messages.success(request, "Subject changed and the message delivered.")
            else:
                review_reject(
                    message_id=message.pk,
                    reviewer=request.user,
                    reason=data["reason"],
                )
                messages.success(request, "Rejected: the sender sees your reason.")
            return redirect("review_queue")
        except UserFacingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    violations = list(message.violations.all())
    return render(
        request,
        "moderation/review_message.html",
        {
            "message": message,
            "conversation": message.conversation,
            "form": form,
            "violations": violations,
            "highlighted_body": highlight_excerpts(
                message.body_html, [v.excerpt for v in violations if v.location == "body"]
            ),
            "history": sender_history(message),
            "decisions": decisions_for(message),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def restriction_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_staff(request)
    restrictions = SellerRestriction.objects.select_related("business", "lifted_by")
    return render(
        request,
        "moderation/restrictions.html",
        {"page": paginate(request, restrictions), "now": timezone.now()},
    )


@login_required
@require_POST
def restriction_lift_view(request: AuthenticatedHttpRequest, restriction_id: int) -> HttpResponse:
    _require_staff(request)
    restriction = SellerRestriction.objects.filter(
        pk=restriction_id, lifted_at__isnull=True
    ).first()
    if restriction is None:
        raise Http404("No such restriction.")
    restriction_lift(
        restriction=restriction,
        by=request.user,
        reason=request.POST.get("reason", "").strip() or "Lifted by an administrator.",
        now=timezone.now(),
    )
    messages.success(request, f"The restriction on {restriction.business} was lifted.")
    return redirect("restrictions")
