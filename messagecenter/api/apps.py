from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "messagecenter.api"
    label = "api"
    verbose_name = "API and webhooks"

    def ready(self) -> None:
        from messagecenter.api import schema  # noqa: F401 - registers the auth extension
