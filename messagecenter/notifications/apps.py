from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "messagecenter.notifications"
    label = "notifications"
    verbose_name = "Email notifications"

    def ready(self) -> None:
        from messagecenter.notifications import handlers  # noqa: F401 - subscribes to events
