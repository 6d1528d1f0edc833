from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClockConfig(AppConfig):
    name = "messagecenter.clock"
    label = "clock"
    verbose_name = _("Reply clock and performance")

    def ready(self) -> None:
        from messagecenter.clock import handlers  # noqa: F401 - subscribes to events
