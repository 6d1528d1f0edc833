"""The seller team's templates page, a template's edit page, and the templates filled for
a compose box.

Any member of a business (owner or agent) may list, create, change and delete its
templates (services.py says why). Someone who works for no seller is sent to their own
start page, as on every seller page; a template of another business is a 404
(access.py), whoever asks.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from messagecenter.accounts.decorators import seller_pages_only
from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.errors import UserFacingError
from messagecenter.core.ids import id_from_request
from messagecenter.reply_templates.access import access_template_as_member
from messagecenter.reply_templates.filling import filled_templates, no_templates_note
from messagecenter.reply_templates.forms import ReplyTemplateForm
from messagecenter.reply_templates.placeholders import PLACEHOLDERS
from messagecenter.reply_templates.selectors import templates_for_member
from messagecenter.reply_templates.services import (
    SavedTemplate,
    reply_template_create,
    reply_template_delete,
    reply_template_update,
)
from messagecenter.threads.access import access_conversation_as_seller
from orders.access import access_order_as_seller


def _saved_message(request: AuthenticatedHttpRequest, saved: SavedTemplate, text: str) -> None:
    messages.success(request, text % {"name": saved.template.name})
    for warning in saved.warnings:
        messages.warning(
            request,
            _("Saved, but the policy would change or hold messages made from it. %(why)s")
            % {"why": warning},
        )


def _placeholders() -> list[tuple[str, str]]:
    return [("{" + name + "}", str(meaning)) for name, meaning in PLACEHOLDERS.items()]


# How a brace of its own is written in a template, shown under the placeholders.
BRACES = ("{{", "}}")


@login_required
@seller_pages_only
@require_http_methods(["GET", "POST"])
def reply_templates_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list of the team's templates, and the form for a new one."""
    sections = templates_for_member(request.user)
    businesses = [s.business for s in sections]
    form = ReplyTemplateForm(request.POST or None, businesses=businesses)
    if request.method == "POST" and form.is_valid():
        business = next((b for b in businesses if b.pk == form.cleaned_data["business"]), None)
        if business is None:
            raise Http404("No such business.")
        try:
            saved = reply_template_create(
                business=business,
                author=request.user,
                name=form.cleaned_data["name"],
                body=form.cleaned_data["body"],
                message_types=form.cleaned_data["message_types"],
            )
        except UserFacingError as error:
            form.show_error(error)
        else:
            _saved_message(request, saved, _("Template “%(name)s” saved."))
            return redirect("reply_templates")
    return render(
        request,
        "reply_templates/templates.html",
        {
            "sections": sections,
            "form": form,
            "several_businesses": len(businesses) > 1,
            "placeholders": _placeholders(),
            "braces": BRACES,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reply_template_edit(request: AuthenticatedHttpRequest, template_id: int) -> HttpResponse:
    template = access_template_as_member(request.user, template_id)
    initial = {
        "business": template.business_id,
        "name": template.name,
        "body": template.body,
        "message_types": template.message_types,
    }
    form = ReplyTemplateForm(request.POST or None, initial=initial, businesses=[template.business])
    if request.method == "POST" and form.is_valid():
        try:
            saved = reply_template_update(
                template=template,
                editor=request.user,
                name=form.cleaned_data["name"],
                body=form.cleaned_data["body"],
                message_types=form.cleaned_data["message_types"],
            )
        except UserFacingError as error:
            form.show_error(error)
        else:
            _saved_message(request, saved, _("Template “%(name)s” saved."))
            return redirect("reply_templates")
    return render(
        request,
        "reply_templates/template_edit.html",
        {
            "template": template,
            "form": form,
            "placeholders": _placeholders(),
            "braces": BRACES,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def reply_template_delete_view(request: AuthenticatedHttpRequest, template_id: int) -> HttpResponse:
    template = access_template_as_member(request.user, template_id)
    reply_template_delete(template=template)
    messages.success(request, _("Template “%(name)s” deleted.") % {"name": template.name})
    return redirect("reply_templates")


@login_required
@require_GET
def filled_templates_view(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The team's templates filled for a conversation (``?conversation=``) or, on Contact
    Buyer before there is one, an order (``?order=``)."""
    if request.GET.get("conversation"):
        conversation_id = id_from_request(request.GET["conversation"], what=_("conversation"))
        conversation = access_conversation_as_seller(request.user, conversation_id)
        templates = filled_templates(conversation=conversation, order=None)
    else:
        order = access_order_as_seller(request.user, request.GET.get("order", ""))
        templates = filled_templates(conversation=None, order=order)
    return JsonResponse(
        {
            "templates": templates,
            "empty": no_templates_note(),
            "manage_url": reverse("reply_templates"),
        }
    )
