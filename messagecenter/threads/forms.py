"""The form of the seller's conversation page that says who looks after it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from messagecenter.accounts.models import User
from messagecenter.core.ids import parse_id
from messagecenter.core.widgets import PlainSelect


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=_("Assigned to"),
        required=False,
        coerce=parse_id,
        empty_value=None,
        # Written straight from the choices: Django's template per option was most of the
        # card's cost on every seller conversation page.
        # The workspace's "a" key focuses it (static/js/workspace.js).
        widget=PlainSelect(attrs={"data-shortcut": "a", "aria-keyshortcuts": "a"}),
    )

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {member.pk: member for member in members}
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Nobody: the whole team")),
            *[(member.pk, member.public_name) for member in members],
        ]

    def chosen_member(self) -> User | None:
        chosen = self.cleaned_data.get("assignee")
        return self.members.get(chosen) if chosen is not None else None
