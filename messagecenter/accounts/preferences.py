"""Who wants which email, and how often."""

from __future__ import annotations

from collections.abc import Iterable

from messagecenter.accounts.models import NotificationPreference, User

Kind = NotificationPreference.Kind
Frequency = NotificationPreference.Frequency

DEFAULTS = {
    Kind.NEW_MESSAGE: Frequency.IMMEDIATELY,
    Kind.BOUNCE: Frequency.IMMEDIATELY,
    Kind.REVIEW_DECISION: Frequency.IMMEDIATELY,
    Kind.REPLY_DUE: Frequency.IMMEDIATELY,
}

# Kinds a buyer-only account is asked about; sellers get all of them.
BUYER_KINDS = (Kind.NEW_MESSAGE, Kind.REVIEW_DECISION)


def frequencies_for(users: Iterable[User], kind: str) -> dict[int, str]:
    """Each user's frequency for one kind, in one query."""
    users = list(users)
    chosen = dict(
        NotificationPreference.objects.filter(user__in=users, kind=kind).values_list(
            "user_id", "frequency"
        )
    )
    default = DEFAULTS[Kind(kind)]
    return {user.pk: chosen.get(user.pk, default) for user in users}


def wants_now(users: Iterable[User], kind: str) -> list[User]:
    """The users who want this kind of email immediately."""
    users = list(users)
    frequency = frequencies_for(users, kind)
    return [u for u in users if frequency[u.pk] == Frequency.IMMEDIATELY]


def preferences_update(*, user: User, choices: dict[str, str]) -> None:
    """Store the user's choices; choosing the default removes the row."""
    for kind, frequency in choices.items():
        if Kind(kind) and frequency == DEFAULTS[Kind(kind)]:
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"frequency": Frequency(frequency)}
            )
