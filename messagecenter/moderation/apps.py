from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "messagecenter.moderation"
    label = "moderation"
    verbose_name = "Moderation: review queue and restrictions"

    def ready(self) -> None:
        from messagecenter.moderation import handlers  # noqa: F401 - subscribes to events
