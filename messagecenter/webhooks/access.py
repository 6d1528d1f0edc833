"""The one door to webhook settings: the owners of a seller business, nobody else.

An agent can answer buyers, but where a business's messages are sent is the owner's
decision. Not an owner and "does not exist" answer the same way (Http404).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from messagecenter.accounts.models import Membership, SellerBusiness, User
from messagecenter.webhooks.models import WebhookDelivery, WebhookEndpoint


def businesses_owned_by(user: User) -> QuerySet[SellerBusiness]:
    if not user.is_authenticated:
        return SellerBusiness.objects.none()
    return SellerBusiness.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.OWNER
    )


def access_business_as_owner(user: User, business_id: int) -> SellerBusiness:
    business = businesses_owned_by(user).filter(pk=business_id).first()
    if business is None:
        raise Http404(_("No such business."))
    return business


def endpoints_for_owner(user: User) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(business__in=businesses_owned_by(user)).select_related(
        "business"
    )


def access_endpoint_as_owner(user: User, endpoint_id: int) -> WebhookEndpoint:
    endpoint = endpoints_for_owner(user).filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404(_("No such webhook."))
    return endpoint


def access_delivery_as_owner(user: User, delivery_id: int) -> WebhookDelivery:
    delivery = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id, endpoint__business__in=businesses_owned_by(user))
        .first()
    )
    if delivery is None:
        raise Http404(_("No such delivery."))
    return delivery
