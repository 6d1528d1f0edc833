from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messagecenter.messaging"
    label = "messaging"
    verbose_name = "Messages and attachments"
