from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "messagecenter.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from messagecenter.webhooks import handlers  # noqa: F401 - subscribes to events
