"""The review queue for administrators: held messages, decisions, restrictions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from compliance.highlight import highlight_excerpts
from compliance.policy import RULES
from compliance.sanitize import html_to_text, render_message_html
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.accounts.models import SellerBusiness
from messagecenter.core.errors import UserFacingError
from messagecenter.core.fragments import rendered_rows
from messagecenter.core.ids import IdModelChoiceField
from messagecenter.core.pagination import PAGE_SIZE, paginate
from messagecenter.core.widgets import PlainSelect, PlainTextarea, PlainTextInput
from messagecenter.messaging.models import Message
from messagecenter.moderation.context_processors import review_waiting
from messagecenter.moderation.enforcement import restriction_lift
from messagecenter.moderation.models import ReviewDecision, SellerRestriction
from messagecenter.moderation.review import (
    EditBreaksPolicy,
    review_approve,
    review_edit_and_approve,
    review_reject,
)
from messagecenter.moderation.selectors import (
    access_message_for_review,
    access_restriction_for_staff,
    decisions_for,
    held_messages,
    held_rows,
    sender_history,
    violations_for_reader,
)

HELD_ROW_TEMPLATE = "moderation/includes/held_row.html"


def _require_staff(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_staff:
        raise Http404("No such page.")


class QueueFilterForm(forms.Form):
    rule = forms.ChoiceField(
        label=gettext_lazy("Rule"),
        required=False,
        choices=[("", gettext_lazy("Any rule")), *[(r, r) for r in RULES]],
        widget=PlainSelect,
    )
    seller = IdModelChoiceField(
        label=gettext_lazy("Seller"),
        required=False,
        queryset=SellerBusiness.objects.only("id", "name"),
        empty_label=gettext_lazy("Any seller"),
        widget=PlainSelect,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The options from (id, name) pairs, in the queryset's order (by name): an object
        # per seller business of the marketplace cost more than the queue's own rows.
        # A chosen seller is still checked against the queryset.
        seller = self.fields["seller"]
        assert isinstance(seller, IdModelChoiceField)
        seller.widget.choices = [
            ("", seller.empty_label),
            *SellerBusiness.objects.values_list("id", "name"),
        ]


def _readable(markup: str) -> str:
    return " ".join(html_to_text(render_message_html(markup)).split())


def _same_text(a: str, b: str) -> bool:
    """The same words, whatever the markup: the editor may write the same text differently."""
    return _readable(a) == _readable(b)


class DecisionForm(forms.Form):
    """Approve as sent, edit the subject and body and approve, or reject with a reason.

    Its inputs are written without Django's widget templates (core/widgets.py), in the
    same elements and attributes: three widgets' templates cost the review page more than
    its history."""

    decision = forms.ChoiceField(
        choices=[
            ("approve", gettext_lazy("Approve as sent")),
            ("edit", gettext_lazy("Save edits and approve")),
            ("reject", gettext_lazy("Reject")),
        ]
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject"), required=False, max_length=200, widget=PlainTextInput
    )
    body = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        strip=False,
        widget=PlainTextarea(attrs={"rows": 10, "data-rich-editor": ""}),
        help_text=gettext_lazy(
            "Edit what the recipient will read. Your edit is checked by the messaging "
            "policy again when you approve it."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason the sender will see (for a rejection)"),
        required=False,
        widget=PlainTextarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, message: Message, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.message = message

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("decision") == "approve" and self._edited(data):
            raise forms.ValidationError(
                _(
                    "Not approved: you changed the subject or the message. Choose “Save "
                    "edits and approve” to deliver your edit, or undo it to approve the "
                    "message as sent."
                )
            )
        return data

    def _edited(self, data: dict[str, object]) -> bool:
        """Whether the posted subject or body differ from the held message."""
        subject, body = self.data.get("subject"), self.data.get("body")
        return (subject is not None and not _same_text(str(subject), self.message.subject)) or (
            body is not None and not _same_text(str(body), self.message.body_html)
        )


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
    paginator = Paginator(held_messages(rule=rule, seller_id=seller_id), PAGE_SIZE)
    if not rule and seller_id is None:
        # Every held message: the navigation's count, read once for both.
        paginator.count = review_waiting(request)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "moderation/review_queue.html",
        {
            "form": form,
            "page": page,
            # A line changes when its message, names or rules do: between those it is
            # the same HTML, kept under them.
            "rows": rendered_rows(
                HELD_ROW_TEMPLATE,
                [(row.version, {"row": row}) for row in held_rows(page.object_list)],
            ),
            "query_string": query.urlencode(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_message(request: AuthenticatedHttpRequest, message_id: int) -> HttpResponse:
    _require_staff(request)
    message = access_message_for_review(request.user, message_id)
    form = DecisionForm(
        request.POST or None,
        message=message,
        initial={"subject": message.subject, "body": message.body_html},
    )
    policy_problems: tuple[object, ...] = ()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                review_approve(message_id=message.pk, reviewer=request.user)
                _tell_outcome(request, message.pk, _("Approved"))
            elif data["decision"] == "edit":
                decision = review_edit_and_approve(
                    message_id=message.pk,
                    reviewer=request.user,
                    subject=data["subject"],
                    body=data["body"],
                )
                _tell_outcome(request, message.pk, _("Edited and approved"), decision)
            else:
                review_reject(message_id=message.pk, reviewer=request.user, reason=data["reason"])
                messages.success(request, _("Rejected: the sender sees your reason."))
            return redirect("review_queue")
        except EditBreaksPolicy as error:
            form.add_error(None, error.message)
            policy_problems = error.violations
        except UserFacingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    violations = violations_for_reader(message)
    return render(
        request,
        "moderation/review_message.html",
        {
            "message": message,
            "conversation": message.conversation,
            "form": form,
            "policy_problems": policy_problems,
            "violations": violations,
            "highlighted_body": highlight_excerpts(
                message.body_html, [v.excerpt for v in violations if v.location == "body"]
            ),
            "history": sender_history(message),
            "decisions": decisions_for(message),
        },
        status=400 if request.method == "POST" else 200,
    )


def _tell_outcome(
    request: AuthenticatedHttpRequest,
    message_id: int,
    what: str,
    decision: ReviewDecision | None = None,
) -> None:
    """Say what became of an approved message, and what the policy changed in an edit."""
    status = Message.objects.filter(pk=message_id).values_list("status", flat=True).get()
    if status == Message.Status.DELIVERED:
        text = _("%(what)s: the message has been delivered.") % {"what": what}
    else:
        text = _(
            "%(what)s, but not delivered: the buyer has opted out of messages of this type. "
            "The message is kept and the seller has been told."
        ) % {"what": what}
    changed = [
        f for f in (decision.findings if decision else []) if f["action"] in ("redact", "fix")
    ]
    if changed:
        text += " " + _("The policy changed your edit: %(changes)s.") % {
            "changes": "; ".join(f["message"] for f in changed)
        }
    if status == Message.Status.DELIVERED:
        messages.success(request, text)
    else:
        messages.warning(request, text)


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


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the restriction lifted?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept in the restriction's record with your name and the time."),
        error_messages={
            "required": gettext_lazy(
                "Not lifted: write why the restriction is lifted (for example, the appeal "
                "you upheld). It is kept with your name in the restriction's record."
            )
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def restriction_lift_view(request: AuthenticatedHttpRequest, restriction_id: int) -> HttpResponse:
    """Lifting asks first: the restriction, what lifting it means, and a required reason."""
    restriction = access_restriction_for_staff(request.user, restriction_id)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            restriction_lift(
                restriction=restriction,
                by=request.user,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except UserFacingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _(
                    "The restriction on %(seller)s was lifted: they can send proactive "
                    "messages again. Your name and reason are recorded."
                )
                % {"seller": restriction.business.name},
            )
            return redirect("restrictions")
    return render(
        request,
        "moderation/restriction_lift.html",
        {"restriction": restriction, "form": form, "now": timezone.now()},
        status=400 if request.method == "POST" else 200,
    )
