"""The forms of the team's state of a conversation: snooze until a time, and the inbox's
bulk actions on the rows selected."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from messagecenter.core.ids import INVALID_ID_MESSAGE, IdField, parse_id

# Most conversations a bulk action takes at once: a page of the inbox, with room.
BULK_AT_MOST = 100
# The working day's start the quick choices snooze until, in the seller's time zone.
MORNING = time(9, 0)


def _morning(day: datetime) -> datetime:
    """9:00 on that day in the active (the seller's) time zone."""
    zone = timezone.get_current_timezone()
    return datetime.combine(day.date(), MORNING, tzinfo=zone)


def quick_snooze_times(now: datetime) -> dict[str, datetime]:
    """The quick choices, worked out in the seller's time zone: in 3 hours, tomorrow
    9:00, next Monday 9:00."""
    local = timezone.localtime(now)
    days_to_monday = 7 - local.weekday()
    return {
        "later": now + timedelta(hours=3),
        "tomorrow": _morning(local + timedelta(days=1)),
        "next-week": _morning(local + timedelta(days=days_to_monday)),
    }


class SnoozeForm(forms.Form):
    """Until a time the seller chose (in their time zone), or one of the quick choices
    (the button pressed: ``quick``). ``past_deadline`` confirms a time after the reply's
    due time."""

    until = forms.DateTimeField(
        label=_("Snooze until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    quick = forms.ChoiceField(
        required=False,
        choices=[("later", "later"), ("tomorrow", "tomorrow"), ("next-week", "next-week")],
    )
    past_deadline = forms.BooleanField(
        label=_("Snooze past the reply deadline anyway"), required=False
    )

    def __init__(self, *args: Any, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("quick"):
            cleaned["until"] = quick_snooze_times(self.now)[cleaned["quick"]]
        elif cleaned.get("until") is None and not self.has_error("until"):
            self.add_error("until", _("Choose a time to snooze until, or a quick choice."))
        return cleaned


class IdListField(forms.Field):
    """Several ids under one name (the inbox rows' checkboxes), each parsed by parse_id."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": INVALID_ID_MESSAGE}

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids = [parse_id(v) for v in values]
        if any(number is None for number in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return [number for number in ids if number is not None]


class BulkAction(forms.Form):
    """What to do with the conversations selected on the inbox page."""

    ASSIGN = "assign"
    MARK_READ = "mark-read"
    NO_RESPONSE_NEEDED = "no-response-needed"
    CLOSE = "close"

    action = forms.ChoiceField(
        choices=[
            (ASSIGN, _("Assign")),
            (MARK_READ, _("Mark read")),
            (NO_RESPONSE_NEEDED, _("No response needed")),
            (CLOSE, _("Close")),
        ],
        error_messages={"required": _("Choose what to do with the selected conversations.")},
    )
    conversation = IdListField(
        error_messages={"required": _("Select at least one conversation first.")},
    )
    # Checked against the team of every selected conversation's seller by the view.
    assignee = IdField(label=_("Assign to"), required=False)

    def clean_conversation(self) -> list[int]:
        ids = list(dict.fromkeys(self.cleaned_data["conversation"]))
        if len(ids) > BULK_AT_MOST:
            raise forms.ValidationError(
                _("Select at most %(limit)d conversations at once; you selected %(count)d."),
                params={"limit": BULK_AT_MOST, "count": len(ids)},
            )
        return ids
