"""The form of a business's topic routing: for each topic, a team member or the team."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from messagecenter.accounts.models import User
from messagecenter.core.widgets import PlainSelect
from messagecenter.threads.models import ConversationTopic
from messagecenter.threads.topic_routing import BusinessRouting

WHOLE_TEAM = ""


def _field_name(topic: str) -> str:
    return f"route_{topic}"


class TopicRoutingForm(forms.Form):
    """One select per topic; the members offered are the business's active team."""

    def __init__(self, routing: BusinessRouting, *args: Any, **kwargs: Any) -> None:
        # One form per business on the page: ids stay unique.
        kwargs.setdefault("auto_id", f"id_business{routing.business.pk}_%s")
        super().__init__(*args, **kwargs)
        self.team = {member.pk: member for member in routing.team}
        choices = [
            (WHOLE_TEAM, _("The whole team")),
            *((str(member.pk), member.public_name) for member in routing.team),
        ]
        for value, label in ConversationTopic.choices:
            self.fields[_field_name(value)] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                widget=PlainSelect,
                initial=str(routing.routes[value] or WHOLE_TEAM),
                error_messages={
                    "invalid_choice": _("Choose a member of your team, or the whole team.")
                },
            )

    def routes(self) -> dict[str, User | None]:
        """Each topic's member (None: the whole team), once the form is valid."""
        return {
            value: self.team.get(int(chosen))
            if (chosen := self.cleaned_data[_field_name(value)])
            else None
            for value in ConversationTopic.values
        }
