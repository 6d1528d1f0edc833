from django.apps import AppConfig


class RelayConfig(AppConfig):
    name = "messagecenter.relay"
    label = "relay"
    verbose_name = "Masked email relay"
