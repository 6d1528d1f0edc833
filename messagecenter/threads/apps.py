from django.apps import AppConfig


class ThreadsConfig(AppConfig):
    name = "messagecenter.threads"
    label = "threads"
    verbose_name = "Conversations"
