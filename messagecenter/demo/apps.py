from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "messagecenter.demo"
    label = "demo"
    verbose_name = "Demo data"
