"""Dates in emails: in the recipient's language and zone (both made current by
accounts.locale.in_the_locale_of around the rendering), with the zone named, since an email
is read away from the page that would say which zone it uses."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def email_datetime(moment: datetime | None) -> str:
    if moment is None:
        return ""
    # Translators: how an email writes a date and time, in Django's date format letters
    # (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date): D weekday,
    # M month, j day, H:i the time, T the time zone. Reorder to your language's custom.
    layout = pgettext("email date format", "D, M j, H:i T")
    return dateformat.format(timezone.localtime(moment), layout)
