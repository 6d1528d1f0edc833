from django.apps import AppConfig


class RelayConfig(AppConfig):
    name = "messagecenter.relay"
    label = "relay"
    verbose_name = "Masked email relay"

    def ready(self) -> None:
        from messagecenter.relay import handlers  # noqa: F401 - subscribes to events
