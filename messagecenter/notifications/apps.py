from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "messagecenter.notifications"
    label = "notifications"
    verbose_name = _("Email notifications")

    def ready(self) -> None:
        from messagecenter.notifications import handlers  # noqa: F401 - subscribes to events
