"""Settings pages: a business's webhooks, their delivery log, and resending."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from messagecenter.accounts.http import AuthenticatedHttpRequest
from messagecenter.core.errors import UserFacingError
from messagecenter.core.ids import id_from_request
from messagecenter.core.pagination import paginate
from messagecenter.webhooks.access import (
    access_business_as_owner,
    access_delivery_as_owner,
    access_endpoint_as_owner,
    businesses_owned_by,
    endpoints_for_owner,
)
from messagecenter.webhooks.forms import WebhookForm
from messagecenter.webhooks.models import WebhookAttempt, WebhookEndpoint
from messagecenter.webhooks.services import (
    webhook_delivery_resend,
    webhook_endpoint_delete,
    webhook_endpoint_register,
)


def _owned(request: AuthenticatedHttpRequest) -> list[tuple[int, str]]:
    return list(businesses_owned_by(request.user).values_list("pk", "name"))


@login_required
@require_http_methods(["GET", "POST"])
def webhooks(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    registered: WebhookEndpoint | None = None
    if request.method == "POST":
        business = access_business_as_owner(
            user, id_from_request(request.POST.get("business"), what=_("business"))
        )
        form = WebhookForm(request.POST, businesses=_owned(request))
        if form.is_valid():
            try:
                registered = webhook_endpoint_register(
                    business=business,
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                    created_by=user,
                )
                form = WebhookForm(businesses=_owned(request))
            except UserFacingError as error:
                form.add_error(error.field, error.message)
    else:
        form = WebhookForm(businesses=_owned(request))
    return render(
        request,
        "webhooks/webhooks.html",
        {
            "form": form,
            "registered": registered,
            "endpoints": endpoints_for_owner(user),
            "owns_a_business": bool(form.fields["business"].choices),  # type: ignore[attr-defined]
        },
        status=400 if request.method == "POST" and registered is None else 200,
    )


@login_required
def webhook_endpoint(request: AuthenticatedHttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = access_endpoint_as_owner(request.user, endpoint_id)
    deliveries = endpoint.deliveries.prefetch_related(
        Prefetch("attempts", queryset=WebhookAttempt.objects.order_by("number"))
    )
    return render(
        request,
        "webhooks/webhook_endpoint.html",
        {"endpoint": endpoint, "page": paginate(request, deliveries)},
    )


@login_required
@require_POST
def webhook_delete(request: AuthenticatedHttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = access_endpoint_as_owner(request.user, endpoint_id)
    webhook_endpoint_delete(endpoint=endpoint)
    messages.success(request, _("Nothing more will be sent to %(url)s.") % {"url": endpoint.url})
    return redirect("webhooks")


@login_required
@require_POST
def webhook_resend(request: AuthenticatedHttpRequest, delivery_id: int) -> HttpResponse:
    delivery = access_delivery_as_owner(request.user, delivery_id)
    webhook_delivery_resend(delivery=delivery)
    messages.success(request, _("The delivery is being sent again; its attempts appear below."))
    return redirect("webhook_endpoint", delivery.endpoint_id)
