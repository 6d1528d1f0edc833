from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "messagecenter.live"
    label = "live"
    verbose_name = "Live updates"

    def ready(self) -> None:
        from messagecenter.live import handlers  # noqa: F401 - subscribes to events
