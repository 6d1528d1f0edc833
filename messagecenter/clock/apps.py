from django.apps import AppConfig


class ClockConfig(AppConfig):
    name = "messagecenter.clock"
    label = "clock"
    verbose_name = "Reply clock and performance"

    def ready(self) -> None:
        from messagecenter.clock import handlers  # noqa: F401 - subscribes to events
